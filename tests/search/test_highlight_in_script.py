"""Snippets and headings in the reader's script, the marks on the characters that matched.

The marks are found on the text as written and carried over to the converted text
through a map (reports.text.convert_script_mapped), so they stay right where
OpenCC converts by phrase (头发 -> 頭髮, 乾隆 stays) or changes a text's length.
"""

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.search import SearchParams, search
from reports.search.highlight import _render, highlight, mark_all
from reports.search.query import parse_query
from reports.text import ConvertedText, convert_script, convert_script_mapped, convert_with_map

_MARK = re.compile(r"<mark>(.*?)</mark>")
# Both scripts, characters OpenCC converts by phrase (发/髮/發, 干/乾/幹, 里/裏, 后/後,
# 面/麵, 么/麼), Latin, digits and punctuation, as reports mix them. No spaces:
# snippets fold runs of them, which is not what is tested here.
MIXED = "医醫院党黨建学學会會头发髮發干乾幹隆燥里裏后後面麵么麼台臺CTab12<&，。“”"


def patterns(query: str):
    return parse_query(query).patterns()


def spans_in(length: int):
    """Sorted, separate spans of a text of ``length``, as the matcher gives them."""
    return st.lists(st.integers(0, length), max_size=8).map(sorted).map(
        lambda cuts: [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2) if cuts[i] < cuts[i + 1]])


@settings(max_examples=300, deadline=None)   # OpenCC under a loaded machine; no timing here
@given(st.data(), st.text(alphabet=MIXED, max_size=50), st.sampled_from(["hans", "hant"]))
def test_marks_land_on_the_converted_characters_of_what_matched(data, text, script):
    spans = data.draw(spans_in(len(text)))
    rendered = _render(text, 0, len(text), spans, script)
    shown = convert_script_mapped(text, script)
    # The text is the converted text, whole and escaped; the marks only wrap parts of it.
    assert html.unescape(rendered.replace("<mark>", "").replace("</mark>", "")) == shown.text
    marked = [html.unescape(piece) for piece in _MARK.findall(rendered)]
    assert len(marked) == len(spans)
    for (start, end), piece in zip(spans, marked):
        # Each mark holds exactly what its original characters became. Not always the same
        # characters read in one script: OpenCC converts by phrase, and 么麼 becomes 幺麼.
        mark_start, mark_end = shown.span(start, end)
        assert piece == shown.text[mark_start:mark_end], (text, start, end, piece)
        assert all(start <= source < end for source in shown.sources[mark_start:mark_end])
    if len(shown.text) == len(text):
        assert shown.text == convert_script(text, script)   # what the rest of the page shows


def length_changing(text: str) -> str:
    # A stand-in for a converter that does not keep lengths: 甲 becomes two characters,
    # 乙 disappears, 丙 becomes 丁; as OpenCC, it converts phrases: 甲乙 as a whole is 戊.
    table = {"甲": "甲甲", "乙": "", "丙": "丁"}
    return "".join(table.get(c, c) for c in text.replace("甲乙", "戊"))


@settings(deadline=None)
@given(st.data(), st.text(alphabet="甲乙丙子丑ab", max_size=30))
def test_a_conversion_that_changes_lengths_keeps_every_mark_on_its_characters(data, text):
    converted, sources = convert_with_map(text, length_changing)
    shown = ConvertedText(converted, tuple(sources))
    assert list(shown.sources) == sorted(shown.sources)
    for start, end in data.draw(spans_in(len(text))):
        mark_start, mark_end = shown.span(start, end)
        # Exactly the characters that came from the span: none from outside it, all of its own.
        assert all(start <= source < end for source in shown.sources[mark_start:mark_end])
        assert all(not (start <= source < end) for source in shown.sources[:mark_start] + shown.sources[mark_end:])


def test_a_character_that_becomes_two_is_marked_whole():
    shown = ConvertedText(*(lambda pair: (pair[0], tuple(pair[1])))(convert_with_map("子甲丑", length_changing)))
    assert shown.text == "子甲甲丑" and shown.span(1, 2) == (1, 3)


def test_snippets_and_headings_follow_the_script_with_the_marks_in_place():
    text = "河北省医学会加强医院党建工作，理发和头发。"
    assert highlight(text, patterns("醫院黨建"), script="hant") == ["河北省醫學會加強<mark>醫院黨建</mark>工作，理髮和頭髮。"]
    assert highlight(text, patterns("发"), script="hant") == ["河北省醫學會加強醫院黨建工作，理<mark>髮</mark>和頭<mark>髮</mark>。"]
    assert mark_all("醫院黨建平臺", patterns("党建"), script="hans") == "医院<mark>党建</mark>平台"
    assert mark_all("醫院黨建平臺", patterns("党建")) == "醫院<mark>黨建</mark>平臺"   # as written


def test_an_english_snippet_is_unchanged_by_the_script():
    assert highlight("The Society cooperated.", patterns("cooperate"), script="hant") == [
        "The Society <mark>cooperated</mark>."]


@pytest.mark.django_db
def test_the_search_shows_headings_and_snippets_in_the_readers_script(seed_corpus):
    def shown(script):
        outcome = search(SearchParams(q="医院党建"), script=script)
        by_prefix = {}
        for hit in outcome.hits:
            by_prefix.setdefault(hit.report.source_name[:3], []).append((str(hit.heading), [str(s) for s in hit.highlights]))
        return by_prefix

    as_written, hant, hans = shown(None), shown("hant"), shown("hans")
    snippets = lambda found, prefix: " ".join(s for _, hs in found[prefix] for s in hs)  # noqa: E731
    assert "<mark>医院党建</mark>" in snippets(as_written, "003") and "<mark>醫院黨建</mark>" in snippets(as_written, "004")
    assert "<mark>醫院黨建</mark>" in snippets(hant, "003") and "医" not in snippets(hant, "003")
    assert "<mark>医院党建</mark>" in snippets(hans, "004") and "黨" not in snippets(hans, "004")
    headings = [heading for heading, _ in hans["004"] if heading]
    assert headings and all(heading == convert_script(heading, "hans") for heading in headings)
    assert [heading for heading, _ in hans["004"]] != [heading for heading, _ in as_written["004"]]
