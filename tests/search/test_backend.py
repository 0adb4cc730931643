"""The haystack engine: our analyzer in the schema, writes under the cross-process lock."""

import fcntl
import logging

import pytest
from haystack import connections
from whoosh.fields import ID, TEXT

from reports.models import Report
from reports.search import SearchParams, index_report, search
from reports.search.analyzer import CrossScriptTokenizer
from reports.search.locking import IndexLockTimeout, lock_path_for

pytestmark = pytest.mark.django_db


def test_text_fields_use_the_cross_script_analyzer_and_keywords_are_exact(search_index):
    backend = connections["default"].get_backend()
    backend.setup()
    for name in ("text", "title"):
        assert isinstance(backend.schema[name], TEXT)
        assert isinstance(backend.schema[name].analyzer, CrossScriptTokenizer)
    for name in ("report_id", "association", "year", "language", "published", "order", "django_id"):
        assert isinstance(backend.schema[name], ID)
        assert backend.schema[name].column_type is not None   # read per hit from a column


def test_a_writer_held_up_by_another_process_retries_then_fails_and_the_report_stays_pending(
    search_index, make_report, monkeypatch
):
    report = make_report("报告", [("", "医院党建")])
    backend = connections["default"].get_backend()
    backend.lock_timeout = 0.1
    monkeypatch.setattr("reports.search.indexing.BACKOFF_SECONDS", 0)
    lock_file = lock_path_for(search_index)
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a+b") as other_process:
        fcntl.flock(other_process, fcntl.LOCK_EX)
        with pytest.raises(IndexLockTimeout):
            index_report(report)
    report.refresh_from_db()
    assert report.index_pending is True
    assert index_report(report) == 1          # once the other writer is done
    assert Report.objects.get(pk=report.pk).index_pending is False


def test_the_open_searcher_sees_writes_from_another_process_and_a_rebuild(search_index, make_report):
    from django.core.management import call_command
    from haystack.utils.loading import load_backend

    from reports.search import SearchParams, search

    first = make_report("甲", [("", "医院党建")])
    index_report(first)
    assert len(search(SearchParams(q="医院党建")).hits) == 1
    searcher = connections["default"].get_backend().searcher()
    assert connections["default"].get_backend().searcher() is searcher     # kept across searches

    # Another process: an engine of its own on the same directory.
    other = load_backend("reports.search.backend.CrossScriptWhooshEngine")(using="default").get_backend()
    second = make_report("乙", [("", "医院党建工作")])
    section_index = connections["default"].get_unified_index().get_index(second.sections.model)
    other.replace(field="report_id", value=str(second.pk), docs=other.documents(section_index, second.sections.all()))
    assert len(search(SearchParams(q="医院党建")).hits) == 2

    call_command("rebuild_index", interactive=False, verbosity=0)
    assert len(search(SearchParams(q="医院党建")).hits) == 2
    other.delete_index()
    assert search(SearchParams(q="医院党建")).hits == []


def test_a_repeated_query_is_answered_from_the_workers_cache_until_the_index_changes(
    search_index, make_report, monkeypatch
):
    from reports.search import SearchParams, search

    index_report(make_report("甲", [("", "医院党建")]))
    backend = connections["default"].get_backend()
    reads = []
    real_read = backend._read_matches
    monkeypatch.setattr(backend, "_read_matches", lambda *args: (reads.append(1), real_read(*args))[1])
    for params in (SearchParams(q="医院党建"), SearchParams(q="醫院黨建", page=2), SearchParams(q="医院党建", sort="date"),
                   SearchParams(q="医院党建", filters={"year": "2021"})):
        search(params)
    assert len(reads) == 1      # the same query: paging, sorting and filters reuse it
    index_report(make_report("乙", [("", "医院党建")]))
    assert search(SearchParams(q="医院党建")).report_count == 2
    assert len(reads) == 2


def test_a_server_process_opens_the_index_before_its_first_search(search_index, make_report, monkeypatch, caplog):
    from reports.search import warm_up
    from reports.text import _converter

    index_report(make_report("甲", [("", "医院党建")]))
    backend = connections["default"].get_backend()
    _converter.cache_clear()
    warm_up()
    assert _converter.cache_info().currsize == 2                 # both script converters built
    assert backend._searcher is not None and backend._columns_of_index is not None

    def unreadable():
        raise EOFError("damaged segment")

    monkeypatch.setattr(backend, "searcher", unreadable)
    with caplog.at_level(logging.WARNING, logger="reports.search.searching"):
        warm_up()   # logged, not raised: the searches will say the index is unavailable
    assert "could not be opened" in caplog.text and "EOFError" in caplog.text
    outcome = search(SearchParams(q="医院党建"))
    assert outcome.index_unavailable and outcome.notices and outcome.hits == []


def test_a_process_opening_the_index_just_as_another_commits_opens_the_new_generation(search_index, make_report, monkeypatch):
    # A commit writes a new table of contents, then deletes the old one: a process that
    # listed the folder just before finds the file of the generation it listed gone.
    from haystack.utils.loading import load_backend
    from whoosh.index import TOC

    index_report(make_report("甲", [("", "医院党建")]))
    opening = load_backend("reports.search.backend.CrossScriptWhooshEngine")(using="default").get_backend()
    opening.setup()
    listed = opening.index.latest_generation()
    index_report(make_report("乙", [("", "医院党建工作")]))     # the other process's commit
    stale = [listed]
    real_latest = TOC._latest_generation
    monkeypatch.setattr(TOC, "_latest_generation",
                        classmethod(lambda cls, storage, indexname: stale.pop() if stale else real_latest(storage, indexname)))

    opening.prepare_for_search()

    assert stale == [] and opening.searcher().doc_count() == connections["default"].get_backend().searcher().doc_count() == 2
