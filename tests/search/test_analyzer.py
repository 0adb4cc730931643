import pickle

from reports.search.analyzer import CrossScriptAnalyzer, analyze, normalize


def texts(value: str) -> list[str]:
    return [token.text for token in analyze(value)]


def test_traditional_simplified_and_mixed_give_the_same_tokens():
    assert texts("醫學會") == texts("医学会") == texts("醫学会") == ["医学", "学会", "会"]


def test_han_runs_become_overlapping_pairs_and_the_last_character_alone():
    tokens = analyze("医院党建 工作")
    assert [t.text for t in tokens] == ["医院", "院党", "党建", "建", "工作", "作"]
    assert [t.position for t in tokens] == [0, 1, 2, 3, 4, 5]


def test_a_one_character_run_stays_one_token():
    assert texts("CT医/技师") == ["ct", "医", "技师", "师"]


def test_latin_is_lower_cased_and_stemmed():
    assert texts("Inspections INSPECTION inspected") == ["inspect", "inspect", "inspect"]


def test_digits_stay_whole():
    assert texts("2021年 5,700 members") == ["2021", "年", "5", "700", "member"]


def test_latin_glued_to_han_is_its_own_token():
    assert texts("CT医") == ["ct", "医"]
    assert "ct" not in texts("district")


def test_full_width_latin_and_digits_are_normalised():
    assert texts("ＣＴ２０２１") == ["ct", "2021"]


def test_replacement_character_separates_and_is_never_a_token():
    assert texts("損\ufffd\ufffd壞") == ["损", "坏"]
    assert texts("\ufffd") == []
    assert not any("\ufffd" in text for text in texts("醫\ufffd院 a\ufffdb 1\ufffd2"))


def test_punctuation_and_markup_only_separate():
    assert texts("<script>“医院”") == ["script", "医院", "院"]


def test_spans_point_at_the_text_as_written():
    value = "海淀區醫院黨建"
    tokens = analyze(value)
    assert [value[t.start:t.end] for t in tokens] == ["海淀", "淀區", "區醫", "醫院", "院黨", "黨建", "建"]


def test_spans_survive_nfkc_that_changes_length():
    value = "ﬁle ＣＴ医"
    tokens = analyze(value)
    assert [(t.text, value[t.start:t.end]) for t in tokens] == [("file", "ﬁle"), ("ct", "ＣＴ"), ("医", "医")]


def test_offset_map_survives_a_conversion_that_changes_length():
    # OpenCC is not always length-preserving; a stand-in converter that turns 甲 into two
    # characters shows each output character still maps to the original it came from.
    def convert(run: str) -> str:
        return run.replace("甲", "子丑")

    normalized = normalize("乙甲丙", convert=convert)
    assert normalized.text == "乙子丑丙"
    assert [normalized.original_span(i, i + 1) for i in range(4)] == [(0, 1), (1, 2), (1, 2), (2, 3)]


def test_whoosh_tokenizer_gives_positions_and_original_chars():
    analyzer = CrossScriptAnalyzer()
    tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer("醫院 CT", positions=True, chars=True)]
    assert tokens == [("医院", 0, 0, 2), ("院", 1, 1, 2), ("ct", 2, 3, 5)]


def test_whoosh_tokenizer_pickles_into_the_schema():
    analyzer = CrossScriptAnalyzer()
    assert pickle.loads(pickle.dumps(analyzer)) == analyzer


def test_normalized_text_is_what_tokens_are_made_from():
    from reports.search import normalized_text

    assert normalized_text("ＣＴ醫學會") == "CT医学会"
    assert normalized_text("") == ""
