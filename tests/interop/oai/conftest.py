"""Fixtures for the OAI-PMH tests: a configured repository, reports saved as the site saves them."""

import hashlib
from datetime import date

import pytest
from django.core.files.base import ContentFile

from reports.models import Association, Report
from tests.interop.oai.oai_schema import assert_valid

ADMIN_EMAIL = "archive-admin@example.org"
REPOSITORY = "archive.example.org"


@pytest.fixture(autouse=True)
def oai_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "originals"
    settings.ARCHIVE_OAI_ADMIN_EMAILS = [ADMIN_EMAIL]
    settings.ARCHIVE_OAI_REPOSITORY_IDENTIFIER = REPOSITORY
    settings.ARCHIVE_OAI_PAGE_SIZE = 3
    settings.ARCHIVE_OAI_DESCRIPTION_CHARS = 40
    return settings


@pytest.fixture(autouse=True)
def _own_index(own_search_index):
    # Saving a report reindexes it after the commit: into an index of this test's own.
    return own_search_index


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block's after-commit work (index, datestamps) as a real commit would."""

    def run(block):
        with django_capture_on_commit_callbacks(execute=True):
            return block()

    return run


def make_association(name: str, slug: str) -> Association:
    return Association.objects.create(name=name, slug=slug, region="河北省", kind="医学会")


@pytest.fixture
def add_report(committed):
    """Save a report as the site does (its after-commit work included)."""

    def add(association, *, title, year=2021, published=date(2021, 6, 30), language="zh-Hans", body=None,
            source="中华医学信息导报", authors="", source_name="report.txt") -> Report:
        body = body if body is not None else f"{title}\n\n正文 {title} 第一段。\n第二段。"

        def save():
            report = Report(
                association=association, title=title, year=year, published=published, language=language,
                body=body, source=source, authors=authors, source_name=source_name,
                content_hash=hashlib.sha256((title + body).encode()).hexdigest(),
            )
            report.original.save(source_name, ContentFile(body.encode()), save=False)
            report.save()
            return report

        return committed(save)

    return add


@pytest.fixture
def archive(db, add_report):
    """Two associations (one with a Chinese slug), seven reports over three years."""
    hebei = make_association("河北省医学会", "河北省医学会")
    sichuan = make_association("Sichuan Medical Association", "sichuan")
    reports = [
        add_report(hebei, title="河北省医学会2021年工作总结", year=2021),
        add_report(hebei, title="河北省医学会2022年工作总结", year=2022, published=date(2023, 1, 5)),
        add_report(hebei, title="河北省医學會2020年工作報告", year=2020, language="zh-Hant", published=None),
        add_report(sichuan, title="Annual report 2021", year=2021, language="en", source_name="report.pdf"),
        add_report(sichuan, title="四川省医学会2022年工作总结", year=None, published=date(2022, 12, 1)),
        add_report(sichuan, title="四川省医学会2020年工作总结", year=2020),
        add_report(sichuan, title="四川省医学会2019年工作总结", year=2019),
    ]
    return {"hebei": hebei, "sichuan": sichuan, "reports": reports}


@pytest.fixture
def oai(client):
    """GET (or POST) /oai/ with these arguments; the response must be valid OAI-PMH. Returns its root."""

    def request(method: str = "get", **arguments):
        response = getattr(client, method)("/oai/", arguments)
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/xml")
        return assert_valid(response.content)

    return request
