"""Comparing two reports sentence by sentence, across scripts, bounded."""

import pytest

from reports.research import ADDED, KEPT, REMOVED, ResearchError, compare_reports
from reports.research.compare import diff, sentences_of
from reports.search import SearchParams, search
from reports.text import to_traditional

pytestmark = pytest.mark.django_db


def changes(result):
    return [(sentence.change, sentence.text) for sentence in result]


def test_sentences_end_at_chinese_and_english_punctuation_and_lines():
    text = "第一句。第二句！“第三句？”\n标题\nFirst one. Second one 3.5 long! Last"
    assert sentences_of(text) == ["第一句。", "第二句！", "“第三句？”", "标题", "First one.", "Second one 3.5 long!",
                                  "Last"]


def test_added_removed_and_kept_in_reading_order():
    old = ["甲。", "乙。", "丙。", "丁。"]
    new = ["甲。", "丙。", "新一。", "丁。", "新二。"]
    assert changes(diff(old, new)) == [
        (KEPT, "甲。"), (REMOVED, "乙。"), (KEPT, "丙。"), (ADDED, "新一。"), (KEPT, "丁。"), (ADDED, "新二。")]


def test_a_sentence_in_the_other_script_or_moved_is_kept():
    old = ["医院党建工作取得成效。", "分级诊疗稳步推进。", "Quality  control improved."]
    new = ["分級診療穩步推進。", to_traditional("医院党建工作取得成效。"), "quality control improved."]
    assert [change for change, _ in changes(diff(old, new))] == [KEPT, KEPT, KEPT]


def test_a_repeated_sentence_is_matched_once_for_each_time():
    assert changes(diff(["好。", "好。"], ["好。", "好。", "好。"])) == [(KEPT, "好。"), (KEPT, "好。"), (ADDED, "好。")]
    assert changes(diff(["好。", "好。"], ["好。"])) == [(KEPT, "好。"), (REMOVED, "好。")]


def test_removed_sentences_before_anything_kept_come_first():
    assert changes(diff(["旧。", "同。"], ["同。"])) == [(REMOVED, "旧。"), (KEPT, "同。")]


@pytest.fixture
def pair(indexed):
    older = indexed("2020年工作总结", [("一、党建", "医院党建品牌创建完成。分级诊疗试点启动。"),
                                    ("二、学术", "举办学术年会一次。")], year=2020)
    newer = indexed("2021年工作總結", [("一、党建", to_traditional("医院党建品牌创建完成。") + "智慧医院建设全面展开。"),
                                    ("二、学术", "举办学术年会一次。")], year=2021, language="zh-Hant")
    return older, newer


def test_two_reports_and_the_search_agree(pair):
    older, newer = pair
    result = compare_reports(report=newer, other=older, max_chars=10_000)
    assert result.counts == {ADDED: 1, REMOVED: 1, KEPT: 4}
    # What both say, the search finds in both; what one says, in that one only.
    for sentence in result.sentences:
        found = {hit.report.pk for hit in search(SearchParams(q=f'"{sentence.text.rstrip("。")}"')).hits}
        expected = {KEPT: {older.pk, newer.pk}, ADDED: {newer.pk}, REMOVED: {older.pk}}[sentence.change]
        assert found == expected, sentence
    assert [s.text for s in result.sentences if s.change == ADDED] == ["智慧医院建设全面展开。"]
    assert [s.text for s in result.sentences if s.change == REMOVED] == ["分级诊疗试点启动。"]


def test_a_report_is_not_compared_with_itself(pair, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ResearchError, match="itself"):
        compare_reports(report=pair[0], other=pair[0], max_chars=100)


def test_only_the_first_characters_of_a_long_report_are_compared(indexed):
    long = indexed("长报告", [("", "".join(f"第{number}句。" for number in range(5000)))])
    short = indexed("短报告", [("", "第1句。第2句。")])
    result = compare_reports(report=long, other=short, max_chars=50)
    assert result.shortened == [long]
    assert sum(len(sentence.text) for sentence in result.sentences if sentence.change != REMOVED) <= 50
    assert result.counts[KEPT] == 2
