"""One very big report: the memory of indexing it, and how fast its pages answer.

    .venv/bin/python bench/big_report.py                                  # 2,000,000 characters, 2,000 sections
    .venv/bin/python bench/big_report.py --characters 200000 --sections 200   # a quick run

In a temporary data directory (never ./var) it migrates, writes one report of
the given size straight into the database (sections of sentences drawn from the
seed reports, headings on two levels; no parsing: the parser's own limits are
tested elsewhere), then indexes it in a fresh process of its own, as the worker
would, and reads that process's peak resident memory (VmHWM). Then it starts a
real gunicorn (harness.served) and times the report's public pages (the first,
a middle and the last), its JSON twin and its admin change page, each fetched a
few times, with their sizes; and searches while two clients keep fetching the
report's first page, against the same searches on an idle site.

It prints a table and, on its last line, one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1_000_000
TARGET_INDEX_RSS_MB = 300
SECTIONS_PER_CHAPTER = 20
CHAPTER_NUMBERS = "一二三四五六七八九十"


def chapter_heading(number: int, title: str) -> str:
    """一、 ... 十、, 十一、 ... 九十九、: the top-level numbering the parser reads."""
    tens, units = divmod(number, 10)
    word = (CHAPTER_NUMBERS[tens - 1] if tens > 1 else "") + ("十" if tens else "") + (CHAPTER_NUMBERS[units - 1] if units else "")
    return f"{word}、{title}"


def big_report_sections(characters: int, sections: int, *, seed: int = 20261129) -> list[dict]:
    """``sections`` sections of about ``characters`` characters in all: chapters of ``SECTIONS_PER_CHAPTER``."""
    from bench.corpus import seed_sentences

    chinese, _english, headings = seed_sentences()
    rng = random.Random(seed)
    per_section = max(1, characters // sections)
    rows, chapter, item = [], 0, 0
    for order in range(sections):
        if order % SECTIONS_PER_CHAPTER == 0:
            chapter, item = chapter + 1, 0
            level, heading, anchor = 1, chapter_heading(chapter, rng.choice(headings)), f"s{chapter}"
        else:
            item += 1
            level, heading, anchor = 2, f"（{item}）{rng.choice(headings)}", f"s{chapter}-{item}"
        paragraphs, length = [], len(heading)
        while length < per_section:
            paragraph = "".join(rng.choice(chinese) for _ in range(rng.randint(3, 8)))
            paragraphs.append(paragraph)
            length += len(paragraph)
        text = "\n\n".join(paragraphs)[: max(1, per_section - len(heading))]
        rows.append({"order": order, "level": level, "heading": heading, "anchor": anchor, "text": text})
    return rows


def build_report(characters: int, sections: int) -> int:
    """Write the report's rows (no index: it is written by :func:`index_in_child`); returns its id."""
    from django.db import transaction

    from reports.ingest.pipeline import compose_body, find_or_create_association
    from reports.models import Report, Section

    rows = big_report_sections(characters, sections)
    body = compose_body(type("Row", (), row) for row in rows)
    with transaction.atomic():
        report = Report.objects.create(
            association=find_or_create_association("河北省医学会", region="河北省"),
            title="河北省医学会2025年度工作总结（汇编）", year=2025, language="zh-Hans",
            source_name="big.txt", content_hash=f"{len(body):064x}"[-64:], body=body, original="big/big.txt",
            index_pending=True,
        )
        Section.objects.bulk_create(Section(report=report, **row) for row in rows)
    return report.pk


def peak_rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / MB
    return 0.0


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / MB
    return 0.0


def index_in_child(report_id: int, env: dict[str, str]) -> dict:
    """Index the report in a fresh process, as the worker does; its memory before and at its peak."""
    completed = subprocess.run(
        [sys.executable, __file__, "--index-report", str(report_id)],
        env=env, capture_output=True, text=True, timeout=3600, check=False,
    )
    if completed.returncode:
        raise RuntimeError(f"indexing failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def index_report_here(report_id: int) -> None:
    """The child's side: Django set up, the report indexed, the figures printed as JSON."""
    import django

    django.setup()
    from reports.models import Report
    from reports.search import index_report

    report = Report.objects.only("pk").get(pk=report_id)
    before = current_rss_mb()
    began = time.perf_counter()
    sections = index_report(report)
    seconds = time.perf_counter() - began
    print(json.dumps({"sections": sections, "rss_before_mb": round(before, 1),
                      "peak_rss_mb": round(peak_rss_mb(), 1), "index_seconds": round(seconds, 1)}))


def timed_get(fetch, path: str, repeats: int) -> dict:
    """Median and slowest milliseconds of ``repeats`` fetches of ``path``, and the size of the answer."""
    times, size, status = [], 0, 0
    for _ in range(repeats):
        began = time.perf_counter()
        status, body = fetch(path)
        times.append((time.perf_counter() - began) * 1000)
        size = len(body)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return {"path": path, "median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "bytes": size}


SEARCHES = ["医学会", "党建工作", "学术交流", "继续教育", "医院管理"]


def search_times(server, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for word in SEARCHES:
            began = time.perf_counter()
            response = server.get("/api/search/?" + urlencode({"q": word}))
            times.append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                raise RuntimeError(f"search answered {response.status}")
    return times


def searches_while_busy(server, path: str, rounds: int) -> dict:
    """Search latency on an idle site, then while two clients fetch the big page without a pause."""
    idle = search_times(server, rounds)
    stop = threading.Event()
    fetched = [0, 0]

    def hammer(slot: int) -> None:
        while not stop.is_set():
            server.get(path, timeout=120)
            fetched[slot] += 1

    clients = [threading.Thread(target=hammer, args=(slot,)) for slot in range(2)]
    for client in clients:
        client.start()
    try:
        time.sleep(0.5)
        busy = search_times(server, rounds)
    finally:
        stop.set()
        for client in clients:
            client.join()
    return {
        "search_idle_p50_ms": round(statistics.median(idle), 1), "search_idle_max_ms": round(max(idle), 1),
        "search_busy_p50_ms": round(statistics.median(busy), 1), "search_busy_max_ms": round(max(busy), 1),
        "big_page_fetches_meanwhile": sum(fetched),
    }


def serve_and_time(server, report_id: int, *, repeats: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.conf import settings

    from harness.staff import StaffSession
    from reports.selectors import report_pages

    pages = len(report_pages([report_id])[report_id])
    password = secrets.token_urlsafe(16)
    get_user_model().objects.create_superuser("bench", "bench@example.org", password)
    server.start()

    def public(path):
        response = server.get(path, timeout=120)
        return response.status, response.body

    staff = StaffSession(server.base_url)
    staff.log_in("bench", password)

    def admin(path):
        response = staff.get(path, timeout=120)
        return response.status, response.body

    report = f"/reports/{report_id}/"
    rows = [
        timed_get(public, report, repeats),
        timed_get(public, f"{report}?page={max(1, pages // 2)}", repeats),
        timed_get(public, f"{report}?page={pages}", repeats),
        timed_get(public, f"/api/reports/{report_id}/", repeats),
        timed_get(public, f"/api/reports/{report_id}/?page={pages}", repeats),
        timed_get(admin, f"/admin/reports/report/{report_id}/change/", repeats),
        timed_get(admin, f"/admin/reports/report/{report_id}/change/?sections=40", repeats),
    ]
    return {"pages": pages, "page_characters": settings.ARCHIVE_REPORT_PAGE_CHARACTERS, "requests": rows,
            **searches_while_busy(server, report, rounds=4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--characters", type=int, default=2_000_000)
    parser.add_argument("--sections", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=5, help="fetches of each page")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--keep", action="store_true", help="keep the data directory for a look afterwards")
    parser.add_argument("--index-report", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.index_report:
        index_report_here(args.index_report)
        return 0

    from harness.served import GunicornServer

    data_dir = Path(tempfile.mkdtemp(prefix="archive-big-report-"))
    server = GunicornServer(data_dir=data_dir, workers=args.workers)
    try:
        server.prepare(seeds=False)
        for name in ("ARCHIVE_DATA_DIR", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "ARCHIVE_ENV"):
            if name in server.env:
                os.environ[name] = server.env[name]
        import django

        django.setup()
        report_id = build_report(args.characters, args.sections)
        from reports.models import Report

        length = len(Report.objects.values_list("body", flat=True).get(pk=report_id))
        print(f"report {report_id}: {length} characters, {args.sections} sections; indexing", file=sys.stderr)
        summary = {"characters": length, "sections": args.sections, **index_in_child(report_id, server.env)}
        print("serving it", file=sys.stderr)
        summary.update(serve_and_time(server, report_id, repeats=args.repeats))
    finally:
        server.close()
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(table(summary))
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def table(summary: dict) -> str:
    lines = [
        f"report          {summary['characters']:,} characters, {summary['sections']:,} sections, "
        f"{summary['pages']} pages of ~{summary['page_characters']:,} characters",
        f"indexing        {summary['index_seconds']:.1f} s, peak RSS {summary['peak_rss_mb']:.0f} MB "
        f"(at start {summary['rss_before_mb']:.0f} MB; target < {TARGET_INDEX_RSS_MB} MB)",
        "",
        f"{'request':58} {'median':>8} {'max':>8} {'size':>10}",
    ]
    for row in summary["requests"]:
        lines.append(f"{row['path']:58} {row['median_ms']:6.0f}ms {row['max_ms']:6.0f}ms {row['bytes'] / 1000:8.0f}KB")
    lines += [
        "",
        f"search, idle site                  p50 {summary['search_idle_p50_ms']:.0f} ms, max {summary['search_idle_max_ms']:.0f} ms",
        f"search, two clients on the report  p50 {summary['search_busy_p50_ms']:.0f} ms, max {summary['search_busy_max_ms']:.0f} ms"
        f" ({summary['big_page_fetches_meanwhile']} report pages served meanwhile)",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
