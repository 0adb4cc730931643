"""Dates in every form official documents write them, checked over their whole range (property tests)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.ingest.dates import looks_like_standalone_date, parse_date, standalone_date, written_year
from reports.ingest.extract.docx_numbering import format_number

DIGITS = "〇一二三四五六七八九"
# Zero as typed and as scanned: the ideographic zero, 零, the circle ○ (U+25CB), and what OCR makes of
# a circle: a capital O, a full-width Ｏ, a digit 0 or a full-width ０.
ZEROS = ["〇", "零", "○", "Ｏ", "O", "0", "０"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

days = st.dates(min_value=date(1912, 1, 1), max_value=date(2100, 12, 31))


def counted(n: int) -> str:
    """十六, 三十一, 一百一十二: numbers as Chinese counts them."""
    return format_number(n, "chineseCounting")


def digit_by_digit(n: int, zero: str = "〇") -> str:
    """二〇二三: years as Chinese writes them, a character a digit."""
    return "".join(zero if ch == "0" else DIGITS[int(ch)] for ch in str(n))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789０１２３４５６７８９一二三四五六七八九十百〇零○ＯO两元年月日号號 -/.:（）〔〕")
                                + ["\u3000", "\n", "民國", "中華民國", "民国"]), max_size=30).map("".join)
       | st.text(max_size=40))
def test_no_line_makes_the_date_reader_fail(line):
    found = parse_date(line)
    assert found is None or isinstance(found, date)
    assert standalone_date(line) is None or looks_like_standalone_date(line)
    year = written_year(line)
    assert year is None or 1900 <= year <= 2100


@settings(max_examples=200, deadline=None)
@given(days, st.sampled_from(ZEROS))
def test_a_date_in_chinese_numerals_with_any_zero(day, zero):
    written = f"{digit_by_digit(day.year, zero)}年{counted(day.month)}月{counted(day.day)}日"
    assert standalone_date(written) == day, written
    assert written_year(written + "度工作总结") == day.year


@settings(max_examples=200, deadline=None)
@given(days, st.sampled_from(["中華民國", "中华民国", "民國", "民国"]), st.sampled_from(["arabic", "full width", "digits", "counted"]))
def test_a_date_in_the_years_of_the_republic_of_china(day, era, form):
    roc = day.year - 1911
    year = {"arabic": str(roc), "full width": str(roc).translate(FULL_WIDTH), "digits": digit_by_digit(roc),
            "counted": counted(roc)}[form]
    written = f"{era}{year}年{day.month}月{day.day}日"
    assert standalone_date(written) == day, written
    assert written_year(f"{era}{year}年度工作報告") == day.year


def test_there_was_no_year_zero_of_the_republic():
    assert standalone_date("民國0年1月1日") is None
    assert standalone_date("民國〇年一月一日") is None


@settings(max_examples=100, deadline=None)
@given(days)
def test_full_width_digits_and_the_day_before_and_after(day):
    for shown in (day - timedelta(days=1), day, day + timedelta(days=1)):
        written = f"{shown.year}年{shown.month}月{shown.day}日".translate(FULL_WIDTH)
        assert standalone_date(written) == shown
