"""The report page: metadata, contents, text, damage, download, citation, neighbours."""

from datetime import date

import pytest
from django.urls import reverse

from reports.originals import content_type_for
from tests.pages.conftest import DAMAGED, make_association, make_report

pytestmark = pytest.mark.django_db


def test_report_page_shows_metadata_contents_and_text(client, hebei_report):
    response = client.get(hebei_report.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1 lang=\"zh-Hans\">历久弥坚 继承创新</h1>" in html
    for value in ("河北省医学会", "2021-06-30", "中华医学信息导报", "<dd>简体中文</dd>"):
        assert value in html, value
    # Contents link to anchors that exist on headings.
    assert 'href="#s1"' in html and '<h2 id="s1">开展的主要工作</h2>' in html
    assert '<h3 id="s2">' in html
    # Opening text with no heading still has its anchor, for search hits.
    assert '<section class="report-section" id="s0">' in html
    # One paragraph per line of text.
    assert "<p>学会坚持党的领导。</p>" in html and "<p>学会加强自身建设。</p>" in html


def test_damaged_characters_are_marked_and_warnings_listed(client, hebei_report):
    html = client.get(hebei_report.get_absolute_url()).content.decode()
    assert '<mark class="damaged" title="' in html
    assert f">{DAMAGED}{DAMAGED}</mark>建设取得成效" in html
    assert "2 damaged characters in section (一)" in html
    # The warning box links to where the damage is.
    assert '<a href="#s2">(一)以党建工作为引领</a>' in html


def test_report_page_links_its_json_twin_and_download(client, hebei_report):
    html = client.get(hebei_report.get_absolute_url()).content.decode()
    assert f'href="/api/reports/{hebei_report.pk}/"' in html
    assert f'href="/reports/{hebei_report.pk}/original/"' in html


def test_citation_line_names_author_title_source_date_and_url(client, hebei_report):
    response = client.get(hebei_report.get_absolute_url())
    assert (
        f"河北省医学会. 历久弥坚 继承创新[EB/OL]. 中华医学信息导报, 2021-06-30. http://testserver/reports/{hebei_report.pk}/"
        in response.content.decode()
    )


def test_original_download_is_byte_for_byte_with_its_file_name(client, hebei_report):
    response = client.get(reverse("reports:report_original", kwargs={"pk": hebei_report.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xef\xbb\xbf\xe5\x8e\x86 raw bytes \x00\xff exactly"
    assert response["Content-Type"] == "text/plain"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # A Chinese file name travels RFC 5987-encoded.
    assert "filename*=utf-8''000_%E6%B2%B3%E5%8C%97.txt" in disposition


def test_original_download_of_a_missing_file_is_a_404(client, hebei_report):
    hebei_report.original.delete(save=False)
    response = client.get(reverse("reports:report_original", kwargs={"pk": hebei_report.pk}))
    assert response.status_code == 404


def test_previous_and_next_report_are_of_the_same_association(client, hebei, hebei_report):
    older = make_report(hebei, title="2019年工作总结", published=date(2019, 12, 31), year=2019)
    newer = make_report(hebei, title="2023年工作总结", published=date(2023, 1, 5), year=2023)
    other = make_report(make_association("天津市医学会", region="天津市"), title="别的协会", published=date(2022, 1, 1))
    html = client.get(hebei_report.get_absolute_url()).content.decode()
    assert f'rel="prev" href="{older.get_absolute_url()}"' in html
    assert f'rel="next" href="{newer.get_absolute_url()}"' in html
    assert other.get_absolute_url() not in html
    oldest_page = client.get(older.get_absolute_url()).content.decode()
    assert 'rel="prev"' not in oldest_page


def test_everything_shown_is_escaped(client, hebei):
    report = make_report(
        hebei, title="<script>alert(1)</script>", authors="<b>x</b>",
        sections=[("<i>标题</i>", 1, "<img src=x onerror=alert(1)>正文")],
        warnings=[{"kind": "<u>k</u>", "message": "<em>m</em>"}],
    )
    html = client.get(report.get_absolute_url()).content.decode()
    for raw in ("<script>alert(1)", "<b>x</b>", "<i>标题</i>", "<img src=x", "<u>k</u>", "<em>m</em>"):
        assert raw not in html, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_report_is_a_404_page_not_a_debug_page(client):
    response = client.get("/reports/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Traceback" not in html and "URLconf" not in html
    assert '<main id="content"' in html


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("报告.TXT", "text/plain"),
        ("page.htm", "text/html"),
        ("report.pdf", "application/pdf"),
        ("report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("archive.txt.gz", "application/octet-stream"),
        ("no-extension", "application/octet-stream"),
    ],
)
def test_original_content_type_follows_the_received_file_name(name, content_type):
    assert content_type_for(name) == content_type


def test_original_download_of_a_word_file_says_so(client, hebei):
    report = make_report(hebei, title="Word", source_name="年度总结.docx", original=b"PK\x03\x04docx bytes")
    response = client.get(reverse("reports:report_original", kwargs={"pk": report.pk}))
    assert response["Content-Type"] == content_type_for("x.docx")
    assert b"".join(response.streaming_content) == b"PK\x03\x04docx bytes"
