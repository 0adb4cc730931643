"""The dates official documents write, read into ``datetime.date``.

Reports date themselves in Arabic digits (``2025年1月15日``, ``2025-01-15``),
in Chinese numerals as the signature line of a 红头文件 does (``二〇二三年一月十六日``,
with 〇, 零 or a typed ○ for zero), and in Taiwan in the years of the Republic
of China (``中華民國一一二年二月十日``, ``民國112年``: year 1 is 1912).
"""

import re
from datetime import date

from reports.ingest.numbering import chinese_numeral

# Zero as people type it: 〇 (the ideographic zero), 零, and the look-alikes ○ and Ｏ; and as OCR
# reads a printed 〇: a letter O or a digit 0 among the Chinese digits (二O二三, 二0二三).
_ZERO = "〇零○ＯO0０"
_CN_DIGIT = f"一二三四五六七八九十百{_ZERO}两"
_NUMBER = rf"(?:\d{{1,4}}|[０-９]{{1,4}}|[{_CN_DIGIT}]{{1,5}})"
_ROC = r"(?:中華民國|中华民国|民國|民国)"
# "2025年1月15日", "二〇二三年元月十六日", "民國112年2月10日"; the day may be left out.
_CHINESE_STYLE = re.compile(
    rf"(?P<roc>{_ROC}\s*)?(?P<year>{_NUMBER})\s*年\s*(?P<month>元|{_NUMBER})\s*月(?:\s*(?P<day>{_NUMBER})\s*[日号號]?)?"
)
_NUMERIC_STYLE = re.compile(r"(?<!\d)(?P<year>\d{4})\s*[-/.]\s*(?P<month>\d{1,2})\s*[-/.]\s*(?P<day>\d{1,2})(?!\d)")
# A line that is a date and nothing else (brackets around it allowed: "（2023年1月16日）").
_BRACKETS = "()（）〔〕[]［］【】"
_ROC_OFFSET = 1911
# A time after the date ("2021-06-30 14:06:16") does not stop a line being a date line.
_TIME = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")


def parse_date(text: str) -> date | None:
    """The first full date (year, month and day) written in ``text``; None if there is none."""
    for match in _matches(text or ""):
        if match.group("day") is None:
            continue
        found = _date(match)
        if found:
            return found
    return None


def standalone_date(line: str) -> date | None:
    """The date a line states when the line is nothing but that date (a signature's date line)."""
    match = _whole_line_date(line)
    return _date(match) if match else None


def looks_like_standalone_date(line: str) -> bool:
    """A whole line shaped as a date, valid or not ("2025年13月45日" included): never a heading."""
    return _whole_line_date(line) is not None


def _whole_line_date(line: str) -> re.Match | None:
    stripped = _TIME.sub("", line.strip().strip(_BRACKETS + " \u3000").strip())
    for match in _matches(stripped):
        if match.start() == 0 and match.end() == len(stripped) and match.group("day") is not None:
            return match
    return None


def _matches(text: str):
    yield from _CHINESE_STYLE.finditer(text)
    yield from _NUMERIC_STYLE.finditer(text)


def _date(match: re.Match) -> date | None:
    groups = match.groupdict()
    year = _number(groups["year"], year=True)
    month = 1 if groups["month"] == "元" else _number(groups["month"])
    day = _number(groups["day"])
    if year is None or month is None or day is None:
        return None
    if groups.get("roc"):
        if year < 1:
            return None   # the Republic's years start at 1 (1912)
        year += _ROC_OFFSET
    elif year < 1000:
        return None   # "23年" is not a year we can place without an era
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _number(text: str, *, year: bool = False) -> int | None:
    text = text.strip().translate(_FULL_WIDTH_DIGITS)
    if text.isdigit():
        return int(text)
    text = re.sub(f"[{_ZERO}]", "〇", text)
    if year and "十" not in text and "百" not in text:
        # Years are read digit by digit: 二〇二三 is 2023, 一一二 is (ROC) 112.
        digits = [chinese_numeral(ch) for ch in text]
        return None if None in digits else int("".join(map(str, digits)))
    return chinese_numeral(text)


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


_WRITTEN_YEAR = re.compile(rf"(?P<roc>{_ROC}\s*)?(?P<year>\d{{1,4}}|[０-９]{{1,4}}|[{_CN_DIGIT}]{{1,5}})\s*年")


def written_year(text: str) -> int | None:
    """The first plausible year ``text`` names before 年, in any of the forms above (2023 for 民國112年)."""
    for match in _WRITTEN_YEAR.finditer(text or ""):
        year = _number(match.group("year"), year=True)
        if year is None:
            continue
        if match.group("roc") and year >= 1:
            year += _ROC_OFFSET
        if 1900 <= year <= 2100:
            return year
    return None
