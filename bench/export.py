"""A full search export through gunicorn: time to first byte, whole time, rows, worker memory.

Called by bench/run.py after its searches, on a freshly started server, with a
query every generated report matches (their titles are 工作总结 or "Work report").
"""

from __future__ import annotations

import csv
import http.client
import io
import statistics
import time
from collections.abc import Callable
from urllib.parse import urlencode

EXPORT_QUERY = "工作 OR work"
EXPORTS = 3   # measured downloads; the figures are their medians


def export_path(query: str, **filters: str) -> str:
    return "/api/search/export/?" + urlencode({"q": query, "format": "csv", **filters})


def download(server, path: str, *, timeout: float) -> tuple[float, float, int, set[str]]:
    """(seconds to the first byte, seconds in all, rows, report ids), reading rows as they arrive."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        began = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}: {response.read()[:500]!r}")
        response.peek(1)
        first_byte = time.perf_counter() - began
        reader = csv.reader(io.TextIOWrapper(response, encoding="utf-8-sig", newline=""))
        next(reader)   # the header
        rows, reports = 0, set()
        for row in reader:
            rows += 1
            reports.add(row[0])
        return first_byte, time.perf_counter() - began, rows, reports
    finally:
        connection.close()


def measure_export(server, *, peak_rss_mb: Callable[[], float], query: str = EXPORT_QUERY,
                   timeout: float = 300) -> dict:
    # An empty export per worker first (twice as many as there are workers, so that
    # most have loaded the views): the first request a worker serves pays for that.
    for _ in range(2 * len(server.worker_pids())):
        download(server, export_path(query, year="1800"), timeout=timeout)
    rss_before = peak_rss_mb()
    runs = [download(server, export_path(query), timeout=timeout) for _ in range(EXPORTS)]
    _, _, rows, reports = runs[-1]
    return {
        "export_query": query,
        "export_reports": len(reports),
        "export_rows": rows,
        "export_seconds": round(statistics.median(run[1] for run in runs), 2),
        "export_first_byte_ms": round(statistics.median(run[0] for run in runs) * 1000, 1),
        "export_worker_rss_before_mb": round(rss_before, 1),
        "export_worker_rss_mb": round(peak_rss_mb(), 1),
    }
