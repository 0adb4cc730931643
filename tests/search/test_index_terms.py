"""The indexing fast path gives exactly the analyzer's tokens, so index and queries still agree."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.ingest import parse_bytes
from reports.search.analyzer import CrossScriptTokenizer, analyze, index_terms, normalize, normalized_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Characters where normalising a whole text and one character at a time can differ
# (half-width kana and its voicing mark, Hangul jamo, combining marks, a Tibetan
# vowel sign that decomposes to a mark), among ordinary ones of every script.
TRICKY = "ｶﾞｶ\uff9eガ가ㄱㅏ\u1100\u1161e\u0301\u0308ﬁ①㈠\u0f73\u302a\u3099"
ORDINARY = "医學會黨建醫院党建（）ＡＢ１２ ,.\n\u3000々〇𠀀\u2025\u00a8éCTdistrict inspections 2021"


def texts(alphabet: str):
    return st.text(alphabet=st.sampled_from(alphabet), max_size=40)


@settings(max_examples=400)
@given(texts(TRICKY + ORDINARY))
def test_normalized_text_is_normalize_without_the_map(text):
    assert normalized_text(text) == normalize(text).text


@settings(max_examples=400)
@given(texts(TRICKY + ORDINARY))
def test_index_terms_are_the_analyzed_tokens_in_order(text):
    assert index_terms(text) == [token.text for token in analyze(text)]


def test_the_seed_reports_index_the_same_terms_both_ways():
    for path in sorted(SEEDS.glob("*.txt")):
        for section in parse_bytes(path.read_bytes(), filename=path.name).sections:
            text = "\n".join(part for part in (section.heading, section.text) if part)
            assert index_terms(text) == [token.text for token in analyze(text)], path.name


def test_the_tokenizer_gives_whoosh_the_same_terms_and_positions_with_or_without_offsets():
    text = "河北省醫學會2021年 inspections，CT医院党建"
    plain = [(token.text, token.pos) for token in CrossScriptTokenizer()(text, positions=True)]
    with_chars = [(token.text, token.pos) for token in CrossScriptTokenizer()(text, positions=True, chars=True)]
    assert plain == with_chars == [(token.text, token.position) for token in analyze(text)]
