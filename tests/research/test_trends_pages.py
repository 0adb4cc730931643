"""The trends page, its chart and table, and its JSON and CSV twins."""

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict

from reports.search import SearchParams, search
from tests.research.conftest import committed_archive

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def archive(django_db_setup, django_db_blocker, tmp_path_factory):
    with committed_archive(django_db_blocker, tmp_path_factory.mktemp("trends-pages") / "index", [
        ("医院党建报告", [("一、医院党建", "加强医院党建工作。")], {"association": "北京市医学会", "year": 2019}),
        ("醫院黨建", [("", "醫院黨建與分級診療。")], {"association": "臺北市醫學會", "language": "zh-Hant", "year": 2020}),
        ("学会工作", [("", "分级诊疗。")], {"association": "北京市医学会", "year": 2020}),
        ("天津", [("", "分级诊疗<b>试点</b>。")], {"association": "天津市医学会", "year": 2022}),
    ]) as made:
        yield made


def test_api_shape_is_the_issue_s(client):
    data = client.get("/api/trends/?q=医院党建&q=分级诊疗").json()
    assert set(data) == {"queries", "years", "reports_per_year", "series"}
    assert data["queries"] == ["医院党建", "分级诊疗"]
    assert data["years"] == [2019, 2020, 2022]
    assert data["reports_per_year"] == [1, 2, 1]
    first, second = data["series"]
    assert set(first) == {"query", "reports", "share", "notices"}
    assert first == {"query": "医院党建", "reports": [1, 1, 0], "share": [1.0, 0.5, 0.0], "notices": []}
    assert second["reports"] == [0, 2, 1]


def test_api_csv_has_one_row_per_year(client):
    response = client.get("/api/trends/?q=医院党建&q=分级诊疗&format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["year", "reports", "医院党建 reports", "医院党建 share", "分级诊疗 reports", "分级诊疗 share"]
    assert rows[1:] == [["2019", "1", "1", "1.0", "0", "0.0"], ["2020", "2", "1", "0.5", "2", "1.0"],
                        ["2022", "1", "0", "0.0", "1", "1.0"]]


@pytest.mark.parametrize("query,status,message", [
    ("q=a&q=b&q=c&q=d&q=e&q=f&q=g", 400, "At most 6 queries"),
    ("q=NOT+医院", 400, "cannot be searched"),
    ("", 400, "Type a query"),
    ("q=医院&from=x", 400, "is not a year"),
])
def test_api_errors_say_what_is_wrong(client, query, status, message):
    response = client.get(f"/api/trends/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    assert message in response.json()["detail"]
    as_csv = client.get(f"/api/trends/?{query}&format=csv", HTTP_ACCEPT_LANGUAGE="en")
    assert as_csv.status_code == status and message in as_csv.content.decode("utf-8-sig")


def test_page_draws_a_line_per_query_and_links_each_point_to_its_search(client):
    page = client.get("/trends/?q=医院党建&q=分级诊疗", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    svg = re.search(r"<svg class=\"line-chart\".*?</svg>", html, re.S).group()
    assert svg.count('class="chart-series') == 2
    links = re.findall(r'<a href="([^"]+)" tabindex="-1">', svg)
    assert len(links) == 6   # two queries, three years
    for link in links:
        params = SearchParams.from_querydict(QueryDict(urlsplit(link.replace("&amp;", "&")).query))
        outcome = search(params)
        title = re.search(re.escape(link) + r'" tabindex="-1"><title>([^<]+)</title>', svg).group(1)
        assert f": {outcome.report_count} of " in title, (link, title)


def test_page_table_has_the_numbers_and_the_share_view_switches(client):
    html = client.get("/trends/?q=分级诊疗&measure=share", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = re.search(r"<table class=\"trend-table\">.*?</table>", html, re.S).group()
    assert "<caption" in table and 'scope="row">2020</th>' in table
    assert "(100.0%)" in table and "(0.0%)" in table
    assert 'aria-current="true">share of the year' in html
    # Shares are drawn on a percentage axis.
    assert "100%</text>" in html


def test_page_without_a_query_is_the_form(client):
    page = client.get("/trends/")
    assert page.status_code == 200
    assert 'name="q"' in page.content.decode() and "line-chart" not in page.content.decode()


def test_page_errors_are_messages_not_failures(client):
    page = client.get("/trends/?" + "&".join(f"q=词{n}" for n in range(7)), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "At most 6 queries" in page.content.decode()


def test_the_page_escapes_queries(client):
    html = client.get("/trends/?q=<script>alert(1)</script>医院").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
