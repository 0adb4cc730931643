"""The archive at scale: ingest, index size, search and research-tool latency and memory, against the naive
ways; an OAI harvest and a search export.

    .venv/bin/python bench/run.py --reports 10000      # the issue's figures, some minutes
    .venv/bin/python bench/run.py --reports 1000       # a quick run

In a temporary data directory (never ./var) it generates the corpus
(bench/corpus.py), migrates, ingests every file with ``manage.py ingest`` (the real
pipeline, the index written as it goes), starts a real gunicorn on a free loopback
port (harness/served.py) and sends the fixed query mix (bench/queries.py)
to ``/api/search/``, snippets and facets included, timing each request end to
end, then trends, the first concordance page and related reports
(bench/research.py). Then it reads the workers' peak resident memory, and answers the same mix
with haystack's default Whoosh set-up and with the ORM's ``icontains``
(bench/baselines.py), comparing the reports each finds with ours. Before the
searches, a fresh gunicorn is harvested whole over OAI-PMH (bench/oai_harvest.py)
and its workers' peak memory read; after them, a fresh gunicorn exports a search
that every report matches as CSV (bench/export.py), with its time to the first
byte and its workers' peak memory.

It prints a table and, on its last line, one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import research  # noqa: E402
from bench.export import measure_export  # noqa: E402
from bench.load import percentile  # noqa: E402
from bench.oai_harvest import OAI_ENV, harvest  # noqa: E402
from bench.queries import QUERY_MIX, WARM_UP, BenchQuery, resolve_filters  # noqa: E402
from harness.served import GunicornServer  # noqa: E402

MB = 1_000_000


@dataclass
class QueryFigures:
    query: BenchQuery
    filters: dict[str, str]
    ours_ms: list[float] = field(default_factory=list)
    ours_reports: set[int] = field(default_factory=set)
    api_count: int = 0
    default_ms: list[float] = field(default_factory=list)
    default_reports: set[int] = field(default_factory=set)
    icontains_ms: list[float] = field(default_factory=list)
    icontains_reports: set[int] = field(default_factory=set)


# Steps ------------------------------------------------------------------------


def use_server_environment(server: GunicornServer) -> None:
    """Point this process's Django at the server's data (set before django.setup())."""
    for name in ("ARCHIVE_DATA_DIR", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "ARCHIVE_ENV"):
        if name in server.env:
            os.environ[name] = server.env[name]
        else:
            os.environ.pop(name, None)


def directory_bytes(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def text_bytes() -> int:
    """The text that is indexed: every section's heading and text, UTF-8."""
    from reports.models import Section

    return sum(
        len(heading.encode()) + len(text.encode())
        for heading, text in Section.objects.values_list("heading", "text").iterator(chunk_size=2000)
    )


def api_path(query: BenchQuery, filters: dict[str, str]) -> str:
    params = {"q": query.q, **filters}
    if query.sort != "relevance":
        params["sort"] = query.sort
    return "/api/search/?" + urlencode(params)


def measure_ours(server: GunicornServer, figures: list[QueryFigures], repeats: int) -> None:
    for word in WARM_UP:
        for _ in range(2):  # twice, so more of the workers have the index open
            server.get(api_path(BenchQuery("warm-up", word), {}))
    for _ in range(repeats):
        for item in figures:
            began = time.perf_counter()
            response = server.get(api_path(item.query, item.filters), timeout=60)
            item.ours_ms.append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                raise RuntimeError(f"/api/search/ answered {response.status} for {item.query.label}")
            item.api_count = json.loads(response.body)["count"]


def our_reports(query: BenchQuery, filters: dict[str, str]) -> set[int]:
    from reports.search import SearchParams, matching_report_ids

    return matching_report_ids(SearchParams(q=query.q, filters=filters, sort=query.sort))


def worker_peak_rss_mb(server: GunicornServer) -> float:
    """The highest peak resident set (VmHWM) among the workers."""
    peaks = []
    for pid in server.worker_pids():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) * 1024 / MB)
    return max(peaks, default=0.0)


def recall(figures: list[QueryFigures], attribute: str) -> float:
    """Of the reports ours finds, the share the other way finds too (over the whole mix)."""
    ours = sum(len(item.ours_reports) for item in figures)
    found = sum(len(item.ours_reports & getattr(item, attribute)) for item in figures)
    return found / ours if ours else 1.0


def p(values: list[float], fraction: float) -> float:
    return percentile(sorted(values), fraction)


# Output -------------------------------------------------------------------------


def table(figures: list[QueryFigures], summary: dict) -> str:
    rows = [("query", "kind", "reports", "ours p50", "default: found", "ms", "icontains: found", "ms")]
    for item in figures:
        ours = len(item.ours_reports)
        rows.append((
            item.query.label, item.query.kind, str(ours), f"{statistics.median(item.ours_ms):.1f}",
            f"{len(item.ours_reports & item.default_reports)}/{ours}" if item.default_ms else "-",
            f"{statistics.median(item.default_ms):.1f}" if item.default_ms else "-",
            f"{len(item.ours_reports & item.icontains_reports)}/{ours}", f"{statistics.median(item.icontains_ms):.1f}",
        ))
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, widths[i], left=i < 2) for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    s = summary
    lines += [
        "",
        f"reports                 {s['reports']}  ({s['sections']} sections)",
        f"ingest with indexing    {s['ingest_seconds']:.1f} s  ({s['reports'] / s['ingest_seconds']:.0f} reports/s)"
        f"  target <= 300 s",
        f"text / index            {s['text_mb']:.1f} MB / {s['index_mb']:.1f} MB"
        f"  ({s['index_mb'] / s['text_mb']:.2f}x the text, target <= 3x)",
        f"search via gunicorn     p50 {s['search_p50_ms']:.1f} ms, p95 {s['search_p95_ms']:.1f} ms"
        f"  ({s['requests']} requests, target p95 <= 100 ms)",
        f"  first time each query  p50 {s['search_first_p50_ms']:.1f} ms, p95 {s['search_first_p95_ms']:.1f} ms"
        f"  (before any worker has it cached)",
        f"worker peak RSS         {s['worker_rss_mb']:.0f} MB  ({s['workers']} workers, target <= 300 MB)",
        (f"default Whoosh          p50 {s['default_whoosh_p50_ms']:.1f} ms, p95 {s['default_whoosh_p95_ms']:.1f} ms"
         f"  ({s['default_whoosh_p95_ms'] / s['search_p95_ms']:.1f}x ours at p95), recall {s['recall_default_whoosh']:.3f}"
         f", index {s['default_whoosh_index_mb']:.1f} MB built in {s['default_whoosh_build_seconds']:.0f} s")
        if s["recall_default_whoosh"] is not None else "default Whoosh          skipped (--skip-default-whoosh)",
        f"icontains               p50 {s['icontains_p50_ms']:.1f} ms, p95 {s['icontains_p95_ms']:.1f} ms"
        f"  ({s['icontains_p95_ms'] / s['search_p95_ms']:.1f}x ours at p95, target >= 3x), recall {s['recall_icontains']:.3f}",
        f"OAI-PMH harvest         {s['oai_records']} records in {s['oai_pages']} pages, {s['oai_harvest_seconds']:.1f} s"
        f"  (slowest page {s['oai_slowest_page_ms']:.0f} ms, {s['oai_response_mb']:.1f} MB of XML),"
        f" worker peak RSS {s['oai_worker_rss_mb']:.0f} MB",
        f"CSV export              {s['export_reports']} reports, {s['export_rows']} rows in {s['export_seconds']:.1f} s,"
        f" first byte {s['export_first_byte_ms']:.0f} ms (target < 1 s); worker peak RSS"
        f" {s['export_worker_rss_before_mb']:.0f} MB before, {s['export_worker_rss_mb']:.0f} MB after",
        *research.table_lines(s),
    ]
    return "\n".join(lines)


def _width(text: str) -> int:
    # Han characters take two columns in a terminal.
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _pad(text: str, width: int, *, left: bool) -> str:
    space = " " * (width - _width(text))
    return text + space if left else space + text


# Main ---------------------------------------------------------------------------


def run(reports: int, data_dir: Path, *, repeats: int, workers: int | None, ingest_timeout: float,
        default_whoosh: bool = True) -> dict:
    server = GunicornServer(data_dir=data_dir, workers=workers, extra_env=OAI_ENV)
    try:
        print(f"data directory {data_dir}", file=sys.stderr)
        server.prepare(seeds=False)
        use_server_environment(server)
        from bench.corpus import generate   # sets Django up, on the server's data

        corpus = generate(reports, data_dir / "corpus")
        print(f"{len(corpus)} report files; ingesting", file=sys.stderr)
        began = time.perf_counter()
        server.manage("ingest", str(data_dir / "corpus"), timeout=ingest_timeout)
        ingest_seconds = time.perf_counter() - began

        from reports.models import Report, Section

        pending = Report.objects.waiting_for_index().count()
        if pending:
            raise RuntimeError(f"{pending} report(s) were not indexed by the ingest")
        figures = [QueryFigures(query, resolve_filters(query)) for query in QUERY_MIX]

        print("harvesting over OAI-PMH", file=sys.stderr)
        server.start()
        oai = harvest(server)
        if oai.records != Report.objects.count():
            raise RuntimeError(f"the OAI harvest gave {oai.records} records for {Report.objects.count()} reports")
        oai_rss = worker_peak_rss_mb(server)
        server.stop()

        print("searching through gunicorn", file=sys.stderr)
        server.start()  # afresh, so that the search figures do not carry the harvest's memory
        measure_ours(server, figures, repeats)
        rss = worker_peak_rss_mb(server)
        print("trends, concordance and related reports through gunicorn", file=sys.stderr)
        tools = research.measure(server, list(Report.objects.order_by("pk").values_list("pk", flat=True)), repeats)
        tools["research_worker_rss_mb"] = round(worker_peak_rss_mb(server), 1)
        worker_count = len(server.worker_pids())
        server.stop()

        print("exporting every report as CSV through a fresh gunicorn", file=sys.stderr)
        server.start()
        export = measure_export(server, peak_rss_mb=lambda: worker_peak_rss_mb(server))
        server.stop()
        if export["export_reports"] != Report.objects.count():
            raise RuntimeError(f"the export held {export['export_reports']} of {Report.objects.count()} reports")

        from bench.baselines import DefaultWhoosh, IContains

        default = DefaultWhoosh(data_dir / "default_whoosh_index") if default_whoosh else None
        if default is not None:
            print("building haystack's default Whoosh index", file=sys.stderr)
            default_build = default.build()
        icontains = IContains()
        print("answering the mix in-process: ours, default Whoosh, icontains", file=sys.stderr)
        for item in figures:
            item.ours_reports = our_reports(item.query, item.filters)
            if default is not None:
                item.default_reports = default.report_ids(item.query.q, item.filters)
            for _ in range(repeats):
                if default is not None:
                    item.default_ms.append(default.timed(item.query.q, item.filters) * 1000)
                answer = icontains.answer(item.query.q, item.filters)
                item.icontains_ms.append(answer.seconds * 1000)
            item.icontains_reports = answer.report_ids

        ours_ms = [ms for item in figures for ms in item.ours_ms]
        default_ms = [ms for item in figures for ms in item.default_ms]
        skipped = default is None
        icontains_ms = [ms for item in figures for ms in item.icontains_ms]
        return {
            "reports": Report.objects.count(),
            "sections": Section.objects.count(),
            "ingest_seconds": round(ingest_seconds, 1),
            "text_mb": round(text_bytes() / MB, 1),
            "index_mb": round(directory_bytes(data_dir / "whoosh_index") / MB, 1),
            "search_p50_ms": round(statistics.median(ours_ms), 1),
            "search_p95_ms": round(p(ours_ms, 0.95), 1),
            "requests": len(ours_ms),
            # Each query's first request: no worker has its hits cached yet.
            "search_first_p50_ms": round(statistics.median(item.ours_ms[0] for item in figures), 1),
            "search_first_p95_ms": round(p([item.ours_ms[0] for item in figures], 0.95), 1),
            "worker_rss_mb": round(rss, 1),
            "workers": worker_count,
            "icontains_p50_ms": round(statistics.median(icontains_ms), 1),
            "icontains_p95_ms": round(p(icontains_ms, 0.95), 1),
            "recall_icontains": round(recall(figures, "icontains_reports"), 3),
            "default_whoosh_p50_ms": None if skipped else round(statistics.median(default_ms), 1),
            "default_whoosh_p95_ms": None if skipped else round(p(default_ms, 0.95), 1),
            "recall_default_whoosh": None if skipped else round(recall(figures, "default_reports"), 3),
            "default_whoosh_build_seconds": None if skipped else round(default_build, 1),
            "default_whoosh_index_mb": None if skipped else round(directory_bytes(data_dir / "default_whoosh_index") / MB, 1),
            "oai_harvest_seconds": round(oai.seconds, 1),
            "oai_records": oai.records,
            "oai_pages": oai.pages,
            "oai_slowest_page_ms": round(oai.slowest_page_ms, 1),
            "oai_response_mb": round(oai.response_mb, 1),
            "oai_worker_rss_mb": round(oai_rss, 1),
            **export,
            **tools,
            "_figures": figures,
        }
    finally:
        server.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5, help="measured passes over the query mix")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--ingest-timeout", type=float, default=3600, help="seconds before the ingest is stopped")
    parser.add_argument("--keep", action="store_true", help="keep the data directory for a look afterwards")
    parser.add_argument("--skip-default-whoosh", action="store_true",
                        help="leave out haystack's default Whoosh baseline (its index takes ~20 minutes at 10,000)")
    args = parser.parse_args(argv)

    data_dir = Path(tempfile.mkdtemp(prefix=f"archive-bench-{args.reports}-"))
    try:
        summary = run(args.reports, data_dir, repeats=args.repeats, workers=args.workers,
                      ingest_timeout=args.ingest_timeout, default_whoosh=not args.skip_default_whoosh)
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    figures = summary.pop("_figures")
    print(table(figures, summary))
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
