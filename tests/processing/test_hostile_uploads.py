"""Issue 11's hostile uploads, each sent through the admin of a real gunicorn to a real worker.

For every row of the issue's table: the site keeps answering searches while the
worker reads it, no process goes past its cap, the upload ends refused or
failed with a reason (or done, within the limits), and the seed reports are
unchanged. The worker under test has small caps (300 MB, 10 s a file) so that
bombs die fast.

Outcomes: ``FINAL`` is what each row gives with the parse limits at their
defaults (reports.ingest.limits), and ``REFUSED_BY`` the limit that refuses it,
before the expensive work. Two rows are within the limits and are stored (their
thousands of "headings" kept as text, with a warning), but they are a lot of
text to read: with the small caps here (300 MB, 10 s; the defaults are 1 GB and
5 minutes) they may end failed by a cap instead (``MAY_OUTRUN_THE_CAPS``: python-docx
holds 100,000 paragraphs in about 100 MB), which is a reason too.
"""

import json
import statistics
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

import pytest

from harness.hostile import ROWS
from harness.served import running_gunicorn
from harness.staff import StaffSession

pytestmark = pytest.mark.server

CAP_MB = 300
SECONDS = 10
WORKER_MB = 1024
# Resident memory counts the shared libraries' code, which the data cap does not.
CODE_MB = 64
STAFF = ("hostile-editor", "Hostile-test password 5517")

FINAL = {
    "zip-bomb-docx": {"refused"},
    "100k-lines": {"done"},                 # 1.5 million characters; its lines are not 99,999 sections
    "20mb-text": {"refused"},
    "100k-paragraphs-docx": {"done"},
    "5000-pages-pdf": {"refused"},
    "nested-divs": {"refused"},
    "7mb-paragraphs": {"refused"},
    "90-char-name": {"done"},
}
REFUSED_BY = {
    "zip-bomb-docx": {"zip_member_too_large", "zip_ratio"},   # from the zip's directory, nothing inflated
    "20mb-text": {"too_many_characters"},                     # from its size, nothing decoded
    "5000-pages-pdf": {"too_many_pages"},                     # counted before any page is read
    "nested-divs": {"html_too_deep"},                         # at depth 256, as the page is parsed
    "7mb-paragraphs": {"too_many_characters"},                # at 2 million, as the page is parsed
}
MAY_OUTRUN_THE_CAPS = {"100k-lines", "100k-paragraphs-docx"}


@dataclass
class Run:
    uploads: dict[str, dict]
    seconds: dict[str, float]
    search_times: list[float] = field(default_factory=list)
    search_statuses: list[int] = field(default_factory=list)
    seeds_before: list[dict] = field(default_factory=list)
    seeds_after: list[dict] = field(default_factory=list)
    worker_peak_mb: float = 0.0
    web_peak_mb: float = 0.0
    long_named: dict = field(default_factory=dict)
    worker_log: str = ""


def seconds_between(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def peak_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def seed_reports(server, ids=None) -> list[dict]:
    ids = ids or [report["id"] for report in json.loads(server.get("/api/reports/").body)["results"]]
    details = [json.loads(server.get(f"/api/reports/{report_id}/").body) for report_id in ids]
    return sorted(({k: d[k] for k in ("id", "title", "content_hash", "body", "source_name")} for d in details), key=lambda d: d["id"])


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    env = {"ARCHIVE_PARSE_MEMORY_MB": str(CAP_MB), "ARCHIVE_PARSE_SECONDS": str(SECONDS),
           "ARCHIVE_CONVERT_TIMEOUT_SECONDS": str(SECONDS - 5), "ARCHIVE_WORKER_MEMORY_MB": str(WORKER_MB)}
    with running_gunicorn(tmp_path_factory.mktemp("hostile"), workers=3, worker=True, env=env) as server:
        server.manage("shell", "-c", (
            "from django.contrib.auth import get_user_model\n"
            f"get_user_model().objects.create_superuser({STAFF[0]!r}, 'h@example.org', {STAFF[1]!r})\n"
        ))
        session = StaffSession(server.base_url)
        session.log_in(*STAFF)
        run = Run(uploads={}, seconds={}, seeds_before=seed_reports(server))
        reading = True

        def reader() -> None:
            while reading:
                started = time.monotonic()
                run.search_statuses.append(server.get("/api/search/?q=" + quote("医学会")).status)
                run.search_times.append(time.monotonic() - started)
                time.sleep(0.05)

        searcher = threading.Thread(target=reader)
        searcher.start()
        try:
            locations = {}
            for row in ROWS:   # all queued at once: the worker reads them one after another
                status, locations[row.key] = session.upload((row.name, row.build()))
                assert status == 302, (row.key, status, locations[row.key][:300])
            for row in ROWS:
                (run.uploads[row.key],) = session.wait_for_batch(locations[row.key], timeout=len(ROWS) * (SECONDS + 90))
                run.seconds[row.key] = seconds_between(run.uploads[row.key]["started"], run.uploads[row.key]["finished"])
        finally:
            reading = False
            searcher.join(timeout=30)
        run.seeds_after = seed_reports(server, [seed["id"] for seed in run.seeds_before])
        (long_row,) = [row for row in ROWS if row.key == "90-char-name"]
        report_path = "/api" + run.uploads[long_row.key]["report"].split(server.base_url, 1)[1]
        hits = json.loads(server.get("/api/search/?q=" + quote("九十个汉字的文件名")).body)["results"]
        run.long_named = {"source_name": json.loads(server.get(report_path).body)["source_name"],
                          "found": long_row.name in {hit["report"]["source_name"] for hit in hits}}
        run.worker_peak_mb = peak_mb(server.worker_process.pid)
        run.web_peak_mb = max(peak_mb(pid) for pid in server.worker_pids())
        run.worker_log = server.worker_log_tail(400)
        (server.data_dir.parent / "hostile-run.json").write_text(json.dumps(
            {"uploads": run.uploads, "seconds": run.seconds, "worker_peak_mb": run.worker_peak_mb,
             "web_peak_mb": run.web_peak_mb, "searches": len(run.search_times)}, ensure_ascii=False, indent=1))
        yield run


@pytest.mark.parametrize("key", [row.key for row in ROWS])
def test_each_hostile_upload_ends_with_a_reason_within_its_caps(hostile_run, key):
    upload = hostile_run.uploads[key]
    allowed = FINAL[key] | ({"failed"} if key in MAY_OUTRUN_THE_CAPS else set())

    assert upload["state"] in allowed, upload
    if upload["state"] != "done":
        assert upload["reason"] and upload["reason_code"], upload
    if upload["state"] == "refused":
        assert upload["reason_code"] in REFUSED_BY[key], upload
    if upload["state"] == "failed":
        assert upload["reason_code"] in ("too_slow", "too_much_memory"), upload   # stopped by a cap, not a crash
    if upload["peak_memory_kb"]:
        assert upload["peak_memory_kb"] / 1024 < CAP_MB + CODE_MB, upload
    # Read within the time cap (and a margin for storing what was read).
    assert hostile_run.seconds[key] < SECONDS + 90


def test_the_long_named_report_is_stored_under_its_name_and_found(hostile_run):
    (row,) = [row for row in ROWS if row.key == "90-char-name"]
    assert hostile_run.long_named["source_name"] == row.name
    assert hostile_run.long_named["found"]


def test_the_site_kept_answering_searches_while_the_worker_read_them(hostile_run):
    times = sorted(hostile_run.search_times)
    assert len(times) > 20 and set(hostile_run.search_statuses) == {200}
    # Under a second (the machine is shared: the 95th percentile, and a generous bound on the worst).
    assert times[int(len(times) * 0.95)] < 1.0, statistics.quantiles(times, n=20)
    assert times[-1] < 5.0


def test_no_process_went_past_its_cap(hostile_run):
    assert hostile_run.worker_peak_mb < WORKER_MB + CODE_MB
    assert hostile_run.web_peak_mb < 300   # the web workers only stored the bytes


def test_the_seed_reports_are_unchanged(hostile_run):
    assert len(hostile_run.seeds_before) == 5
    assert hostile_run.seeds_after == hostile_run.seeds_before
