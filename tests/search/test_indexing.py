"""The index follows the database: saves, changes and deletes, after commit."""

import pytest
from django.core.management import call_command
from django.db import transaction
from haystack import connections
from whoosh.index import LockError

from reports.ingest import ingest_path
from reports.ingest.pipeline import find_or_create_association
from reports.models import Report, Section
from reports.search import SearchParams, catch_up, index_report, search, unindex_report

from tests.conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db


def reports_found(query: str) -> set[int]:
    return {hit.report.pk for hit in search(SearchParams(q=query)).hits}


def test_a_stored_report_is_searchable_at_once_and_no_longer_pending(indexed):
    report = indexed("海淀报告", [("", "医院党建工作")])
    assert reports_found("醫院黨建") == {report.pk}
    assert report.index_pending is False


def test_a_changed_section_is_reindexed_after_commit(indexed, django_capture_on_commit_callbacks):
    report = indexed("报告", [("", "医院党建工作")])
    section = report.sections.get()
    with django_capture_on_commit_callbacks(execute=True):
        section.text = "北京大学口腔医院"
        section.save()
    assert reports_found("医院党建") == set()
    assert reports_found("北京大学") == {report.pk}


def test_a_changed_report_title_is_reindexed(indexed, django_capture_on_commit_callbacks):
    report = indexed("旧标题", [("", "正文")])
    with django_capture_on_commit_callbacks(execute=True):
        report.title = "新题目"
        report.save()
    assert reports_found("新题目") == {report.pk}
    assert reports_found("旧标题") == set()


def test_a_deleted_report_is_gone(indexed, django_capture_on_commit_callbacks):
    report = indexed("报告", [("", "医院党建工作"), ("二、", "党建")])
    with django_capture_on_commit_callbacks(execute=True):
        report.delete()
    assert reports_found("党建") == set()


def test_nothing_is_indexed_before_the_commit(search_index, make_report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = make_report("报告", [("", "医院党建")])
    assert reports_found("医院党建") == set()
    for callback in callbacks:
        callback()
    assert reports_found("医院党建") == {report.pk}


def test_many_section_saves_in_one_transaction_index_once(indexed, monkeypatch, django_capture_on_commit_callbacks):
    report = indexed("报告", [("", "甲"), ("", "乙"), ("", "丙")])
    backend = connections["default"].get_backend()
    calls = []
    real_replace_many = backend.replace_many
    monkeypatch.setattr(backend, "replace_many",
                        lambda **kw: (calls.extend(kw["values"]), real_replace_many(**kw)))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for section in report.sections.all():
                section.text += "医院"
                section.save()
    assert calls == [str(report.pk)]
    assert len(search(SearchParams(q="医院")).hits) == 3


def test_a_failed_index_update_leaves_the_report_pending_for_catch_up(
    search_index, make_report, monkeypatch, django_capture_on_commit_callbacks
):
    backend = connections["default"].get_backend()
    real_replace_many = backend.replace_many

    def locked(**kwargs):
        raise LockError("busy")

    monkeypatch.setattr("reports.search.indexing.BACKOFF_SECONDS", 0)
    monkeypatch.setattr(backend, "replace_many", locked)
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report("报告", [("", "医院党建")])   # the save itself succeeds
    report.refresh_from_db()
    assert report.index_pending is True
    assert reports_found("医院党建") == set()

    monkeypatch.setattr(backend, "replace_many", real_replace_many)
    result = catch_up()
    assert (result.indexed, result.failed) == (1, 0)
    report.refresh_from_db()
    assert report.index_pending is False
    assert reports_found("医院党建") == {report.pk}


def test_catch_up_drops_reports_the_database_no_longer_has(indexed, monkeypatch):
    report = indexed("报告", [("", "医院党建")])
    # Deleted without the signals (as a raw SQL delete or a crashed process would).
    Section.objects.filter(report=report)._raw_delete(Section.objects.db)
    Report.objects.filter(pk=report.pk)._raw_delete(Report.objects.db)
    assert catch_up().removed == 1
    backend = connections["default"].get_backend()
    assert backend.indexed_values("report_id") == set()


def test_index_and_unindex_directly(search_index, make_report):
    report = make_report("报告", [("一、", "医院党建"), ("二、", "北京")])
    assert index_report(report) == 2
    assert reports_found("医院党建") == {report.pk}
    unindex_report(report.pk)
    assert reports_found("医院党建") == set()


def test_rebuild_index_rebuilds_from_the_database_in_place(indexed, search_index):
    report = indexed("报告", [("", "医院党建")])
    marker = search_index / "keep-me"
    marker.write_text("")
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert marker.exists()   # the directory was emptied by Whoosh, never removed
    assert reports_found("医院党建") == {report.pk}


def test_catch_up_index_command(indexed, capsys):
    indexed("报告", [("", "医院党建")])
    Report.objects.update(index_pending=True)
    call_command("catch_up_index")
    assert "Indexed 1 report(s)" in capsys.readouterr().out
    assert not Report.objects.waiting_for_index().exists()


def test_a_bulk_load_is_indexed_in_batches_when_it_ends(search_index, make_report, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    from reports.search import deferred_indexing

    backend = connections["default"].get_backend()
    commits = []
    real_replace_many = backend.replace_many
    monkeypatch.setattr(backend, "replace_many",
                        lambda **kw: (commits.append(sorted(kw["values"])), real_replace_many(**kw)))
    with deferred_indexing(batch_size=2):
        reports = []
        for number in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                reports.append(make_report(f"报告{number}", [("", "医院党建")]))
        assert reports_found("医院党建") == set()          # not yet: written at the end
        assert Report.objects.waiting_for_index().count() == 3
    assert commits == [sorted(str(r.pk) for r in reports[:2]), [str(reports[2].pk)]]
    assert reports_found("医院党建") == {r.pk for r in reports}
    assert not Report.objects.waiting_for_index().exists()


def test_renaming_an_association_reaches_the_index(search_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ingest_path(next(SEEDS_DIR.glob("000_*.txt")))
    association = find_or_create_association("河北省医学会")
    with django_capture_on_commit_callbacks(execute=True):
        association.slug = "hebei"
        association.save()

    outcome = search(SearchParams(q="医学会", filters={"association": "hebei"}))
    assert outcome.count > 0
    assert not Report.objects.waiting_for_index().exists()


def test_indexing_never_reads_a_report_body(search_index, make_report, django_capture_on_commit_callbacks):
    """The body is the whole text again: read once per section (select_related) it made
    a report of 2,000 sections cost gigabytes to index."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report = make_report("大报告", [(f"{n}、标题", f"第{n}节医院党建") for n in range(1, 8)])
    with CaptureQueriesContext(connection) as queries:
        assert index_report(report) == 7
        Report.objects.update(index_pending=True)
        assert catch_up().indexed == 1
        with django_capture_on_commit_callbacks(execute=True):
            Section.objects.filter(report=report, order=0).first().save()   # the signal's path
    body_column = f'{connection.ops.quote_name("reports_report")}.{connection.ops.quote_name("body")}'
    assert not [query["sql"] for query in queries if body_column in query["sql"]]
    assert reports_found("第7节") == {report.pk}
