"""Grouping, facets, filters, sort, pages and suggestions of ``search()``."""

from datetime import date

import pytest
from django.http import QueryDict
from django.utils import translation

from reports.search import SearchParams, other_script, parse_query, search
from reports.search import searching

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_reports(indexed):
    return {
        "beijing": indexed("北京报告", [("", "医院党建"), ("一、党建", "北京大学医院")],
                           association="北京市医学会", year=2023, published=date(2023, 11, 4), language="zh-Hant"),
        "tianjin": indexed("天津报告", [("", "天津医院")], association="天津市医学会", year=2021),
        "hebei": indexed("河北医院报告", [("", "学会工作")], association="河北省医学会", year=2020,
                         published=date(2020, 6, 30)),
    }


def test_hits_of_a_report_come_together_in_reading_order(three_reports):
    outcome = search(SearchParams(q="医院"))
    beijing = [hit for hit in outcome.hits if hit.report == three_reports["beijing"]]
    assert [hit.section.order for hit in beijing] == [0, 1]
    reports = [hit.report.pk for hit in outcome.hits]
    assert reports == sorted(reports, key=reports.index)   # contiguous per report
    assert outcome.report_count == 3
    assert outcome.count == 4


def test_a_title_only_match_is_one_hit_without_a_section(three_reports):
    (hit,) = [hit for hit in search(SearchParams(q="医院")).hits if hit.report == three_reports["hebei"]]
    assert hit.section is None
    assert hit.url == three_reports["hebei"].get_absolute_url()
    assert hit.highlights == ["河北<mark>医院</mark>报告"]


def test_facets_count_reports_and_keep_other_values_visible_when_filtered(three_reports):
    beijing = three_reports["beijing"].association.slug
    outcome = search(SearchParams(q="医院", filters={"association": beijing}))
    associations = {value.value: (value.count, value.selected) for value in outcome.facets["association"]}
    assert associations[beijing] == (1, True)
    assert len(associations) == 3
    assert {value.value: value.count for value in outcome.facets["year"]} == {"2023": 1}
    assert {hit.report.pk for hit in outcome.hits} == {three_reports["beijing"].pk}


def test_facet_links_select_and_clear_filters_in_the_url(three_reports):
    outcome = search(SearchParams(q="医院", filters={"year": "2021"}))
    by_value = {value.value: value for value in outcome.facets["year"]}
    assert QueryDict(by_value["2021"].query).dict() == {"q": "医院"}
    assert QueryDict(by_value["2023"].query).dict() == {"q": "医院", "year": "2023"}


@pytest.mark.parametrize("name,value,expected", [("year", "2020", "hebei"), ("language", "zh-Hant", "beijing")])
def test_filters(three_reports, name, value, expected):
    outcome = search(SearchParams(q="医院", filters={name: value}))
    assert {hit.report.pk for hit in outcome.hits} == {three_reports[expected].pk}


def test_sort_by_date_puts_the_newest_first_and_undated_by_year(three_reports):
    outcome = search(SearchParams(q="医院", sort="date"))
    order = list(dict.fromkeys(hit.report.pk for hit in outcome.hits))
    assert order == [three_reports[key].pk for key in ("beijing", "tianjin", "hebei")]


def test_pages(three_reports, monkeypatch):
    monkeypatch.setattr(searching, "PER_PAGE", 2)
    first = search(SearchParams(q="医院"))
    second = search(SearchParams(q="医院", page=2))
    beyond = search(SearchParams(q="医院", page=99))
    assert len(first.hits) == 2 and first.page.has_next()
    assert len(second.hits) == 2 and not second.page.has_next()
    assert beyond.page.number == 2


def test_an_empty_result_offers_the_other_script_and_no_filters(three_reports):
    outcome = search(SearchParams(q="北京大学", filters={"year": "2021"}))
    assert outcome.count == 0
    assert outcome.other_script == "北京大學"
    assert QueryDict(outcome.unfiltered_query).dict() == {"q": "北京大学"}


def test_other_script():
    assert other_script("医院党建") == "醫院黨建"
    assert other_script("醫院黨建") == "医院党建"
    assert other_script("医院黨建") == "医院党建"
    assert other_script("hospital") == ""


def test_params_from_the_url_never_fail():
    params = SearchParams.from_querydict(QueryDict("q=x&page=abc&sort=evil&year=&language=en"))
    assert params == SearchParams(q="x", filters={"language": "en"}, sort="relevance", page=1)
    assert SearchParams.from_querydict(QueryDict("page=-4")).page == 1


def test_an_empty_index_finds_nothing(search_index, db):
    outcome = search(SearchParams(q="医院"))
    assert outcome.count == 0 and outcome.hits == []


def test_lone_characters_next_to_latin_match_where_the_text_has_them(indexed):
    physician = indexed("甲", [("", "报考CT医师")])
    reverse = indexed("乙", [("", "放射科医CT检查")])
    assert {hit.report.pk for hit in search(SearchParams(q="CT医")).hits} == {physician.pk}
    assert {hit.report.pk for hit in search(SearchParams(q="医CT")).hits} == {reverse.pk}
    assert {hit.report.pk for hit in search(SearchParams(q="医")).hits} == {physician.pk, reverse.pk}
    assert {hit.report.pk for hit in search(SearchParams(q="检查")).hits} == {reverse.pk}


def test_hostile_filter_values_find_nothing_without_failing(three_reports):
    for name in ("association", "region", "year", "language"):
        outcome = search(SearchParams(q="医院", filters={name: "<script>x</script>"}))
        assert outcome.count == 0
        assert [value.value for value in outcome.facets[name] if value.selected] == ["<script>x</script>"]


def test_an_unreadable_index_says_search_is_unavailable(three_reports, monkeypatch):
    from haystack import connections

    def broken(*args, **kwargs):
        raise EOFError("damaged segment")

    monkeypatch.setattr(connections["default"].get_backend(), "_read_matches", broken)
    with translation.override("en"):
        outcome = search(SearchParams(q="医院"))
    assert outcome.count == 0
    assert any("unavailable" in notice for notice in outcome.notices)


def test_a_word_in_the_title_weighs_more_than_the_same_word_once_in_the_text(indexed):
    # The title field's own boost and the query's weight for it both count, as
    # they did when Whoosh scored the query itself.
    in_title = indexed("医院年报年报年报年报年报", [("", "工作")])
    in_text = indexed("总结", [("", "医院")])
    indexed("其他", [("", "教育" * 9)])
    assert [hit.report.pk for hit in search(SearchParams(q="医院")).hits] == [in_title.pk, in_text.pk]


def test_more_occurrences_rank_higher_and_a_phrase_counts_only_where_whole(indexed):
    once = indexed("甲", [("", "医院党建。" + "其他工作。" * 5)])
    often = indexed("乙", [("", "医院党建。" * 3 + "其他工作。" * 3)])
    apart = indexed("丙", [("", "医院和党建。" * 6)])
    found = [hit.report.pk for hit in search(SearchParams(q="医院党建")).hits]
    assert found == [often.pk, once.pk] and apart.pk not in found


def test_every_page_size_cuts_the_same_results_in_the_same_order(indexed, monkeypatch):
    # Reports with one, two and three matching sections, and one matching by its title alone.
    for number, sections in enumerate((1, 2, 3, 1, 2)):
        indexed(f"报告{number}", [("", f"医院第{part}部分" + "工作" * number) for part in range(sections)])
    indexed("医院名录", [("", "其他")])
    every = [(hit.report.pk, hit.section.pk if hit.section else None) for hit in search(SearchParams(q="医院")).hits]
    assert len(every) == 10 and sum(section is None for _, section in every) == 1
    for size in (1, 2, 3, 4, 7):
        monkeypatch.setattr(searching, "PER_PAGE", size)
        paged = []
        for page in range(1, -(-len(every) // size) + 1):
            outcome = search(SearchParams(q="医院", page=page))
            paged += [(hit.report.pk, hit.section.pk if hit.section else None) for hit in outcome.hits]
        assert paged == every, size
    groups = searching._groups(parse_query("医院"))
    entries = searching._Entries(groups, searching._Selection(groups, SearchParams(q="医院")).ranked("relevance"))
    assert entries[-1] == entries[len(entries) - 1] and list(entries) == entries[0:len(entries)]


def test_a_region_filters_and_counts_reports_by_their_associations_region(three_reports):
    from reports.models import Association

    Association.objects.filter(name__in=["北京市医学会", "天津市医学会"]).update(region="华北")
    Association.objects.filter(name="河北省医学会").update(region="河北省")
    outcome = search(SearchParams(q="医院"))
    assert {value.value: value.count for value in outcome.facets["region"]} == {"华北": 2, "河北省": 1}
    north = search(SearchParams(q="医院", filters={"region": "华北"}))
    assert {hit.report.pk for hit in north.hits} == {three_reports["beijing"].pk, three_reports["tianjin"].pk}
    # A region edited in the database counts at once: it is not in the index.
    Association.objects.filter(name="天津市医学会").update(region="天津市")
    assert search(SearchParams(q="医院", filters={"region": "华北"})).report_count == 1


def test_a_year_range_keeps_the_reports_of_those_years_only(three_reports, indexed):
    undated = indexed("无年份医院", [("", "医院")], year=None)
    def found(**years):
        return {hit.report.pk for hit in search(SearchParams(q="医院", **years)).hits}

    assert found(year_from=2021) == {three_reports["beijing"].pk, three_reports["tianjin"].pk}
    assert found(year_to=2021) == {three_reports["tianjin"].pk, three_reports["hebei"].pk}
    assert found(year_from=2021, year_to=2022) == {three_reports["tianjin"].pk}
    assert undated.pk in found() and undated.pk not in found(year_to=2030)
    outcome = search(SearchParams(q="医院", year_from=2022))
    assert {value.value: value.count for value in outcome.facets["year"]} == {"2023": 1}
    assert QueryDict(outcome.unfiltered_query).dict() == {"q": "医院"}


def test_a_year_range_from_the_url_and_back(three_reports):
    params = SearchParams.from_querydict(QueryDict("q=医院&from=2021&to=x"))
    assert (params.year_from, params.year_to) == (2021, None)
    assert QueryDict(params.query_string()).dict() == {"q": "医院", "from": "2021"}
    assert SearchParams.from_querydict(QueryDict("from=0&to=10000")).has_filters is False


@pytest.mark.parametrize("query", ["医院", "醫院黨建", "医", "院党", "医院 OR 党建", "医院 党建", "医医", "inspect",
                                   '"quality control"', "CT医", "医院 -quality"])
def test_each_section_counts_how_often_the_words_occur_in_its_text(indexed, query):
    from reports.models import Section
    from reports.search.highlight import spans_by_pattern

    indexed("医院报告", [("一、医院党建", "醫院黨建工作。医院和党建。医医医。"), ("", "北京医院CT医师")])
    indexed("English", [("1. Inspections", "Inspected twice: quality\ncontrol and quality control.")], language="en")
    patterns = parse_query(query).patterns()
    found = searching.all_matches(SearchParams(q=query)).sections()
    assert len(found)
    for section_id, occurrences in zip(found.section.tolist(), found.occurrences.tolist()):
        section = Section.objects.get(pk=section_id)
        assert occurrences == sum(map(len, spans_by_pattern(section.indexed_text, patterns))), section_id


def test_all_matches_ranks_reports_and_lists_their_sections_in_reading_order(three_reports):
    matches = searching.all_matches(SearchParams(q="医院"), sort="date")
    order = [three_reports[key].pk for key in ("beijing", "tianjin", "hebei")]
    assert matches.report_ids.tolist() == order
    assert matches.years.tolist() == [2023, 2021, 2020]
    sections = matches.sections()
    # The Hebei report matched by its title only: it has no section with the word.
    assert sections.report.tolist() == [order[0], order[0], order[1]]
    assert sections.order.tolist() == [0, 1, 0]
    assert len(searching.all_matches(SearchParams(q="-医院")).report_ids) == 0
