"""What numbers a line: ``一、`` ``（一）`` ``(一)`` ``1.`` ``(1)`` ``Ii.`` and their kin."""

import re
import unicodedata
from dataclasses import dataclass

_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "一二三四五六七八九十百零〇两"
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}
_PREFIX_WINDOW = 16


@dataclass(frozen=True)
class Numbering:
    style: str    # "cn、", "(cn)", "1.", "(1)", "I.", "①"
    value: int
    prefix: str   # the numbering as written, e.g. "（一）" or "4 . "
    rest: str     # the line after it


# Tried in order; each pattern sees the line after NFKC (full-width brackets and digits folded).
_PATTERNS = [
    ("cn、", re.compile(rf"^([{_CN}]{{1,3}})\s*、\s*")),
    ("(cn)", re.compile(rf"^\(\s*([{_CN}]{{1,3}})\s*\)\s*")),
    ("(1)", re.compile(r"^\(\s*(\d{1,2})\s*\)\s*")),
    ("1.", re.compile(r"^(\d{1,2})\s*(?:\.(?!\d)|、)\s*")),
    ("I.", re.compile(r"^([IVXivx][ivxl]{0,4})\.\s*")),
    ("①", re.compile(r"^([\u2460-\u2473])\s*")),
]


def numbering_of(line: str) -> Numbering | None:
    stripped = line.strip()
    # Numbering is at most a few characters long: fold only the start of the line.
    folded = unicodedata.normalize("NFKC", stripped[:_PREFIX_WINDOW])
    # NFKC turns ① into 1; keep circled numbers as their own style.
    if stripped[:1] and "\u2460" <= stripped[0] <= "\u2473":
        return Numbering("①", ord(stripped[0]) - 0x245F, stripped[0], stripped[1:].lstrip())
    for style, pattern in _PATTERNS[:-1]:
        match = pattern.match(folded)
        if not match:
            continue
        value = _value(style, match.group(1))
        if value is None:
            continue
        prefix_length = _original_length(stripped[:_PREFIX_WINDOW], folded, match.end())
        rest = stripped[prefix_length:]
        if not rest.strip():
            return None
        return Numbering(style, value, stripped[:prefix_length], rest)
    return None


def join_label(label: str, text: str, *, spaced: bool = True) -> str:
    """A list label drawn by a word processor and its paragraph's text, as one line.

    Chinese text follows its label directly (``一、继续做好``, ``1.坚持``), as typed
    numbering is written; Latin text after a space (``1. Work summary``), unless the
    document asked for nothing between them (``spaced=False``).
    """
    if not label:
        return text
    if not text:
        return label
    if not spaced or _CJK_START.match(text):
        return label + text
    return f"{label} {text}"


_CJK_START = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def tidy_list_line(line: str) -> str:
    """A line of a word processor's text export: its indentation gone, and the list label it
    drew joined to the text as :func:`join_label` joins it (LibreOffice puts a space or tab
    after every label, whatever the document asked for)."""
    line = line.strip()
    numbering = numbering_of(line)
    if numbering is None:
        return line
    return join_label(numbering.prefix.strip(), numbering.rest.strip())


def _value(style: str, digits: str) -> int | None:
    if style in ("cn、", "(cn)"):
        return chinese_number(digits)
    if style == "I.":
        return roman_number(digits)
    return int(digits)


def chinese_number(digits: str) -> int | None:
    """The value of a heading's Chinese number (一 to 九十九); hundreds are not heading numbers."""
    if "百" in digits:
        return None
    return chinese_numeral(digits)


_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_numeral(text: str) -> int | None:
    """一 1, 十六 16, 三十一 31, 一百一十二 112, 一百零五 105; None for anything else (二三, 十十)."""
    if not text:
        return None
    total, current, last_unit = 0, None, 10_000
    for char in text:
        if char in _CHINESE_DIGITS:
            if current:   # two digits in a row ("二三") are not a positional number
                return None
            current = _CHINESE_DIGITS[char]
        elif char in _UNITS:
            unit = _UNITS[char]
            if unit >= last_unit:
                return None
            total += (1 if current is None else current) * unit
            current, last_unit = None, unit
        else:
            return None
    return total + (current or 0)


def roman_number(numeral: str) -> int | None:
    values = [_ROMAN.get(ch) for ch in numeral.lower()]
    if None in values or not values:
        return None
    total = 0
    for current, following in zip(values, values[1:] + [0]):
        total += -current if current < following else current
    return total if 0 < total < 40 else None


def _original_length(original: str, folded: str, folded_end: int) -> int:
    """Map an offset in the NFKC form back to the line as written (NFKC may shorten it)."""
    if len(original) == len(folded):
        return folded_end
    for end in range(len(original) + 1):
        if len(unicodedata.normalize("NFKC", original[:end])) >= folded_end:
            return end
    return len(original)
