from hypothesis import given
from hypothesis import strategies as st

from reports.search.analyzer import normalized_text
from reports.search.highlight import _analysed_spans, _found_spans, han_string, highlight, mark_all, match_spans
from reports.search.query import parse_query


def patterns(query: str):
    return parse_query(query).patterns()


def test_marks_land_on_the_traditional_text_for_a_simplified_query():
    assert highlight("以區醫院黨建工作", patterns("医院党建")) == ["以區<mark>醫院黨建</mark>工作"]


def test_everything_is_escaped_before_marks_are_added():
    (snippet,) = highlight('<b onclick="x">醫院</b> & 醫院', patterns("医院"))
    assert snippet == '&lt;b onclick=&quot;x&quot;&gt;<mark>醫院</mark>&lt;/b&gt; &amp; <mark>醫院</mark>'


def test_a_single_character_query_marks_only_that_character():
    assert mark_all("醫院黨建", patterns("院")) == "醫<mark>院</mark>黨建"


def test_english_marks_cover_the_word_as_written():
    assert mark_all("Inspections of CT in the district", patterns("inspection CT")) == (
        "<mark>Inspections</mark> of <mark>CT</mark> in the district"
    )


def test_full_width_text_is_marked_where_it_stands():
    assert mark_all("ＣＴ醫", patterns("ct")) == "<mark>ＣＴ</mark>醫"


def test_phrases_are_marked_only_where_adjacent():
    text = "大学北京 北京大学"
    assert match_spans(text, patterns("北京大学")) == [(5, 9)]


def test_snippets_are_cut_around_the_matches_with_ellipses():
    text = "甲" * 100 + "醫院" + "乙" * 100
    (snippet,) = highlight(text, patterns("医院"), context=5)
    assert snippet == "…甲甲甲甲甲<mark>醫院</mark>乙乙乙乙乙…"


def test_english_snippets_do_not_cut_words():
    text = "alpha " * 20 + "inspection " + "omega " * 20
    (snippet,) = highlight(text, patterns("inspection"), context=8)
    assert snippet == "…alpha alpha <mark>inspection</mark> omega omega…"


def test_no_match_gives_no_snippet():
    assert highlight("醫院", patterns("北京")) == []


def test_many_nearby_matches_still_give_short_snippets():
    text = "。".join(["河北省醫學會开展工作"] * 40)
    fragments = highlight(text, patterns("医学会"), context=10, max_fragments=50)
    assert len(fragments) > 1
    assert all(len(fragment) <= 10 * 6 + len("<mark></mark>") * 10 + 2 for fragment in fragments)
    # Every match is shown exactly once: fragments never overlap.
    assert sum(fragment.count("<mark>醫學會</mark>") for fragment in fragments) == 40


# Simplified and Traditional forms, characters OpenCC converts by phrase (乾/干,
# 後/后), full-width and compatibility forms NFKC changes (Ａ, ㈠, ﬁ), spaces.
_ALPHABET = "医醫院党黨建学學会會乾干隆燥後后面麵ＡA㈠ﬁ，。 "


@given(st.text(alphabet=_ALPHABET, max_size=60),
       st.lists(st.text(alphabet="医醫院党黨建学會乾干隆燥後后面", min_size=1, max_size=4), min_size=1, max_size=3))
def test_finding_han_text_marks_what_analysing_the_section_marks(text, queries):
    normal = normalized_text(text)
    for pattern in patterns(" OR ".join(queries)):
        needle = han_string(pattern)
        fast = _found_spans(text, normal, needle) if needle is not None else None
        if fast is not None:
            assert fast == _analysed_spans(text, pattern)
