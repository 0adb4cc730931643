"""The search page and its JSON twin."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(indexed):
    return [
        indexed("海淀报告", [("一、医院党建", "海淀區<b>醫院黨建</b>工作")], association="海淀区委", language="zh-Hant",
                year=2023),
        indexed("Chengdu report", [("1. Inspections", "Carried out four inspections in the district.")],
                association="Chengdu Medical Association", language="en", year=2020),
    ]


def test_api_search_shape(client, reports):
    data = client.get("/api/search/", {"q": "医院党建"}).json()
    assert set(data) == {"query", "count", "next", "results", "facets", "notices"}
    assert data["query"] == "医院党建"
    assert data["count"] == 1 and data["next"] is None
    (result,) = data["results"]
    assert set(result) == {"report", "section", "url", "highlights"}
    listed = client.get("/api/reports/").json()["results"]
    assert result["report"] == next(item for item in listed if item["id"] == reports[0].pk)
    assert result["section"] == {"anchor": "s0", "heading": "一、医院党建"}
    assert result["url"].endswith(f"/reports/{reports[0].pk}/#s0")
    assert result["highlights"] == ["海淀區&lt;b&gt;<mark>醫院黨建</mark>&lt;/b&gt;工作"]
    assert set(data["facets"]) == {"association", "region", "year", "language"}
    (language,) = data["facets"]["language"]
    assert (language["value"], language["count"], language["selected"]) == ("zh-Hant", 1, False)
    assert language["label"]


def test_api_next_link_and_filters(client, reports, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("reports.search.searching.PER_PAGE", 1)
    with django_capture_on_commit_callbacks(execute=True):
        reports[1].sections.create(order=1, heading="2.", text="More inspection work", anchor="s1")
    data = client.get("/api/search/", {"q": "inspection", "language": "en"}).json()
    assert data["count"] == 2
    assert "page=2" in data["next"] and "language=en" in data["next"]
    assert client.get("/api/search/", {"q": "inspection", "language": "zh-Hant"}).json()["count"] == 0


def test_search_page_groups_hits_by_report_with_links_and_marks(client, reports):
    page = client.get("/search/", {"q": "醫院黨建"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "海淀报告" in html
    assert f'href="/reports/{reports[0].pk}/#s0"' in html
    assert "<mark>醫院黨建</mark>" in html
    assert "&lt;b&gt;" in html and "<b>醫院" not in html
    assert '/api/search/?q=' in html   # the JSON twin is linked


def test_search_page_facets_and_sort_links(client, reports):
    html = client.get("/search/", {"q": "inspections"}).content.decode()
    assert "?q=inspections&amp;language=en" in html
    assert "sort=date" in html


def test_empty_result_page_offers_the_other_script_and_no_filters(client, reports):
    html = client.get("/search/", {"q": "北京大学", "year": "2023"}).content.decode()
    assert "北京大學" in html
    assert "?q=%E5%8C%97%E4%BA%AC%E5%A4%A7%E5%AD%A6" in html   # the same query without the year


def test_search_page_without_a_query(client, db):
    page = client.get("/search/")
    assert page.status_code == 200


@pytest.mark.parametrize("params", [
    {"q": "医院", "year": "abc", "page": "-1", "sort": "x"},
    {"q": "醫院", "association": "<script>", "language": "'\"", "page": "99999999999999999999"},
    {"q": "医院", "page": "1e9"},
])
def test_hostile_parameters_get_a_page(client, reports, params):
    assert client.get("/search/", params).status_code == 200
    assert client.get("/api/search/", params).status_code == 200


def test_search_page_pagination_keeps_the_query_and_filters(client, reports, monkeypatch,
                                                           django_capture_on_commit_callbacks):
    monkeypatch.setattr("reports.search.searching.PER_PAGE", 1)
    with django_capture_on_commit_callbacks(execute=True):
        reports[1].sections.create(order=1, heading="2.", text="More inspection work", anchor="s1")
    html = client.get("/search/", {"q": "inspection", "language": "en"}).content.decode()
    assert 'rel="next" href="?q=inspection&amp;language=en&amp;page=2"' in html
    second = client.get("/search/", {"q": "inspection", "language": "en", "page": "2"}).content.decode()
    assert 'rel="prev"' in second and "More <mark>inspection</mark> work" in second
