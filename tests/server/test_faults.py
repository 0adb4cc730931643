"""Faults while serving: the index folder lost or damaged, an ingest killed half-way.

These tests break what they use, so they never touch the shared server: the
index tests share one server of this module's own (each ends by restoring the
index), and the ingest test has a data directory of its own.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.server.gunicorn import REPO, SEEDS, GunicornServer, running_gunicorn

pytestmark = pytest.mark.server

ENGLISH = {"Accept-Language": "en"}
UNAVAILABLE = "Search is unavailable"
NOTHING_MATCHES = "Nothing matches “医学会”"
QUERY = "/search/?q=" + quote("医学会")
API_QUERY = "/api/search/?q=" + quote("医学会")


def api_count(server, path=API_QUERY) -> int:
    response = server.get(path)
    assert response.status == 200, (path, response.status, response.text[:300])
    return json.loads(response.body)["count"]


def assert_site_still_up(server):
    report_id = json.loads(server.get("/api/reports/").body)["results"][0]["id"]
    for path in ("/", "/api/reports/", f"/reports/{report_id}/", f"/api/reports/{report_id}/", "/static/css/site.css"):
        assert server.get(path).status == 200, path


def search_pages(server, times: int = 12) -> list:
    # Several requests, so every worker (each with its own open index) answers at least once.
    return [server.get(QUERY, headers=ENGLISH) for _ in range(times)]


def assert_search_degrades_gracefully(server):
    pages = search_pages(server)
    assert [page.status for page in pages if page.status != 200] == [], [page.text[:500] for page in pages]
    # A worker that had the index open says so; one that opens it afresh finds an empty
    # index and says nothing matches. None shows hits from the index that is gone.
    for page in pages:
        says_unavailable = UNAVAILABLE in page.text
        finds_nothing = NOTHING_MATCHES in page.text and 'class="search-hit"' not in page.text
        assert says_unavailable or finds_nothing, page.text[:500]
    assert any(UNAVAILABLE in page.text for page in pages), "no page told the reader search is unavailable"
    for _ in range(4):
        # A worker that had the index open says so in a way a script can tell from
        # "no matches" (503 with a notice); one that opens it afresh finds it empty.
        response = server.get(API_QUERY)
        data = json.loads(response.body)
        if response.status == 503:
            assert data["notices"], "the API did not say why it found nothing"
        else:
            assert (response.status, data["count"]) == (200, 0), response.text[:300]


def assert_rebuild_restores_search(server, expected: int):
    server.manage("rebuild_index", "--noinput")
    # No restart: the running workers pick up the rebuilt index.
    for _ in range(8):
        assert api_count(server) == expected
    assert all(UNAVAILABLE not in page.text for page in search_pages(server, times=6))
    assert "agree" in server.manage("check_index").stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_gunicorn(tmp_path_factory.mktemp("faults"), workers=2) as server:
        yield server


def test_a_deleted_index_folder_leaves_the_site_up_and_rebuild_index_restores_it(server):
    expected = api_count(server)
    assert expected > 0
    search_pages(server)  # every worker has the index open now
    shutil.rmtree(server.data_dir / "whoosh_index")

    assert_search_degrades_gracefully(server)
    assert_site_still_up(server)
    assert_rebuild_restores_search(server, expected)


def test_a_corrupted_index_leaves_the_site_up_and_rebuild_index_restores_it(server):
    expected = api_count(server)
    search_pages(server)
    for path in (server.data_dir / "whoosh_index").iterdir():
        # Same names and sizes, garbage inside: what a torn disk write looks like.
        path.write_bytes(os.urandom(max(path.stat().st_size, 64)))

    assert_search_degrades_gracefully(server)
    assert_site_still_up(server)
    found = server.manage("check_index", check=False)
    assert found.returncode != 0 and "cannot be read" in found.stdout
    assert_rebuild_restores_search(server, expected)


# -- an ingest killed half-way ---------------------------------------------------

# Large enough that a bulk ingest is still running when the test kills it.
CORPUS_SIZE = 150


def make_corpus(folder: Path) -> list[Path]:
    """Copies of the seeds, each with a closing line of its own, so each is a distinct report."""
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    paths = []
    for n in range(CORPUS_SIZE):
        seed = seeds[n % len(seeds)]
        text = seed.read_bytes().decode("utf-8-sig", errors="strict") if n % len(seeds) != 4 else None
        if text is None:
            data = seed.read_bytes() + f"\n\n附记{n:03d}号。\n".encode("utf-8")
        else:
            data = (text.rstrip() + f"\n\n附记：第{n:03d}份副本。\n").encode("utf-8")
        path = folder / f"copy_{n:03d}_{seed.name}"
        path.write_bytes(data)
        paths.append(path)
    return paths


def stored_originals(data_dir: Path) -> int:
    originals = data_dir / "originals"
    return sum(1 for path in originals.rglob("*") if path.is_file()) if originals.exists() else 0


def test_an_ingest_killed_half_way_completes_on_the_next_run_without_duplicates(tmp_path):
    make_corpus(tmp_path / "corpus")
    site = GunicornServer(data_dir=tmp_path / "data")
    try:
        site.prepare(seeds=False)
        ingest = subprocess.Popen(
            [sys.executable, "manage.py", "ingest", str(tmp_path / "corpus")],
            cwd=REPO, env=site.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while stored_originals(site.data_dir) < CORPUS_SIZE // 4 and ingest.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ingest.poll() is None, "the ingest finished before it could be killed: make the corpus larger"
        ingest.send_signal(signal.SIGKILL)
        ingest.wait(timeout=10)

        rerun = site.manage("ingest", str(tmp_path / "corpus"))
        assert f"{CORPUS_SIZE} file(s)" in rerun.stdout
        assert "failed" not in rerun.stdout.split("file(s):")[-1]

        check = site.manage("shell", "-c", (
            "from reports.models import Report; import json; "
            "reports = list(Report.objects.values('source_name', 'content_hash')); "
            "print(json.dumps({'reports': len(reports), "
            "'names': len({r['source_name'] for r in reports}), "
            "'hashes': len({r['content_hash'] for r in reports}), "
            "'without_sections': Report.objects.filter(sections__isnull=True).count()}))"
        ))
        counts = json.loads(check.stdout.strip().splitlines()[-1])
        assert counts == {"reports": CORPUS_SIZE, "names": CORPUS_SIZE, "hashes": CORPUS_SIZE, "without_sections": 0}

        # A report committed just before the kill may have missed the index; the check finds it, the repair fixes it.
        # (--repair checks again after repairing, and fails if they still differ.)
        repaired = site.manage("check_index", "--repair")
        assert repaired.stdout.rstrip().endswith("The index and the database agree.")
    finally:
        site.close()
