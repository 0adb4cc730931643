"""The report page: metadata, contents, text, damage, download, citation, neighbours."""

import json
from datetime import date

import pytest
from bs4 import BeautifulSoup
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


@pytest.fixture
def seen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2026, 11, 24))


def test_citation_block_shows_gbt7714_and_apa_and_links_the_files(client, hebei_report, seen_today):
    soup = BeautifulSoup(client.get(hebei_report.get_absolute_url()).content, "html.parser")
    block = soup.find("section", class_="citation")
    url = f"http://testserver/reports/{hebei_report.pk}/"
    lines = {div.dt.get_text(): div.dd.code for div in block.find("dl", class_="citations").find_all("div")}
    assert {label: code.get_text() for label, code in lines.items()} == {
        "GB/T 7714-2015": f"河北省医学会. 历久弥坚 继承创新[R/OL]. (2021-06-30)[2026-11-24]. {url}.",
        "APA": f"河北省医学会. (2021). 历久弥坚 继承创新. {url}",
    }
    assert all(code["lang"] == "zh-Hans" for code in lines.values())
    links = {a.get_text(): a for a in block.find("p", class_="citation-files").find_all("a")}
    assert {label: a["href"] for label, a in links.items()} == {
        "BibTeX": f"/api/reports/{hebei_report.pk}/cite/?format=bibtex",
        "RIS": f"/api/reports/{hebei_report.pk}/cite/?format=ris",
        "CSL-JSON": f"/api/reports/{hebei_report.pk}/cite/?format=csljson",
    }
    assert links["BibTeX"].has_attr("download") and links["RIS"].has_attr("download")


@pytest.mark.parametrize(("language", "heading"), [("zh-hans", "引用本报告"), ("zh-hant", "引用本報告"),
                                                   ("en", "Cite this report")])
def test_citation_block_speaks_the_interface_language(client, hebei_report, language, heading):
    soup = BeautifulSoup(client.get(hebei_report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content,
                         "html.parser")
    assert soup.find(id="citation-heading").get_text() == heading


def test_citations_quote_the_report_as_written_whatever_script_is_chosen(client, hebei, seen_today):
    report = make_report(hebei, title="醫院黨建工作總結", authors="", language="zh-Hant")
    soup = BeautifulSoup(client.get(report.get_absolute_url() + "?script=hans").content, "html.parser")
    assert soup.h1.get_text() == "医院党建工作总结"   # the page follows the reader's choice
    gbt = soup.select_one(".citation-gbt7714 code").get_text()
    assert gbt.startswith("河北省医学会. 醫院黨建工作總結[R/OL].")   # the citation does not
    assert soup.find("p", class_="citation-note")
    as_written = BeautifulSoup(client.get(report.get_absolute_url() + "?script=orig").content, "html.parser")
    assert as_written.find("p", class_="citation-note") is None


def meta_tags(soup) -> list[tuple[str, str]]:
    return [(tag["name"], tag["content"]) for tag in soup.head.find_all("meta") if tag.get("name", "").startswith("citation_")]


def test_head_carries_highwire_tags_and_json_ld(client, hebei):
    report = make_report(hebei, title="Annual report </script><script>alert(1)</script> & more", authors="葛珞 林堅游",
                         language="en", source_name="annual.pdf", published=date(2021, 6, 30))
    soup = BeautifulSoup(client.get(report.get_absolute_url()).content, "html.parser")
    url = f"http://testserver/reports/{report.pk}/"
    assert meta_tags(soup) == [
        ("citation_title", report.title),
        ("citation_author", "葛珞"),
        ("citation_author", "林堅游"),
        ("citation_publication_date", "2021/06/30"),
        ("citation_technical_report_institution", "河北省医学会"),
        ("citation_publisher", "河北省医学会"),
        ("citation_language", "en"),
        ("citation_fulltext_html_url", url),
        ("citation_pdf_url", f"{url}original/"),
    ]
    (block,) = soup.find_all("script")
    assert block["type"] == "application/ld+json"
    data = json.loads(block.string)
    assert (data["@type"], data["name"], data["url"], data["datePublished"]) == ("Report", report.title, url, "2021-06-30")
    assert data["publisher"] == {"@type": "Organization", "name": "河北省医学会"}
    assert data["encoding"]["contentUrl"] == f"{url}original/"


def test_no_pdf_url_for_an_original_that_is_not_a_pdf(client, hebei_report):
    soup = BeautifulSoup(client.get(hebei_report.get_absolute_url()).content, "html.parser")
    names = [name for name, _ in meta_tags(soup)]
    assert "citation_pdf_url" not in names and "citation_title" in names


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
        ("通知.DOC", "application/msword"),
        ("总结.odt", "application/vnd.oasis.opendocument.text"),
        ("公文.ofd", "application/ofd"),
        ("archive.txt.gz", "application/octet-stream"),
        ("no-extension", "application/octet-stream"),
        # Names the archive does not accept get no guessed type that a browser could run.
        ("drawing.svg", "application/octet-stream"),
        ("setup.exe", "application/octet-stream"),
        ("page.xhtml", "text/html"),
    ],
)
def test_original_content_type_follows_the_received_file_name(name, content_type):
    assert content_type_for(name) == content_type


@pytest.mark.parametrize("name", ["logo.svg", "tool.exe", "page.html"])
def test_an_original_is_always_a_download_that_cannot_run(client, hebei, name):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
    report = make_report(hebei, title=name, source_name=name, original=svg)
    response = client.get(reverse("reports:report_original", kwargs={"pk": report.pk}))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] in ("application/octet-stream", "text/html")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == svg


def test_original_download_of_a_word_file_says_so(client, hebei):
    report = make_report(hebei, title="Word", source_name="年度总结.docx", original=b"PK\x03\x04docx bytes")
    response = client.get(reverse("reports:report_original", kwargs={"pk": report.pk}))
    assert response["Content-Type"] == content_type_for("x.docx")
    assert b"".join(response.streaming_content) == b"PK\x03\x04docx bytes"
