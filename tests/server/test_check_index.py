"""`manage.py check_index`: finds every way the index can disagree with the database, and repairs it."""

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from haystack import connections

from reports.ingest import ingest_bytes
from reports.models import Report, Section
from reports.search import unindex_report
from tests.search_index import index_at

pytestmark = pytest.mark.django_db(transaction=True)  # indexing follows the commit


def check(*args) -> str:
    out = StringIO()
    call_command("check_index", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def seeded(seed_bytes, tmp_path):
    # An index of the test's own: what other tests left in the shared one would show as differences.
    with index_at(tmp_path / "whoosh_index"):
        reports = [ingest_bytes(seed_bytes(p), filename=f"{p}.txt").report for p in ("000", "002", "004")]
        assert all(report is not None for report in reports)
        yield reports


def test_a_freshly_ingested_archive_agrees_with_its_index(seeded):
    assert "The index and the database agree." in check()


def test_every_kind_of_difference_is_found_and_repaired(seeded):
    missing_report, stale_report, orphan_report = seeded
    unindex_report(missing_report.pk)                                     # the index lost a report
    stale = stale_report.sections.order_by("order").first()
    Section.objects.filter(pk=stale.pk).update(text="edited behind the index's back")  # no signal
    orphan = orphan_report.sections.order_by("-order").first()
    with connection.cursor() as cursor:                                   # gone from the database only
        cursor.execute(f"DELETE FROM {Section._meta.db_table} WHERE id = %s", [orphan.pk])
    Report.objects.filter(pk=stale_report.pk).update(index_pending=True)

    with pytest.raises(CommandError, match="differ"):
        check()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_index", stdout=out)
    found = out.getvalue()
    assert f"{missing_report.sections.count()} section(s) missing from the index" in found
    assert f"indexed with out-of-date content: {stale.pk}" in found
    assert f"deleted from the database: {orphan.pk}" in found
    assert "1 report(s) still waiting for the index" in found

    repaired = check("--repair")
    assert "Reindexed 3 report(s)" in repaired
    assert repaired.rstrip().endswith("The index and the database agree.")
    assert "agree" in check()
    assert not Report.objects.waiting_for_index().exists()


def test_a_report_deleted_while_the_index_kept_it_is_removed_from_the_index(seeded):
    gone = seeded[0]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Section._meta.db_table} WHERE report_id = %s", [gone.pk])
        cursor.execute(f"DELETE FROM {Report._meta.db_table} WHERE id = %s", [gone.pk])
    repaired = check("--repair")
    assert "removed 1 from the index" in repaired
    assert repaired.rstrip().endswith("agree.")


def test_an_unreadable_index_is_reported_and_rebuilt(seeded):
    index_dir = Path(connections["default"].get_backend().path)
    for path in index_dir.iterdir():
        path.write_bytes(b"\x00garbage" * 16)
    # As in a fresh process, which must open the damaged files.
    connections["default"].get_backend().setup_complete = False

    with pytest.raises(CommandError):
        call_command("check_index", stdout=StringIO())
    repaired = check("--repair")
    assert "cannot be read" in repaired
    assert repaired.rstrip().endswith("agree.")


def test_an_original_no_row_keeps_is_found_and_removed_but_young_and_kept_files_stay(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "originals"
    settings.ARCHIVE_ORPHAN_AGE_SECONDS = 3600
    kept = seeded[0]
    (settings.MEDIA_ROOT / "ab").mkdir(parents=True)
    orphan = settings.MEDIA_ROOT / "ab" / "never-committed.pdf"   # as a crashed upload leaves it
    orphan.write_bytes(b"%PDF-1.4")
    young = settings.MEDIA_ROOT / "ab" / "being-written.txt"
    young.write_bytes(b"x")
    owned = settings.MEDIA_ROOT / "cd" / "owned.txt"
    owned.parent.mkdir()
    owned.write_bytes(b"y")
    Report.objects.filter(pk=kept.pk).update(original="cd/owned.txt")
    an_hour_ago = time.time() - 3700
    for path in (orphan, owned):
        os.utime(path, (an_hour_ago, an_hour_ago))

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_index", stdout=out)
    assert "1 original file(s) that no report or upload keeps: ab/never-committed.pdf" in out.getvalue()

    repaired = check("--repair")
    assert "Removed 1 orphan original file(s)." in repaired
    assert repaired.rstrip().endswith("agree.")
    assert not orphan.exists() and young.exists() and owned.exists()
