"""Search fixtures: every test (or module, for the seed corpus) gets an index directory of its own."""

from pathlib import Path

import pytest
from django.test import override_settings
from haystack import connections

from tests.search_index import index_at

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def search_index(tmp_path):
    with index_at(tmp_path / "whoosh_index") as path:
        yield path


@pytest.fixture
def make_report(db):
    """Store a report with sections directly, without the ingestion pipeline."""
    from reports.models import Association, Report, Section

    numbers = iter(range(1, 100_000))

    def make(title, sections, *, association="测试医学会", language="zh-Hans", year=2021, published=None):
        number = next(numbers)
        assoc = Association.objects.matching_name(association).first()
        if assoc is None:
            assoc = Association.objects.create(name=association, slug=f"assoc-{number}")
        report = Report.objects.create(
            association=assoc, title=title, language=language, year=year, published=published,
            source_name=f"test-{number}.txt", content_hash=f"{number:064d}",
            body="\n".join(text for _, text in sections),
        )
        Section.objects.bulk_create(
            Section(report=report, order=order, level=1 if heading else 0, heading=heading, text=text,
                    anchor=f"s{order}")
            for order, (heading, text) in enumerate(sections)
        )
        return report

    return make


@pytest.fixture
def indexed(search_index, make_report, django_capture_on_commit_callbacks):
    """``make_report`` with the index updated as after a real commit."""

    def make(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            report = make_report(*args, **kwargs)
        report.refresh_from_db()
        return report

    return make


@pytest.fixture(scope="module")
def seed_corpus(django_db_setup, django_db_blocker, tmp_path_factory):
    """The five seed files ingested through the real pipeline, indexed by the signals.

    Ingested once per module (committed, so the after-commit indexing runs) and
    removed afterwards; the reports are returned by file prefix ('000' ... '004').
    """
    from reports.ingest import ingest_path
    from reports.models import Association, DeletedReport, Report

    with django_db_blocker.unblock(), index_at(tmp_path_factory.mktemp("seed-index") / "whoosh_index"):
        reports = {}
        try:
            for path in sorted(SEEDS_DIR.glob("*.txt")):
                result = ingest_path(path)
                assert result.report is not None, result.error
                reports[path.name[:3]] = result.report
            yield reports
        finally:
            Report.objects.all().delete()
            # Deleting a report keeps its OAI deleted record (committed here, outside any test's
            # transaction): left behind, it would be the earliest datestamp of later modules' archives.
            DeletedReport.objects.all().delete()
            Association.objects.all().delete()


@pytest.fixture
def elasticsearch_backend_here():
    """haystack's default connection pointed at an Elasticsearch that is never contacted."""
    from django.conf import settings

    original = connections.connections_info
    swapped = {"default": {
        "ENGINE": "reports.search.elasticsearch.CrossScriptElasticsearchEngine",
        "URL": "http://127.0.0.1:9/", "INDEX_NAME": "archive_test",
    }}
    with override_settings(HAYSTACK_CONNECTIONS=swapped):
        connections.connections_info = settings.HAYSTACK_CONNECTIONS
        connections.reload("default")
        try:
            backend = connections["default"].get_backend()
            backend.setup_complete = True     # setup() would ask the server for its mapping
            yield backend
        finally:
            connections.connections_info = original
            connections.reload("default")
