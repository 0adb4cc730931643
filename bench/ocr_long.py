"""A long scan read as the worker reads it: seconds, and peak memory under the parse cap.

    .venv/bin/python bench/ocr_long.py                 # a 20-page scanned PDF under a 1024 MB address-space cap
    .venv/bin/python bench/ocr_long.py --pages 4 --kind tiff-fax --cap-mb 1024 --limit data

It draws an N-page Simplified work report (bench/scans.py, the letterhead and
seal as in bench/ocr.py), writes it as one file (a photographed PDF, JPEG 55,
by default), and parses it with ``reports.ingest.parse_bytes`` in a fresh
Python process (Django set up, as in the worker) whose memory is capped like
the worker's reading child
(``ARCHIVE_PARSE_MEMORY_MB``): ``--limit as`` caps the address space
(RLIMIT_AS), ``--limit data`` the heap (RLIMIT_DATA, what the capped child
uses). Tesseract runs as a program of its own under the same cap, inherited.
The resident memory (PSS: shared pages counted once) of the child and of every
process it started is sampled every 20 ms: the peak of their sum is what the
machine must have free for one upload being read. It prints seconds per page, the peaks, the progress calls
("page n of m") and the load, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

import django  # noqa: E402

django.setup()

from bench import scans  # noqa: E402
from bench.ocr import KINDS  # noqa: E402

def _rss_kb(pid: int) -> int:
    """The process's proportional resident memory (PSS): pages shared with others (a child
    forked before exec, the parent's libraries) counted once across them, not in each."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        kids = []
        # Children are listed per thread: Tesseract is started from the threads that read pages side by side.
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                kids += [int(k) for k in (task / "children").read_text().split()]
            except OSError:
                pass
        found += kids
        queue += kids
    return found


def read_in_capped_child(data: bytes, *, filename: str, cap_mb: int, limit: str) -> dict:
    """Parse ``data`` in a fresh Python process capped at ``cap_mb`` (Django set up first, as in the worker)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        path.write_bytes(data)
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, __file__, "--child", str(path), "--cap-mb", str(cap_mb), "--limit", limit],
                                 stdout=subprocess.PIPE)
        peak_total = peak_python = 0
        while child.poll() is None:
            python = _rss_kb(child.pid)
            total = python + sum(_rss_kb(kid) for kid in _descendants(child.pid))
            peak_python, peak_total = max(peak_python, python), max(peak_total, total)
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        output = child.stdout.read().decode()
    answer = json.loads(output.strip().splitlines()[-1]) if output.strip() else {"ok": False, "error": f"exit status {child.returncode}"}
    return {**answer, "seconds": round(seconds, 1), "peak_python_mb": round(peak_python / 1024),
            "peak_with_tesseract_mb": round(peak_total / 1024)}


def child(path: Path, *, cap_mb: int, limit: str) -> None:
    """In the capped process: parse the file, print what came of it as one JSON line."""
    which = resource.RLIMIT_AS if limit == "as" else resource.RLIMIT_DATA
    resource.setrlimit(which, (cap_mb * 1024 * 1024, cap_mb * 1024 * 1024))
    from reports.ingest import parse_bytes

    calls = []
    try:
        parsed = parse_bytes(path.read_bytes(), filename=path.name, progress=lambda done, total: calls.append([done, total]))
        answer = {"ok": True, "progress": calls, "characters": len(parsed.body), "pages": len(parsed.scanned_pages),
                  "sections": len(parsed.sections)}
    except BaseException as error:  # noqa: BLE001 - reported to the parent
        answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    print(json.dumps(answer))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--kind", default="pdf-photo", choices=list(KINDS))
    parser.add_argument("--cap-mb", type=int, default=1024)
    parser.add_argument("--limit", default="as", choices=["as", "data"], help="RLIMIT_AS (address space) or RLIMIT_DATA (heap)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, cap_mb=args.cap_mb, limit=args.limit)
        return

    filename, make_files = KINDS[args.kind]
    pages = scans.render_pages(scans.long_document(args.pages))
    (data,) = make_files(pages) if args.kind in ("tiff-fax", "pdf-clean", "pdf-photo") else (None,)
    if data is None:
        raise SystemExit("--kind must be a multi-page file: tiff-fax, pdf-clean or pdf-photo")
    del pages
    load_before = os.getloadavg()[0]
    result = read_in_capped_child(data, filename=filename, cap_mb=args.cap_mb, limit=args.limit)
    load_after = os.getloadavg()[0]
    count = result.get("pages") or args.pages
    print(f"{args.kind}, {count} pages, {len(data) // 1024} KB, cap {args.cap_mb} MB ({'RLIMIT_AS' if args.limit == 'as' else 'RLIMIT_DATA'})")
    if result["ok"]:
        print(f"read in {result['seconds']} s ({result['seconds'] / count:.1f} s a page), {result['characters']} characters, "
              f"{result['sections']} sections; progress calls {len(result['progress'])}, last {result['progress'][-1]}")
    else:
        print(f"FAILED after {result['seconds']} s: {result['error']}")
    print(f"peak resident memory: {result['peak_python_mb']} MB the parsing process, "
          f"{result['peak_with_tesseract_mb']} MB with its Tesseract processes; load {load_before:.2f} before, {load_after:.2f} after")
    print(json.dumps({"bench": "ocr_long", "kind": args.kind, "cap_mb": args.cap_mb, "limit": args.limit, "bytes": len(data),
                      "load_before": round(load_before, 2), "load_after": round(load_after, 2),
                      **{k: v for k, v in result.items() if k != "progress"}, "progress_calls": len(result.get("progress", []))}))


if __name__ == "__main__":
    main()
