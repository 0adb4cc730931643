"""Rows for the page tests, made directly (the seed corpus through ingest is in test_seed_pages.py)."""

import hashlib
from datetime import date

import pytest
from django.core.files.base import ContentFile

from reports.models import Association, Report, Section

DAMAGED = "\ufffd"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # Original files of each test go to its own folder, never the data directory.
    settings.MEDIA_ROOT = tmp_path / "originals"
    return settings.MEDIA_ROOT


def make_association(name="河北省医学会", *, slug=None, region="河北省", kind="医学会") -> Association:
    return Association.objects.create(name=name, slug=slug or f"assoc-{Association.objects.count() + 1}", region=region, kind=kind)


def make_report(association, *, title="历久弥坚 继承创新", published=date(2021, 6, 30), year=2021,
                language="zh-Hans", sections=(), warnings=(), original=b"original bytes",
                source_name="report.txt", source="中华医学信息导报", authors="河北省医学会", body=None) -> Report:
    sections = list(sections)
    body = body if body is not None else "\n".join(f"{heading}\n{text}" for heading, _level, text in sections)
    report = Report(
        association=association, title=title, published=published, year=year, language=language,
        source=source, authors=authors, source_name=source_name, body=body, warnings=list(warnings),
        content_hash=hashlib.sha256((title + body).encode()).hexdigest(),
    )
    report.original.save(source_name, ContentFile(original), save=False)
    report.save()
    for order, (heading, level, text) in enumerate(sections):
        Section.objects.create(report=report, order=order, level=level, heading=heading, text=text, anchor=f"s{order}")
    return report


@pytest.fixture
def hebei(db):
    return make_association()


@pytest.fixture
def hebei_report(hebei):
    return make_report(
        hebei,
        sections=[
            ("", 0, "河北省医学会成立于1962年,业务主管单位为河北省科学技术协会。"),
            ("开展的主要工作", 1, "学会坚持党的领导。\n\n学会加强自身建设。"),
            ("(一)以党建工作为引领", 2, f"医院{DAMAGED}{DAMAGED}建设取得成效。"),
        ],
        warnings=[{"kind": "damaged", "message": "2 damaged characters in section (一)"}],
        original=b"\xef\xbb\xbf\xe5\x8e\x86 raw bytes \x00\xff exactly",
        source_name="000_河北.txt",
    )
