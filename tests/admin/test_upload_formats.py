"""Uploading reports through the admin's add page, in every format and encoding it reads."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from reports.ingest import parse_bytes
from reports.models import Association, Report
from tests.admin.conftest import batch_uploads, change_url
from tests.admin.seeds import as_docx, as_html, as_pdf, seed_text, traditional_big5_text

pytestmark = pytest.mark.django_db

# What the seeds must give (issue 2), whatever the form they arrive in.
EXPECTED = {
    "000": dict(title="历久弥坚 继承创新——以党建工作为引领,加强河北省医学会自身发展", published=date(2021, 6, 30), language="zh-Hans", association="河北省医学会"),
    "001": dict(title="党建引领 久久为功——天津市医学会党建工作纪实", published=None, language="zh-Hans", association="天津市医学会"),
    "002": dict(title="Stay true to your original aspiration and forge ahead to boost the development of healthy hi-tech industries and high-quality industries", published=date(2020, 1, 16), language="en", association="Chengdu Hi-tech Zone"),
    "003": dict(title="四川省医院协会 2021 年度工作总结", published=None, language="zh-Hans", association="四川省医院协会"),
}


def reference(prefix: str):
    """The seed as the text pipeline reads its UTF-8 file: what every other form must give."""
    return parse_bytes(seed_text(prefix).encode("utf-8"), filename=f"{prefix}.txt")


def assert_seed_report(report: Report, prefix: str) -> None:
    expected = EXPECTED[prefix]
    assert report.title == expected["title"]
    assert report.published == expected["published"]
    assert report.language == expected["language"]
    assert expected["association"] in report.association.name


def stored_report(response) -> Report:
    """The report the upload created, checking that the admin went on to the batch's status page."""
    (upload,) = batch_uploads(response)
    assert (upload.state, upload.reason) == ("done", ""), upload.reason
    report = Report.objects.get()
    assert upload.report == report
    page = response.client.get(response["Location"]).content.decode()
    assert change_url(report) in page   # the status page links the report
    return report


@pytest.mark.parametrize(
    "prefix, encoding",
    [("000", "utf-8-sig"), ("001", "utf-16"), ("002", "utf-8"), ("003", "gb18030")],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-8", "gb18030"],
)
def test_plain_text_in_each_encoding_is_stored_with_its_metadata_and_the_same_text(upload, prefix, encoding):
    data = seed_text(prefix).encode(encoding)
    if encoding == "utf-16":
        assert data.startswith(b"\xff\xfe")  # little-endian with its BOM, as Windows Notepad writes it

    report = stored_report(upload((f"{prefix}-{encoding}.txt", data)))

    assert_seed_report(report, prefix)
    assert report.body == reference(prefix).body
    assert report.sections.count() == len(reference(prefix).sections)
    assert report.source_name == f"{prefix}-{encoding}.txt"
    with report.original.open("rb") as original:
        assert original.read() == data  # kept byte for byte, in its own encoding


def test_big5_traditional_text_is_stored_without_pinyin(upload):
    text = traditional_big5_text()

    report = stored_report(upload(("haidian-big5.txt", text.encode("big5"))))

    assert report.title == "醫院黨建“創新合伙人”平臺助力健康海淀建設"
    assert report.published == date(2023, 11, 4)
    assert report.language == "zh-Hant"
    assert "海淀" in report.association.name
    assert report.body == parse_bytes(text.encode("utf-8"), filename="004.txt").body
    assert not re.search(r"\([a-zāáǎàīíǐìūúǔù ]+\)", report.body)


def test_html_page_is_stored_as_its_article_only(upload):
    report = stored_report(upload(("tianjin.html", as_html("001"))))

    assert_seed_report(report, "001")
    assert report.body == reference("001").body
    for chrome in ("学会概况", "统计脚本", "侧栏链接", "分享到", "版权所有", "欢迎访问"):
        assert chrome not in report.body


def test_docx_is_stored_with_its_headings_as_sections(upload):
    report = stored_report(upload(("sichuan.docx", as_docx("003"))))

    assert_seed_report(report, "003")
    assert report.body == reference("003").body
    headings = list(report.sections.exclude(heading="").values_list("heading", flat=True))
    assert headings == [s.heading for s in reference("003").sections if s.heading]
    assert "一、继续做好新冠肺炎疫情防控工作" in headings


@pytest.mark.parametrize("prefix", ["000", "001", "003"])
def test_pdf_with_a_text_layer_is_stored_with_its_lines_and_pages_rejoined(upload, prefix):
    data = as_pdf(prefix)
    assert len(PdfReader(io.BytesIO(data)).pages) > 1  # paragraphs run across page breaks

    report = stored_report(upload((f"{prefix}.pdf", data)))

    assert_seed_report(report, prefix)
    assert report.body == reference(prefix).body


def test_english_pdf_keeps_its_paragraphs_and_word_spaces(upload):
    report = stored_report(upload(("chengdu.pdf", as_pdf("002"))))

    assert_seed_report(report, "002")
    assert report.body == reference("002").body


def test_several_files_at_once_are_all_stored_and_listed(upload):
    response = upload(("hebei.txt", seed_text("000").encode("gb18030")), ("tianjin.html", as_html("001")), ("sichuan.docx", as_docx("003")))

    assert [(u.name, u.state) for u in batch_uploads(response)] == [("hebei.txt", "done"), ("tianjin.html", "done"), ("sichuan.docx", "done")]
    assert sorted(Report.objects.values_list("source_name", flat=True)) == ["hebei.txt", "sichuan.docx", "tianjin.html"]
    page = response.client.get(response["Location"]).content.decode()
    for report in Report.objects.all():
        assert change_url(report) in page  # each stored file is linked on the status page
    assert 'http-equiv="refresh"' not in page  # all read: the page no longer reloads itself


def test_an_existing_association_is_matched_in_the_other_script(upload):
    existing = Association.objects.create(name="河北省醫學會", slug="hebei", region="河北省", kind="醫學會")

    report = stored_report(upload(("hebei.txt", seed_text("000").encode("utf-8"))))

    assert report.association == existing
    assert Association.objects.count() == 1


def test_a_new_association_is_created_for_an_unknown_one(upload):
    report = stored_report(upload(("tianjin.txt", seed_text("001").encode("utf-8"))))

    assert report.association.name == "天津市医学会"
    assert report.association.slug


def test_the_change_page_shows_what_was_derived_warnings_and_sections(upload, staff_client):
    report = stored_report(upload(("haidian.txt", seed_text("004").encode("utf-8"))))

    page = staff_client.get(change_url(report)).content.decode()

    assert report.title in page
    assert 'value="2023-11-04"' in page
    assert all(w["message"] in page for w in report.warnings) and report.has_damage
    for section in report.sections.exclude(heading=""):
        assert section.heading in page
    assert f'href="/reports/{report.pk}/original/"' in page
    assert staff_client.get(f"/reports/{report.pk}/original/").getvalue() == seed_text("004").encode("utf-8")
