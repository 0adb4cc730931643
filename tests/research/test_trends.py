"""Term trends: counts and shares per year, in agreement with the search."""

import pytest
from django.http import QueryDict

from reports.models import Association
from reports.research import ResearchError, search_filters, trends
from reports.search import SearchParams, search
from tests.research.conftest import committed_archive

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """Reports over three years, in both scripts and English, in two regions."""
    with committed_archive(django_db_blocker, tmp_path_factory.mktemp("trends") / "index", [
        ("医院党建报告", [("一、医院党建", "加强医院党建工作。"), ("二、其他", "分级诊疗稳步推进。")],
         {"association": "北京市医学会", "region": "华北", "year": 2019}),
        ("醫院黨建", [("", "醫院黨建與分級診療。")],
         {"association": "臺北市醫學會", "region": "臺灣", "language": "zh-Hant", "year": 2020}),
        ("学会工作", [("", "继续教育。")], {"association": "北京市医学会", "year": 2020}),
        ("分级诊疗", [("", "分级诊疗试点。")], {"association": "天津市医学会", "region": "华北", "year": 2021}),
        ("Hospital report", [("", "Party building in hospitals.")],
         {"association": "Chengdu Association", "language": "en", "year": 2021}),
        ("无年份", [("", "医院党建。")], {"association": "天津市医学会"}),
    ]) as made:
        yield made


def filters(query: str = "") -> SearchParams:
    return search_filters(QueryDict(query))


def test_counts_and_shares_per_year(archive):
    result = trends(queries=["医院党建", "分级诊疗"], filters=filters(), max_queries=6)
    assert result.queries == ["医院党建", "分级诊疗"]
    assert result.years == [2019, 2020, 2021]
    assert result.reports_per_year == [1, 2, 2]
    party, tiers = result.series
    assert party.reports == [1, 1, 0] and party.share == [1.0, 0.5, 0.0]
    assert tiers.reports == [1, 1, 1] and tiers.share == [1.0, 0.5, 0.5]


@pytest.mark.parametrize("query", ["医院党建", "醫院黨建", "医院黨建", "分级诊疗 OR 继续教育", "党建 -分级诊疗",
                                   "hospital", '"party building"', "医"])
@pytest.mark.parametrize("url_filters", ["", "region=华北", "language=zh-Hant", "from=2020&to=2021", "to=2020"])
def test_every_count_is_the_search_report_count_for_that_year(archive, query, url_filters):
    chosen = filters(url_filters)
    result = trends(queries=[query], filters=chosen, max_queries=6)
    (series,) = result.series
    for year, count in zip(result.years, series.reports):
        params = result.search_params(query, year)
        assert params.filters["year"] == str(year)
        assert search(params).report_count == count, (query, url_filters, year)
    assert sum(series.reports) == search(SearchParams(
        q=query, filters=chosen.filters, year_from=chosen.year_from or 1, year_to=chosen.year_to)).report_count


def test_filters_narrow_the_years_and_their_totals(archive):
    result = trends(queries=["医院党建"], filters=filters("region=华北&from=2020"), max_queries=6)
    assert result.years == [2020, 2021] and result.reports_per_year == [1, 1]
    assert result.series[0].reports == [0, 0]
    english = trends(queries=["hospital"], filters=filters("language=en"), max_queries=6)
    assert english.years == [2021] and english.series[0].share == [1.0]


def test_empty_boxes_and_repeats_are_dropped(archive):
    result = trends(queries=["", " 医院党建 ", "医院党建", "  "], filters=filters(), max_queries=1)
    assert result.queries == ["医院党建"]


@pytest.mark.parametrize("queries,message", [
    ([], "Type a query"),
    (["a", "b", "c"], "At most 2 queries"),
    (["-医院"], "cannot be searched"),
    (["***"], "cannot be searched"),
])
def test_what_cannot_be_answered_says_why(archive, queries, message, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ResearchError, match=message):
        trends(queries=queries, filters=filters(), max_queries=2)


@pytest.mark.parametrize("query,message", [("from=20x1", "is not a year"), ("from=2022&to=2020", "starts after")])
def test_a_year_range_that_is_not_one_is_refused(query, message, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ResearchError, match=message):
        filters(query)


def test_a_year_filter_counts_that_year_only(archive):
    result = trends(queries=["分级诊疗"], filters=filters("year=2020"), max_queries=6)
    assert (result.years, result.reports_per_year, result.series[0].reports) == ([2020], [2], [1])
    assert trends(queries=["分级诊疗"], filters=filters("year=02020"), max_queries=6).years == []


def test_csv_rows_one_per_year(archive):
    rows = trends(queries=["医院党建"], filters=filters(), max_queries=6).rows()
    assert rows == [["year", "reports", "医院党建 reports", "医院党建 share"],
                    [2019, 1, 1, 1.0], [2020, 2, 1, 0.5], [2021, 2, 0, 0.0]]
