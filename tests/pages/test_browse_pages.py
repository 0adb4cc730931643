"""Home, association and year pages, their JSON twins, the feed and the sitemap."""

import json
from datetime import date
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Association, Report
from tests.pages.conftest import make_association, make_report

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def corpus(hebei, hebei_report):
    tianjin = make_association("天津市医学会", slug="tianjin", region="天津市")
    undated = make_report(tianjin, title="党建引领 久久为功", published=None, year=None, source_name="t.txt")
    haidian = make_association("海淀區醫院黨建工作指導委員會", slug="haidian", region="北京市", kind="district committee")
    hant = make_report(haidian, title="醫院黨建平臺", published=date(2023, 11, 4), year=2023, language="zh-Hant")
    return {"hebei": hebei_report, "undated": undated, "hant": hant}


def test_home_shows_search_box_counts_latest_regions_and_years(client, corpus):
    html = client.get("/").content.decode()
    assert '<form class="hero-search" action="/search/" method="get"' in html and 'name="q"' in html
    assert '<dt>协会</dt><dd><a href="/associations/">3</a></dd>' in html
    assert "<dt>报告</dt><dd>3</dd>" in html
    assert "<dt>涵盖年度</dt><dd>2021–2023</dd>" in html
    assert corpus["hant"].get_absolute_url() in html
    for region in ("北京市", "天津市", "河北省"):
        assert f"<dt>{region}</dt>" in html
    assert 'href="/years/2021/"' in html and 'href="/years/2023/"' in html


def test_association_list_shows_region_kind_and_count(client, corpus):
    html = client.get("/associations/").content.decode()
    # Names in another script or language than the page's carry their own lang.
    assert '<a href="/associations/haidian/"><span lang="zh-Hant">海淀區醫院黨建工作指導委員會</span></a>' in html
    assert '<span lang="en">district committee</span> · 1 份报告' in html
    assert '<a href="/associations/tianjin/">天津市医学会</a>' in html
    assert 'href="/api/associations/"' in html


def test_association_page_lists_reports_by_year_with_dates_and_sizes(client, corpus, hebei):
    make_report(hebei, title="2019年工作总结", published=date(2019, 12, 31), year=2019, original=b"x" * 2048)
    html = client.get(hebei.get_absolute_url()).content.decode()
    assert html.index('<a href="/years/2021/">2021</a>') < html.index('<a href="/years/2019/">2019</a>')
    assert '<time datetime="2019-12-31">2019-12-31</time>' in html
    assert "原文 2.0\xa0KB" in html
    body = corpus["hebei"].body
    assert f"{len(body) - body.count(chr(10)) - body.count(' ')} 字" in html  # characters, spaces aside
    assert f'href="/api/associations/{hebei.slug}/"' in html


def test_undated_reports_fall_under_year_unknown(client, corpus):
    html = client.get("/associations/tianjin/").content.decode()
    assert "年度不详" in html


def test_year_page_lists_that_years_reports(client, corpus):
    response = client.get("/years/2023/")
    html = response.content.decode()
    assert response.status_code == 200
    assert corpus["hant"].get_absolute_url() in html
    assert corpus["hebei"].get_absolute_url() not in html
    assert 'href="/api/years/2023/"' in html


def test_a_year_without_reports_is_a_404(client, corpus):
    assert client.get("/years/1999/").status_code == 404


def test_unknown_association_is_a_404(client, corpus):
    assert client.get("/associations/nobody/").status_code == 404


def test_json_twins_answer(client, corpus, hebei):
    listing = client.get("/api/associations/").json()
    assert {row["slug"]: row["report_count"] for row in listing["results"]} == {
        hebei.slug: 1, "tianjin": 1, "haidian": 1,
    }
    detail = client.get(f"/api/associations/{hebei.slug}/").json()
    assert detail["name"] == "河北省医学会"
    assert [r["title"] for r in detail["reports"]] == ["历久弥坚 继承创新"]
    year = client.get("/api/years/2023/").json()
    assert year["count"] == 1 and year["results"][0]["title"] == "醫院黨建平臺"


def test_atom_feed_lists_new_reports_escaped(client, corpus, hebei):
    make_report(hebei, title="<b>A & B</b>", published=date(2024, 1, 1))
    response = client.get("/feeds/reports.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in response.content.decode()
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert entries[0].findtext(f"{ATOM}title") == "<b>A & B</b>"  # newest addition first
    links = {entry.find(f"{ATOM}link").get("href") for entry in entries}
    assert f"http://testserver{corpus['hant'].get_absolute_url()}" in links


def test_a_title_pasted_from_a_word_processor_does_not_break_the_feed(client, corpus, hebei):
    # Word's manual line break is U+000B, which XML 1.0 cannot carry: shown as damage, not a 500.
    tianjin = make_association("天津市\x0b医学会", slug="tianjin-2")
    make_report(tianjin, title="工作\x0b总结\x01", body="正文\x01第一段", authors="", published=date(2024, 1, 3))
    for query in ("", "?script=hant"):
        response = client.get("/feeds/reports.atom" + query)
        assert response.status_code == 200
        entry = ElementTree.fromstring(response.content).find(f"{ATOM}entry")
        assert entry.findtext(f"{ATOM}title") in ("工作\ufffd总结\ufffd", "工作\ufffd總結\ufffd")
        assert "\ufffd" in entry.findtext(f"{ATOM}summary") and "\ufffd" in entry.findtext(f"{ATOM}author/{ATOM}name")
        assert "\ufffd" in entry.find(f"{ATOM}category").get("term")


def test_sitemap_lists_pages_associations_reports_and_years(client, corpus):
    body = client.get("/sitemap.xml").content.decode()
    for path in ("/", "/associations/", "/associations/haidian/", corpus["hant"].get_absolute_url(), "/years/2021/"):
        assert f"<loc>http://testserver{path}</loc>" in body, path


def test_every_page_links_its_json_twin_in_the_head(client, corpus, hebei):
    for path, twin in [
        ("/", "/api/reports/"),
        ("/associations/", "/api/associations/"),
        (hebei.get_absolute_url(), f"/api/associations/{hebei.slug}/"),
        (corpus["hebei"].get_absolute_url(), f"/api/reports/{corpus['hebei'].pk}/"),
        ("/years/2021/", "/api/years/2021/"),
    ]:
        html = client.get(path).content.decode()
        assert f'<link rel="alternate" type="application/json" href="{twin}">' in html, path
        # The twin answers with JSON.
        json.loads(client.get(twin).content)


def test_missing_page_is_the_archive_404_page(client, db):
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "找不到页面" in html and '<a href="/">返回首页</a>' in html


@pytest.mark.parametrize(
    "path",
    ["/reports/99999999999999999999/", "/reports/99999999999999999999/original/", "/years/99999999999999999999/",
     "/associations/%00/", "/years/2021/?page=abc"],
)
def test_hostile_addresses_are_plain_404s(client, corpus, path):
    assert client.get(path).status_code == 404


def test_an_unknown_script_value_is_ignored(client, corpus):
    response = client.get(corpus["hebei"].get_absolute_url() + "?script=%00<x>")
    assert response.status_code == 200 and "河北省医学会" in response.content.decode()


def test_atom_summary_is_text_even_after_a_feed_reader_unescapes_it(client, corpus, hebei):
    make_report(hebei, title="载荷", body='"><img src=x onerror=alert(1)> 正文', published=date(2024, 1, 2))
    feed = ElementTree.fromstring(client.get("/feeds/reports.atom").content)
    summaries = [entry.find(f"{ATOM}summary") for entry in feed.findall(f"{ATOM}entry")]
    payload = next(s for s in summaries if "onerror" in (s.text or ""))
    # What a reader renders as HTML (type="html") must show the markup, not run it.
    assert payload.get("type") == "html"
    assert "<img" not in payload.text
    assert "&lt;img" in payload.text


def test_an_english_report_is_measured_in_words_in_every_interface_language(client, corpus, hebei):
    make_report(hebei, title="Work report", language="en", year=2019, body="The Society cooperated with\n"
                "enterprises in 2019 -- for the first time.\n\nIt's 5,700 members.")
    html = client.get(hebei.get_absolute_url()).content.decode()
    assert "· 14 词" in html and "14 字" not in html
    html = client.get(hebei.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "· 14 words" in html
    assert "characters" in html     # the Chinese reports beside it are still counted in characters
    assert "· 14 詞" in client.get(hebei.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-Hant").content.decode()


def test_a_report_length_follows_its_text_and_lists_read_no_text(client, corpus, hebei):
    report = make_report(hebei, title="Work report", language="en", year=2018, body="One two three.")
    assert (report.words, report.characters) == (3, 12)
    report.body = "一、 工作\n二、总结"          # an edit of the text alone (as the admin's text form saves it)
    report.save(update_fields=["body"])
    report.refresh_from_db()
    assert (report.words, report.characters) == (3, 8)
    Report.objects.filter(pk=report.pk).update(body="x" * 100)   # behind the model's back: the stored counts stand
    with CaptureQueriesContext(connection) as queries:
        html = client.get(hebei.get_absolute_url()).content.decode()
    assert "· 3 词" in html
    # The association page lists lengths without reading any report's text (it was read whole, each report).
    assert not any('"body"' in query["sql"] and "SELECT" in query["sql"] for query in queries.captured_queries)


def test_the_migration_counts_the_texts_already_stored(db):
    from importlib import import_module

    from django.apps import apps

    hebei_report = Report.objects.create(
        association=Association.objects.create(name="河北省医学会", slug="hebei-counts"), title="t", language="zh-Hans",
        source_name="a.txt", content_hash="c" * 64, body="河北 省医学会\nwork report")
    Report.objects.filter(pk=hebei_report.pk).update(words=0, characters=0)
    import_module("reports.migrations.0006_report_text_counts").count_texts(apps, None)
    hebei_report.refresh_from_db()
    assert (hebei_report.words, hebei_report.characters) == (4, 16)


def test_the_archive_has_an_icon_and_favicon_ico_is_not_a_404(client, corpus):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/img/favicon.ico"' in html
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer["Location"] == "/static/img/favicon.ico"
    icon = client.get("/static/img/favicon.ico")
    assert icon.status_code == 200 and b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    svg = client.get("/static/img/favicon.svg")
    assert svg.status_code == 200 and b"<svg" in b"".join(svg.streaming_content)
