"""Issue 3's "done when" list, on the five seed reports ingested by the real pipeline."""

import pytest

from reports.search import SearchParams, search

pytestmark = pytest.mark.django_db


def found(query: str, **filters) -> set[str]:
    """The seed prefixes ('000' ... '004') of the reports a query finds, over all pages."""
    outcome = search(SearchParams(q=query, filters=filters))
    prefixes = set()
    page = 1
    while True:
        prefixes |= {hit.report.source_name[:3] for hit in outcome.hits}
        if outcome.page is None or not outcome.page.has_next():
            return prefixes
        page += 1
        outcome = search(SearchParams(q=query, filters=filters, page=page))


def test_the_seeds_are_indexed_by_the_signals(seed_corpus):
    for report in seed_corpus.values():
        report.refresh_from_db()
        assert report.index_pending is False


@pytest.mark.parametrize("query", ["医院党建", "醫院黨建", "医院黨建"])
def test_simplified_traditional_and_mixed_find_sichuan_and_haidian_only(seed_corpus, query):
    assert found(query) == {"003", "004"}


def test_traditional_query_finds_the_simplified_reports(seed_corpus):
    assert found("醫學會") == {"000", "001", "003"}
    assert found("医学会") == {"000", "001", "003"}


def test_simplified_query_finds_the_traditional_report(seed_corpus):
    assert found("北京大学") == {"004"}


def test_several_characters_match_as_a_phrase_not_scattered_pieces(seed_corpus):
    # 大学北京 is in no report, though 004 has both of its pieces many times over.
    assert found("大学北京") == set()
    assert found("北京 大学") >= {"004"}


def test_single_character_finds_it_inside_longer_words(seed_corpus):
    # 頜 is only in 004 (口腔頜面外科), 敬 only in 003 (敬静书记): both inside longer runs.
    assert found("頜") == {"004"}
    assert found("颌") == {"004"}
    assert found("敬") == {"003"}
    outcome = search(SearchParams(q="颌"))
    assert any("口腔<mark>頜</mark>面" in snippet for hit in outcome.hits for snippet in hit.highlights)


def test_english_query_is_stemmed(seed_corpus):
    assert found("inspections") == {"002"}
    assert found("inspection") == {"002"}


def test_ct_finds_the_letters_glued_to_han_and_not_inside_district(seed_corpus):
    assert found("CT") == {"000"}          # CT医/技师 and (CT) in Hebei
    assert "002" not in found("CT")        # 'district' is all over Chengdu's report
    assert found("district") == {"002"}


def test_quoted_phrase(seed_corpus):
    assert found('"party building"') == {"002"}
    assert found('"building party"') == set()


def test_boolean_operators(seed_corpus):
    assert found("北京大学 OR inspections") == {"002", "004"}
    assert found("医院党建 AND 海淀") == {"004"}
    assert found("医院党建 NOT 北京大学") == {"003"}
    assert found("医院党建 -北京大学") == {"003"}


def test_snippets_are_in_the_reports_script_with_marks_on_the_matched_characters(seed_corpus):
    outcome = search(SearchParams(q="医院党建"))
    by_prefix = {}
    for hit in outcome.hits:
        by_prefix.setdefault(hit.report.source_name[:3], []).extend(hit.highlights)
    assert any("<mark>醫院黨建</mark>" in snippet for snippet in by_prefix["004"])
    assert any("<mark>医院党建</mark>" in snippet for snippet in by_prefix["003"])
    assert not any("医院党建" in snippet for snippet in by_prefix["004"])


def test_traditional_query_marks_simplified_text(seed_corpus):
    outcome = search(SearchParams(q="醫學會"))
    snippets = [snippet for hit in outcome.hits for snippet in hit.highlights]
    assert snippets and all("<mark>" in snippet for snippet in snippets)
    assert any("<mark>医学会</mark>" in snippet for snippet in snippets)


def test_hits_land_on_sections_with_deep_links(seed_corpus):
    outcome = search(SearchParams(q="北京大学"))
    assert outcome.hits
    for hit in outcome.hits:
        assert hit.section is not None
        assert hit.url == f"{hit.report.get_absolute_url()}#{hit.section.anchor}"


def test_damaged_text_is_never_indexed(seed_corpus):
    # 004's body carries U+FFFD where its bytes were broken; it separates, it is not a token.
    assert "\ufffd" in seed_corpus["004"].body
    assert found("\ufffd") == set()


def test_facets_count_reports(seed_corpus):
    outcome = search(SearchParams(q="医院"))
    languages = {value.value: value.count for value in outcome.facets["language"]}
    assert languages == {"zh-Hans": 3, "zh-Hant": 1}
    years = {value.value for value in outcome.facets["year"]}
    assert "2021" in years


@pytest.mark.parametrize(
    "query",
    ["<script>alert(1)</script>", '"医院党建', "医院党建\"", "(医院", "医院)", "[党建", "*", "AND", "NOT",
     "OR OR", "-", '""', "\x00", "医" * 10_000, "a " * 5_000],
)
def test_hostile_queries_get_a_page_not_an_error(seed_corpus, client, query):
    page = client.get("/search/", {"q": query})
    assert page.status_code == 200
    assert "<script>alert" not in page.content.decode()
    api = client.get("/api/search/", {"q": query})
    assert api.status_code == 200
    assert set(api.json()) == {"query", "count", "next", "results", "facets", "notices"}
