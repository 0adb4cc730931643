"""Uploads through the admin to the background worker: memory, time to searchable, search while busy.

    .venv/bin/python bench/uploads.py                      # the hostile set, 200 ordinary reports, a 20-page scan
    .venv/bin/python bench/uploads.py --reports 20 --no-hostile --scan-pages 0   # a quick check

In a temporary data directory it starts a real gunicorn and ``manage.py worker``
(harness/served.py) with the seeds loaded, logs in as staff over HTTP and
uploads, through the admin's add page, first the hostile files of issue 11
(harness/hostile.py) one at a time, then a batch of ordinary reports
(bench/corpus.py), then one photographed scan of ``--scan-pages`` pages
(bench/scans.py, read by OCR: issue 12's "searchable within 2 minutes of its
upload"). While the worker reads them, a reader searches
continuously. For each set it reports:

* the peak resident memory of the web workers, of the background worker, and
  of the reading children (each child's peak, as its parent measured it);
* the time from upload to searchable (the upload's ``done``: the report is
  stored and its index update has run), per file and for the whole batch;
* search latency (p50, p95, max) while the queue was busy.

The caps are the settings' defaults unless given (``--memory-mb``, ``--seconds``).
It prints a table per set and, on its last line, one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scans  # noqa: E402
from bench.load import percentile  # noqa: E402
from harness.hostile import ROWS  # noqa: E402
from harness.served import GunicornServer, running_gunicorn  # noqa: E402
from harness.staff import StaffSession  # noqa: E402

STAFF = ("bench-editor", "Bench uploads password 8842")
# Django refuses more files than this in one request (DATA_UPLOAD_MAX_NUMBER_FILES).
FILES_PER_POST = 100
SEARCHES = ["医学会", "醫學會", "党建", "hospital", '"工作总结"']


def peak_mb(pid: int) -> float:
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


class Reader(threading.Thread):
    """Searches one after another until stopped, timing each."""

    def __init__(self, server: GunicornServer):
        super().__init__(daemon=True)
        self.server, self.times, self.errors, self.running = server, [], 0, True

    def run(self) -> None:
        i = 0
        while self.running:
            started = time.monotonic()
            status = self.server.get("/api/search/?q=" + quote(SEARCHES[i % len(SEARCHES)]), timeout=60).status
            self.times.append(time.monotonic() - started)
            self.errors += status != 200
            i += 1

    def stop(self) -> dict:
        self.running = False
        self.join(timeout=60)
        times = sorted(self.times)
        return {"searches": len(times), "errors": self.errors,
                "p50_ms": round(1000 * percentile(times, 0.5), 1) if times else None,
                "p95_ms": round(1000 * percentile(times, 0.95), 1) if times else None,
                "max_ms": round(1000 * times[-1], 1) if times else None}


def scan_upload(pages: int) -> tuple[str, bytes]:
    """A Simplified work report of about ``pages`` pages, photographed (JPEG 55, skewed, uneven light), as a PDF."""
    rendered = scans.render_pages(scans.long_document(pages))
    data = scans.pdf_bytes([scans.photographed(page, seed=i + 1) for i, page in enumerate(rendered)], quality=55)
    return f"扫描件-{len(rendered)}页.pdf", data


def seconds_between(start: str, end: str | None) -> float | None:
    if not end:
        return None
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def measure(server: GunicornServer, session: StaffSession, batches: list[list[tuple[str, bytes]]]) -> dict:
    """Upload each batch (one POST each), wait for all, and read the figures."""
    reader = Reader(server)
    reader.start()
    started = time.monotonic()
    uploads = []
    for files in batches:
        status, location = session.upload(*files)
        if status != 302:
            raise RuntimeError(f"upload refused ({status}): {location[:300]}")
        uploads.append(location)
    finished = [upload for location in uploads for upload in session.wait_for_batch(location, timeout=3600, poll=0.5)]
    wall = time.monotonic() - started
    search = reader.stop()
    to_searchable = sorted(s for s in (seconds_between(u["created"], u["finished"]) for u in finished if u["state"] == "done") if s is not None)
    states: dict[str, int] = {}
    for upload in finished:
        states[upload["state"]] = states.get(upload["state"], 0) + 1
    return {
        "files": len(finished),
        "states": states,
        "wall_seconds": round(wall, 1),
        "to_searchable_p50_s": round(statistics.median(to_searchable), 2) if to_searchable else None,
        "to_searchable_max_s": round(to_searchable[-1], 2) if to_searchable else None,
        "child_peak_mb": round(max((u["peak_memory_kb"] or 0) for u in finished) / 1024, 1),
        "web_peak_mb": round(max(peak_mb(pid) for pid in server.worker_pids()), 1),
        "worker_peak_mb": round(peak_mb(server.worker_process.pid), 1),
        "search": search,
        "uploads": [{k: u[k] for k in ("name", "state", "reason_code", "peak_memory_kb", "created", "finished")} for u in finished],
    }


def ordinary_batches(count: int, folder: Path) -> list[list[tuple[str, bytes]]]:
    from bench.corpus import generate   # sets Django up with the server's environment

    files = [(path.name, path.read_bytes()) for path in generate(count, folder)]
    return [files[i:i + FILES_PER_POST] for i in range(0, len(files), FILES_PER_POST)]


def table(title: str, figures: dict) -> str:
    search = figures["search"]
    lines = [
        f"## {title}: {figures['files']} file(s), {figures['states']}, {figures['wall_seconds']} s in all",
        f"upload to searchable: median {figures['to_searchable_p50_s']} s, max {figures['to_searchable_max_s']} s",
        f"peak resident memory: web workers {figures['web_peak_mb']} MB, worker {figures['worker_peak_mb']} MB, "
        f"reading children {figures['child_peak_mb']} MB",
        f"search while busy: {search['searches']} searches, {search['errors']} errors, "
        f"p50 {search['p50_ms']} ms, p95 {search['p95_ms']} ms, max {search['max_ms']} ms",
    ]
    if title == "hostile":
        lines += [f"  {u['name'][:40]:<40} {u['state']:<8} {u['reason_code']:<16} peak {(u['peak_memory_kb'] or 0) / 1024:.0f} MB"
                  for u in figures["uploads"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=200, help="ordinary reports in the batch (0: none)")
    parser.add_argument("--no-hostile", action="store_true", help="skip the hostile set")
    parser.add_argument("--scan-pages", type=int, default=20, help="pages of the photographed scan (0: none)")
    parser.add_argument("--memory-mb", type=int, help="ARCHIVE_PARSE_MEMORY_MB for the worker (default: the setting's)")
    parser.add_argument("--seconds", type=int, help="ARCHIVE_PARSE_SECONDS for the worker (default: the setting's)")
    parser.add_argument("--data-dir", type=Path, help="keep the server's data here (default: a temporary folder)")
    args = parser.parse_args(argv)

    env = {}
    if args.memory_mb:
        env["ARCHIVE_PARSE_MEMORY_MB"] = str(args.memory_mb)
    if args.seconds:
        env["ARCHIVE_PARSE_SECONDS"] = str(args.seconds)
        # LibreOffice must give up within the reading's time cap (archive/settings.py).
        env["ARCHIVE_CONVERT_TIMEOUT_SECONDS"] = str(max(1, min(60, args.seconds - 5)))
    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as scratch:
        data_dir = args.data_dir or Path(scratch) / "data"
        with running_gunicorn(data_dir, worker=True, env=env) as server:
            server.manage("shell", "-c", (
                "from django.contrib.auth import get_user_model\n"
                f"get_user_model().objects.create_superuser({STAFF[0]!r}, 'bench@example.org', {STAFF[1]!r})\n"
            ))
            for name, value in server.env.items():
                if name.startswith(("ARCHIVE_", "DJANGO_", "DATABASE_")):
                    os.environ[name] = value
            session = StaffSession(server.base_url)
            session.log_in(*STAFF)
            results = {}
            if not args.no_hostile:
                results["hostile"] = measure(server, session, [[(row.name, row.build())] for row in ROWS])
                print(table("hostile", results["hostile"]), flush=True)
            if args.reports:
                batches = ordinary_batches(args.reports, Path(scratch) / "corpus")
                results["ordinary"] = measure(server, session, batches)
                print(table("ordinary", results["ordinary"]), flush=True)
            if args.scan_pages:
                results["scan"] = measure(server, session, [[scan_upload(args.scan_pages)]])
                print(table("scan", results["scan"]), flush=True)
    summary = {name: {k: v for k, v in figures.items() if k != "uploads"} for name, figures in results.items()}
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
