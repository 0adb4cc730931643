"""Official documents (红头文件): letterhead, document number, dates in every form, the signature's date."""

from datetime import date

import pytest
from django.utils import translation

from reports.display import describe_warning
from reports.ingest import parse_bytes
from reports.ingest.dates import parse_date, standalone_date, written_year
from reports.ingest.metadata import document_number_of, split_header
from tests.documents import OFFICIAL_BODY, official_document_text


@pytest.mark.parametrize("written, expected", [
    ("2025年1月15日", date(2025, 1, 15)),
    ("2025 年 1 月 15 日", date(2025, 1, 15)),
    ("２０２５年１月１５日", date(2025, 1, 15)),
    ("二〇二三年一月十六日", date(2023, 1, 16)),
    ("二零二三年十二月三十一日", date(2023, 12, 31)),
    ("二○二二年元月二十日", date(2022, 1, 20)),
    ("中華民國一一二年二月十日", date(2023, 2, 10)),
    ("中华民国一百一十二年二月十日", date(2023, 2, 10)),
    ("民國112年2月10日", date(2023, 2, 10)),
    ("民国 99 年 10 月 1 日", date(2010, 10, 1)),
    ("2021-06-30 14:06:16", date(2021, 6, 30)),
    ("2020/1/16", date(2020, 1, 16)),
])
def test_dates_in_arabic_chinese_numerals_and_roc_years(written, expected):
    assert parse_date(written) == expected
    assert standalone_date(written) == expected


@pytest.mark.parametrize("written", ["2025年2月30日", "二〇二三年十三月一日", "23年1月1日", "2021-13-40", ""])
def test_impossible_or_eraless_dates_are_not_dates(written):
    assert parse_date(written) is None


def test_a_date_inside_a_sentence_is_not_a_date_line():
    assert standalone_date("（2023年1月16日）") == date(2023, 1, 16)
    assert standalone_date("2022年1月17日印发") is None
    assert standalone_date("我会于2023年1月16日召开年会。") is None


@pytest.mark.parametrize("title, year", [
    ("二〇二一年度工作总结", 2021), ("民國112年度工作報告", 2023), ("中華民國一一二年工作報告", 2023), ("十四五规划", None),
])
def test_years_written_in_words_or_roc_years(title, year):
    assert written_year(title) == year


@pytest.mark.parametrize("line, number", [
    ("川医协〔2022〕1号", "川医协〔2022〕1号"),
    ("川医协[2022]1号", "川医协[2022]1号"),
    ("川医协（2022）12号", "川医协（2022）12号"),
    ("川医协 〔2022〕 第3号", "川医协〔2022〕第3号"),
    ("川医协〔2022〕1号　　　　签发人：张三", "川医协〔2022〕1号"),
    ("衛部醫字第1121660123號", "衛部醫字第1121660123號"),
    ("根据《通知》（国卫医发〔2021〕5号）要求，我会开展了工作。", ""),
    ("《中国民营医院发展报告（2022）》", ""),
])
def test_document_numbers_and_what_is_not_one(line, number):
    assert document_number_of(line) == number


def test_letterhead_number_and_rule_above_the_title_are_not_the_title():
    header = split_header("四 川 省 医 院 协 会 文 件\n\n川医协〔2022〕1号\n━━━━━━━━━━━━\n\n关于印发工作总结的通知\n\n各会员单位：")
    assert header.letterhead == "四川省医院协会"
    assert header.fields["number"] == "川医协〔2022〕1号"
    assert header.title == "关于印发工作总结的通知"
    assert [line for line in header.body_lines if line] == ["各会员单位："]


def _parse(text: str):
    return parse_bytes(text.encode("utf-8"), filename="report.txt")


def test_official_document_gives_number_association_signature_date_and_year():
    report = _parse(official_document_text())

    assert report.title == "四川省医院协会2021年度工作总结"
    assert report.document_number == "川医协〔2022〕1号"
    assert report.association_name == "四川省医院协会"
    assert report.published == date(2022, 1, 15)   # the date under the signature
    assert report.year == 2021                      # the year covered still comes from the title
    assert [s.heading for s in report.sections if s.heading] == [h for h in OFFICIAL_BODY if h.startswith(("一、", "二、"))]
    assert "川医协" not in report.body                # the number is a field, not text
    assert report.body.endswith("四川省医院协会\n\n2022年1月15日")
    assert not [w for w in report.warnings if w.get("field") in ("published", "association")]


def test_signature_date_in_chinese_numerals_and_the_signer_names_the_association():
    text = "2021年度工作总结\n\n" + "\n\n".join(OFFICIAL_BODY) + "\n\n四川省医院协会\n\n二〇二二年一月十五日\n"
    report = _parse(text)
    assert report.published == date(2022, 1, 15)
    assert report.association_name == "四川省医院协会"
    assert report.sections[-1].text.endswith("四川省医院协会\n\n二〇二二年一月十五日")


def test_traditional_document_dated_in_roc_years():
    text = "臺北市醫師公會民國112年度工作報告\n\n" + "\n\n".join(["一、會務工作", "本會召開理事會六次。"]) + "\n\n中華民國一一三年一月十日\n"
    report = _parse(text)
    assert report.published == date(2024, 1, 10)
    assert report.year == 2023
    assert report.language == "zh-Hant"


def test_the_date_line_under_the_title_is_the_date_and_not_a_heading():
    # The bug: the date line became an empty heading with every real section nested under it.
    text = "四川省医院协会2024年度工作总结\n2025年1月15日\n" + "\n".join(OFFICIAL_BODY) + "\n"
    report = _parse(text)

    assert report.published == date(2025, 1, 15)
    assert report.year == 2024
    headings = [(s.level, s.heading) for s in report.sections if s.heading]
    assert headings == [(1, "一、加强协会自身建设"), (1, "二、服务会员单位")]
    assert all(s.heading or s.text for s in report.sections)
    assert "2025年1月15日" not in report.body


def test_an_impossible_date_line_is_kept_as_text_and_warned_about():
    report = _parse("2024年度工作总结\n2025年2月30日\n" + "\n".join(OFFICIAL_BODY) + "\n")
    assert report.published is None
    (warning,) = [w for w in report.warnings if w.get("field") == "published"]
    assert "2025年2月30日" in warning["message"]
    with translation.override("en"):
        assert describe_warning(warning) == "The source gives the date as “2025年2月30日”, which is not a valid date; please set the date."
    assert [s.heading for s in report.sections if s.heading] == ["一、加强协会自身建设", "二、服务会员单位"]
