"""Every word-processor format and OFD, uploaded through the admin and read by the worker, becomes a searchable report."""

from datetime import date

import pytest

from reports.models import Report
from reports.search import SearchParams, search
from tests.admin.conftest import batch_uploads, change_url
from tests.documents import OFFICIAL_WORD_BLOCKS, OFFICIAL_WORD_HEADINGS, make_numbered_docx, official_document_text
from tests.ofd_writer import make_ofd

pytestmark = pytest.mark.django_db


def _ofd() -> bytes:
    """The same official document as an OFD, its heading numbers typeset (OFD has no list numbering)."""
    bodies = [text for how, text in OFFICIAL_WORD_BLOCKS[3:9] if how is None]
    blocks = [("letterhead", "四川省医院协会文件"), ("number", "川医协〔2022〕1号"), ("rule", ""),
              ("title", "四川省医院协会2021年度工作总结")]
    for heading, text in zip(OFFICIAL_WORD_HEADINGS, bodies):
        blocks += [("heading", heading), ("body", text)]
    return make_ofd(blocks + [("signature", "四川省医院协会"), ("date", "2022年1月15日")])


@pytest.fixture
def files(word_files):
    return {**word_files, "docx": make_numbered_docx(OFFICIAL_WORD_BLOCKS), "ofd": _ofd(),
            "txt": official_document_text().encode("gb18030")}


@pytest.mark.parametrize("kind", ["doc", "wps", "rtf", "odt", "docx", "ofd", "txt"])
def test_uploaded_file_is_stored_with_its_official_metadata_and_found_by_its_number(
        upload, files, kind, django_capture_on_commit_callbacks, staff_client):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload((f"川医协1号.{kind}", files[kind]))

    (stored,) = batch_uploads(response)
    assert (stored.state, stored.reason) == ("done", ""), stored.reason
    report = Report.objects.get()
    assert stored.report == report
    assert report.title == "四川省医院协会2021年度工作总结"
    assert report.document_number == "川医协〔2022〕1号"
    assert report.published == date(2022, 1, 15)
    assert report.association.name == "四川省医院协会"
    headings = list(report.sections.exclude(heading="").values_list("heading", flat=True))
    assert headings[0].startswith("一、") and "二、服务会员单位" in headings
    if kind != "txt":
        assert headings == OFFICIAL_WORD_HEADINGS
    with report.original.open("rb") as original:
        assert original.read() == files[kind]
    for query in ("川医协[2022]1号", "服务会员单位"):
        assert report in {hit.report for hit in search(SearchParams(q=query)).hits}, query
    page = staff_client.get(change_url(report)).content.decode()
    assert 'value="川医协〔2022〕1号"' in page
