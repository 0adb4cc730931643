"""?script=hans|hant shows texts in one script, sticks for the visit; the default is as written."""

import pytest
from bs4 import BeautifulSoup

from reports.script import chosen_script
from tests.pages.conftest import make_association, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def haidian_report(db):
    haidian = make_association("海淀區醫院黨建工作指導委員會", slug="haidian", region="北京市")
    return make_report(
        haidian, title="醫院黨建平臺", language="zh-Hant",
        sections=[("聚合力", 1, "醫院黨建工作體系。")],
    )


def test_default_shows_each_text_as_written(client, hebei_report, haidian_report):
    assert "河北省医学会" in client.get(hebei_report.get_absolute_url()).content.decode()
    assert "醫院黨建工作體系" in client.get(haidian_report.get_absolute_url()).content.decode()


def reading_text(response) -> str:
    """The page as a reader reads it: without the citations and the metadata for machines,
    which quote the report as it is written (tests/pages/test_report_page.py)."""
    soup = BeautifulSoup(response.content, "html.parser")
    soup.head.decompose()
    soup.find("section", class_="citation").decompose()
    return str(soup)


def test_hant_shows_simplified_text_in_traditional(client, hebei_report):
    html = reading_text(client.get(hebei_report.get_absolute_url() + "?script=hant"))
    assert "河北省醫學會" in html
    assert '<div class="report-body" lang="zh-Hant">' in html
    assert "河北省医学会" not in html


def test_hans_shows_traditional_text_in_simplified(client, haidian_report):
    html = reading_text(client.get(haidian_report.get_absolute_url() + "?script=hans"))
    assert "医院党建工作体系" in html and "医院党建平台" in html
    assert "黨" not in html


def test_the_choice_sticks_for_the_visit_and_can_be_undone(client, hebei_report, haidian_report):
    client.get("/?script=hant")
    assert "河北省醫學會" in client.get(hebei_report.get_absolute_url()).content.decode()
    client.get("/?script=orig")
    assert "河北省医学会" in client.get(hebei_report.get_absolute_url()).content.decode()


def test_the_choice_is_a_cookie_not_a_session_row(client, hebei_report):
    from django.contrib.sessions.models import Session

    response = client.get(hebei_report.get_absolute_url() + "?script=hant")
    cookie = response.cookies["script"]
    assert cookie.value == "hant" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"]            # for the visit: gone when the browser closes
    assert "Cookie" in response["Vary"]
    assert Session.objects.count() == 0
    assert "sessionid" not in response.cookies
    # Asking again for what is already chosen, or for nothing, sets nothing.
    assert "script" not in client.get("/?script=hant").cookies
    assert "script" not in client.get("/").cookies
    # Back to as written: the cookie goes.
    assert client.get("/?script=orig").cookies["script"]["max-age"] == 0
    assert Session.objects.count() == 0


def test_switch_links_keep_the_query_and_mark_the_current_script(client, hebei_report):
    html = client.get("/years/2021/?page=1&script=hans").content.decode()
    assert '<a href="?page=1&amp;script=hant" rel="nofollow">繁体</a>' in html
    assert '<a href="?page=1&amp;script=hans" aria-current="true" rel="nofollow">简体</a>' in html


def test_converted_text_is_still_escaped(client, hebei):
    report = make_report(hebei, title="<script>医学</script>")
    html = client.get(report.get_absolute_url() + "?script=hant").content.decode()
    assert "&lt;script&gt;醫學&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("asked", "remembered", "shown"),
    [
        (None, None, None),
        ("hans", None, "hans"),
        ("hant", "hans", "hant"),
        (None, "hant", "hant"),
        ("orig", "hant", None),
        ("klingon", "hans", "hans"),  # an unknown value keeps the earlier choice
        (None, "bogus", None),  # a tampered cookie is not trusted
    ],
)
def test_chosen_script(asked, remembered, shown):
    assert chosen_script(asked, remembered) == shown
