from reports.search.query import MAX_QUERY_CHARS, And, Element, Not, Or, Text, parse_query


def elements(*texts: str, prefix_last: bool = False) -> tuple[Element, ...]:
    return tuple(Element(text, prefix=prefix_last and i == len(texts) - 1) for i, text in enumerate(texts))


def test_words_are_and_ed():
    assert parse_query("医院 党建").node == And((Text("医院"), Text("党建")))


def test_several_han_characters_are_one_phrase():
    assert parse_query("醫院黨建").identity == elements("医院", "院党", "党建")
    # One script's query is the other's: their answers are kept under one key.
    assert parse_query("醫院黨建").identity == parse_query("医院党建").identity == parse_query('"医院党建"').identity


def test_quotes_make_a_phrase_of_several_words():
    parsed = parse_query('"party building" “医院 党建”')
    assert parsed.node == And((Text("party building", quoted=True), Text("医院 党建", quoted=True)))
    assert parsed.patterns() == [elements("parti", "build"), elements("医院", "院", "党建")]


def test_boolean_operators_and_precedence():
    assert parse_query("a OR b c").node == Or((Text("a"), And((Text("b"), Text("c")))))
    assert parse_query("(a OR b) c").node == And((Or((Text("a"), Text("b"))), Text("c")))
    assert parse_query("a NOT b").node == And((Text("a"), Not(Text("b"))))
    assert parse_query("a -b").node == And((Text("a"), Not(Text("b"))))
    assert parse_query('a -"b c"').node == And((Text("a"), Not(Text("b c", quoted=True))))


def test_lower_case_operators_are_words():
    assert parse_query("cats and dogs").node == And((Text("cats"), Text("and"), Text("dogs")))


def test_excluded_words_rule_out_reports_not_only_sections():
    parsed = parse_query("医院 -北京")
    assert parsed.split() == (Text("医院"), (Text("北京"),))
    assert parsed.patterns() == [elements("医院")]


def test_a_single_han_character_is_a_prefix_look_up():
    assert parse_query("院").patterns() == [elements("院", prefix_last=True)]
    # At the end of a query it may start a pair (CT医 is in CT医师) ...
    assert parse_query("CT医").patterns() == [elements("ct", "医", prefix_last=True)]
    # ... and anywhere else the text's run must end there too.
    assert parse_query("医CT").patterns() == [elements("医", "ct")]
    assert parse_query("医院CT").patterns() == [elements("医院", "院", "ct")]


def test_malformed_input_is_searched_as_plain_text_with_a_notice():
    for query in ['"医院', "(医院", "医院)", "医院 AND", "OR 医院", "医院 (AND)"]:
        parsed = parse_query(query)
        assert parsed.node == Text("医院"), query
        assert parsed.notices, query
        assert parsed.searchable


def test_nothing_to_search_for():
    for query in ["*", "  ", "?!", "<>", "-"]:
        assert not parse_query(query).searchable


def test_only_excluded_words_is_explained():
    parsed = parse_query("NOT 医院")
    assert not parsed.searchable
    assert parsed.notices


def test_long_input_is_shortened():
    parsed = parse_query("医" * 10_000)
    assert len(parsed.text) == MAX_QUERY_CHARS
    assert parsed.notices


def test_highlight_patterns_skip_excluded_words():
    patterns = parse_query("医院 OR inspections -北京").patterns()
    assert [[element.text for element in pattern] for pattern in patterns] == [["医院"], ["inspect"]]


def test_full_width_brackets_and_quotes_work():
    assert parse_query("（医院 OR 党建） ＂北京 大学＂").node == And(
        (Or((Text("医院"), Text("党建"))), Text("北京 大学", quoted=True))
    )


def test_deep_nesting_is_read_as_plain_text():
    for query in ["(" * 250 + "医院" + ")" * 250, "NOT " * 100 + "医院", "-(" * 200 + "医院"]:
        parsed = parse_query(query)
        assert parsed.node == Text("医院"), query[:20]
        assert parsed.notices
    assert parse_query("((医院))").node == Text("医院")
