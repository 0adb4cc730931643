"""The concordance page and its JSON and CSV twins."""

import csv
import io
import re

import pytest

from reports.research import CONCORDANCE_PER_PAGE
from reports.text import script_key
from tests.research.conftest import committed_archive

pytestmark = pytest.mark.django_db

MANY = "。".join(f"医院党建第{number}项" for number in range(CONCORDANCE_PER_PAGE + 5))


@pytest.fixture(scope="module", autouse=True)
def archive(django_db_setup, django_db_blocker, tmp_path_factory):
    with committed_archive(django_db_blocker, tmp_path_factory.mktemp("concordance-pages") / "index", [
        ("甲报告", [("一、医院党建", MANY)], {"association": "北京市医学会", "year": 2019}),
        ("乙報告", [("", "<b>醫院黨建</b>與分級診療\ufffd\ufffd。")],
         {"association": "臺北市醫學會", "language": "zh-Hant", "year": 2021}),
    ]) as made:
        yield made


def test_api_counts_occurrences_and_pages_with_next(client):
    data = client.get("/api/concordance/", {"q": "医院党建"}).json()
    assert data["count"] == 1 + len(MANY.split("。")) + 1 and data["reports"] == 2
    assert set(data) >= {"query", "count", "next", "results", "notices", "sort"}
    assert len(data["results"]) == CONCORDANCE_PER_PAGE and "page=2" in data["next"]
    first = data["results"][0]
    assert set(first) == {"report", "section", "url", "left", "match", "right"}
    assert (first["left"], first["match"], first["right"]) == ("<b>", "醫院黨建", "</b>與分級診療\ufffd\ufffd。")
    assert first["url"].endswith(f"/reports/{first['report']['id']}/#s0")
    second = client.get(data["next"]).json()
    assert len(second["results"]) == data["count"] - CONCORDANCE_PER_PAGE and second["next"] is None


def test_api_gives_the_chosen_script_beside_the_original(client):
    first = client.get("/api/concordance/", {"q": "医院党建", "script": "hans"}).json()["results"][0]
    assert first["match"] == "醫院黨建" and first["shown"]["match"] == "医院党建"
    assert first["shown"]["right"].startswith("</b>与分级诊疗")


def test_api_csv_export(client):
    response = client.get("/api/concordance/", {"q": "医院党建", "sort": "right", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["report_id", "title", "association", "year", "language", "section", "url", "left", "match",
                       "right"]
    assert len(rows) == 1 + 1 + len(MANY.split("。")) + 1
    keys = [script_key(row[9]) for row in rows[1:]]
    assert keys == sorted(keys)
    assert {row[8] for row in rows[1:]} == {"医院党建", "醫院黨建"}


@pytest.mark.parametrize("query,message", [({"q": ""}, "Type a word"), ({"q": "医院", "to": "x"}, "is not a year")])
def test_api_errors(client, query, message):
    response = client.get("/api/concordance/", query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and message in response.json()["detail"]


def test_page_aligns_matches_and_links_each_line_to_its_place(client):
    page = client.get("/concordance/", {"q": "醫院黨建"})
    html = page.content.decode()
    assert page.status_code == 200
    lines = re.findall(r'<li class="kwic-line">(.*?)</li>', html, re.S)
    assert len(lines) == CONCORDANCE_PER_PAGE
    first = lines[0]
    assert '<span class="kwic-left" lang="zh-Hant"><span>&lt;b&gt;</span></span>' in first     # escaped
    assert re.search(r'<a class="kwic-match" href="/reports/\d+/#s0:~:text=[^"]+" lang="zh-Hant">醫院黨建</a>', first)
    assert '<mark class="damaged"' in first   # damaged text stays marked
    assert 'rel="next"' in html and 'start="1"' in html


def test_page_in_the_chosen_script(client):
    html = client.get("/concordance/", {"q": "医院党建", "script": "hant"}).content.decode()
    assert '>醫院黨建</a>' in html and '>医院党建</a>' not in html
    assert 'lang="zh-Hant"' in html and 'lang="zh-Hans"' not in html.split("kwic")[1]


def test_page_sort_switch_and_errors(client):
    html = client.get("/concordance/", {"q": "医院党建", "sort": "left"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'aria-current="true">text to the left' in html
    page = client.get("/concordance/", {"q": "NOT 医院"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "cannot be searched" in page.content.decode()
    assert client.get("/concordance/").status_code == 200
