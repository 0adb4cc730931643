"""Every text of the archive in the reader's script on every page, with its own lang
when it is not in the page's language; warnings in the interface language."""

import re
from datetime import date
from xml.etree import ElementTree

import pytest
from django.template import Context, Template
from django.utils import translation

from reports import display
from tests.pages.conftest import make_association, make_report

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# Texts of the archive that are written in Simplified only: converted, none may be left.
SIMPLIFIED_ONLY = ["河北省医学会", "历久弥坚", "开展的主要工作", "学会坚持党的领导", "中华医学信息导报", "医学会 ·"]


@pytest.fixture
def archive(hebei, hebei_report):
    haidian = make_association("海淀區醫院黨建工作指導委員會", slug="haidian", region="北京市", kind="district committee")
    hant = make_report(haidian, title="醫院黨建平臺", published=date(2023, 11, 4), year=2023, language="zh-Hant",
                       sections=[("一、聚合力", 1, "醫院黨建工作體系。")], source="醫院管理論壇報", authors="區委辦公室")
    english = make_report(hebei, title="Stay true to the original aspiration", language="en", year=2019,
                          sections=[("1. Party building", 1, "The Society cooperated with enterprises.")])
    return {"hebei": hebei_report, "hant": hant, "english": english}


def pages(archive):
    hebei = archive["hebei"]
    return {
        "home": "/", "associations": "/associations/", "association": hebei.association.get_absolute_url(),
        "report": hebei.get_absolute_url(), "year": "/years/2021/", "english report": archive["english"].get_absolute_url(),
    }


def visible(html: str) -> str:
    """The page less what is not a text of the archive: addresses, form values,
    examples, the names of the interface languages; and less the citations and the
    metadata for machines, which quote a report as it is written (as a file name
    stays as written; tests/pages/test_report_page.py)."""
    html = re.sub(r'<form class="language-switch".*?</form>', "", html, flags=re.S)
    html = re.sub(r'<meta name="citation_[^>]*>|<script type="application/ld\+json">.*?</script>'
                  r'|<section class="citation".*?</section>', "", html, flags=re.S)
    return re.sub(r'(href|value|action|src|placeholder)="[^"]*"', "", html)


def test_every_page_shows_every_text_in_traditional_when_asked(client, archive):
    client.get("/?script=hant")
    for name, path in pages(archive).items():
        html = visible(client.get(path).content.decode())
        assert [text for text in SIMPLIFIED_ONLY if text in html] == [], name
    report = client.get(archive["hebei"].get_absolute_url()).content.decode()
    for converted in ("河北省醫學會", "歷久彌堅", "開展的主要工作", "中華醫學信息導報"):
        assert converted in report
    assert '<span lang="zh-Hant">中華醫學信息導報</span>' in report      # metadata, in the script shown
    assert '<span lang="zh-Hant">歷久彌堅 繼承創新</span>' in report     # breadcrumbs
    assert "000_河北.txt" in report                                       # a file name stays as written


def test_every_page_shows_every_text_in_simplified_when_asked(client, archive):
    client.get("/?script=hans")
    for name, path in pages(archive).items():
        html = visible(client.get(path).content.decode())
        assert not re.search("[醫黨學會區導體臺]", html), name
    html = client.get("/associations/haidian/").content.decode()
    assert "<h1>海淀区医院党建工作指导委员会</h1>" in html     # converted, so now in the page's script


def test_a_name_in_another_script_or_language_carries_its_lang(client, archive):
    home = client.get("/").content.decode()
    assert '<a href="/associations/haidian/"><span lang="zh-Hant">海淀區醫院黨建工作指導委員會</span></a>' in home
    assert '<a href="/associations/assoc-1/">河北省医学会</a>' in home          # the page's own script: no span
    report = client.get(archive["hant"].get_absolute_url()).content.decode()
    assert '<span lang="zh-Hant">醫院管理論壇報</span>' in report and '<span lang="zh-Hant">區委辦公室</span>' in report
    assert '<code class="citation-line" lang="zh-Hant">' in report
    assert '<span aria-current="page"><span lang="zh-Hant">醫院黨建平臺</span></span>' in report
    english = client.get(archive["english"].get_absolute_url()).content.decode()
    assert '<span aria-current="page"><span lang="en">Stay true to the original aspiration</span></span>' in english
    association = client.get("/associations/haidian/").content.decode()
    assert '<span lang="en">district committee</span>' in association


def test_chinese_names_carry_their_lang_in_the_english_interface(client, archive):
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in home
    assert '<span lang="zh-Hans">河北省医学会</span>' in home
    assert '<span lang="zh-Hant">海淀區醫院黨建工作指導委員會</span>' in home
    assert '<span lang="zh-Hans">历久弥坚 继承创新</span>' in home
    assert '<a class="report-item-title" href="%s">Stay true' % archive["english"].get_absolute_url() in home


def test_the_shown_tag_is_the_one_place_that_decides(rf):
    template = Template("{% load reading %}{% shown text %}|{% shown text of=report %}|{% shown text as_written=True %}")
    report = type("R", (), {"language": "zh-Hans"})()
    with translation.override("zh-hans"):
        out = template.render(Context({"text": "醫學會<b>", "report": report, "script": "hans"}))
    assert out == "医学会&lt;b&gt;|医学会&lt;b&gt;|<span lang=\"zh-Hant\">醫學會&lt;b&gt;</span>"
    assert display.language_of("天津市") == "zh" and display.language_of("2021") == ""
    assert display.language_of("Hospital") == "en" and display.language_of("医院", script="hant") == "zh-Hant"
    assert not display.differs_from_page("zh", "zh-hant") and display.differs_from_page("zh", "en")


def test_warnings_are_sentences_in_the_interface_language_without_an_english_tooltip(client, hebei):
    report = make_report(hebei, title="无年度报告", warnings=[
        {"kind": "guessed", "field": "year", "value": 2021, "reason": "from_date",
         "message": "Year covered taken from the publication date"},
        # As stored before warnings had a reason: the sentence is still known.
        {"kind": "guessed", "field": "region", "value": "河北省", "message": "Region inferred from the places the text names"},
        {"kind": "damaged", "original": "??漆t", "context": "6個??漆t聯體", "line": 17, "message": "Damaged text ..."},
    ])
    html = client.get(report.get_absolute_url()).content.decode()
    notes = html[html.index('<section class="warnings"'):html.index("</section>", html.index('<section class="warnings"'))]
    assert "title=" not in notes
    assert not re.search("[A-Za-z]{3,}", re.sub(r"<[^>]+>", "", notes)), notes
    assert "来源中未注明所属年度；2021 取自发布日期。" in notes
    assert "来源中未注明地区；“河北省”是根据正文提到的地名推断的。" in notes
    english = client.get(report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The year covered is not stated in the source; 2021 was taken from the publication date." in english
    assert "“河北省” was inferred from the places the text names." in english


def test_a_warning_of_a_kind_not_known_here_keeps_its_message(client, hebei):
    # A reason not known here: the general sentence for the field, still translated and with the value.
    with translation.override("en"):
        assert display.describe_warning({"kind": "guessed", "field": "year", "value": 1999, "reason": "new"}) == (
            "Year covered is not stated in the source; “1999” was inferred.")
    report = make_report(hebei, title="旧报告", warnings=[{"kind": "odd", "message": "Something odd"}])
    assert "Something odd" in client.get(report.get_absolute_url()).content.decode()


def test_the_feed_follows_the_script_in_its_address(client, archive):
    def titles(path):
        feed = ElementTree.fromstring(client.get(path).content)
        return [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]

    assert "历久弥坚 继承创新" in titles("/feeds/reports.atom")
    hant = titles("/feeds/reports.atom?script=hant")
    assert "歷久彌堅 繼承創新" in hant and "醫院黨建平臺" in hant
    assert 'href="/feeds/reports.atom?script=hant"' not in client.get("/").content.decode()   # the feed stored nothing
    client.get("/?script=hant")   # the reader's choice, on a page
    assert 'href="/feeds/reports.atom?script=hant"' in client.get("/").content.decode()   # the advertised feed


def test_a_feed_reader_polling_the_scripts_address_leaves_no_session_behind(archive):
    from django.contrib.sessions.models import Session
    from django.test import Client

    for _ in range(3):   # a feed reader keeps no cookie: each poll is a new visitor
        response = Client().get("/feeds/reports.atom?script=hant")
        assert "歷久彌堅 繼承創新" in response.content.decode()
        assert "sessionid" not in response.cookies and "script" not in response.cookies
    assert Session.objects.count() == 0
    page = Client().get("/?script=hant")   # a page read by a person still remembers the choice, in a cookie
    assert page.cookies["script"].value == "hant" and Session.objects.count() == 0
