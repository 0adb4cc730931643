"""Word's automatic numbering: the labels (``一、`` ``（一）`` ``1.``) Word draws before paragraphs.

A .docx does not store the labels, only the rules (``word/numbering.xml``,
ECMA-376 part 1, 17.9): a paragraph names a numbering instance (``w:numId``)
and a level (``w:ilvl``), directly or through its style; the instance points
to an abstract definition whose level gives the start value, the number format
(``decimal``, ``chineseCounting``...) and the label's pattern (``lvlText``:
``%1、``, ``（%2）``, ``%1.%2``). Counting is done here, in document order,
the way Word counts: instances of one abstract definition share their counters
unless an instance restarts a level (``startOverride``), and using a level
restarts the levels below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.oxml.ns import qn

from reports.ingest.numbering import join_label

_LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")
# Start values are Word's 32-bit integers: a file's larger ones are cut to them.
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


@dataclass(frozen=True)
class _Level:
    start: int = 0
    fmt: str = "decimal"
    text: str = ""
    legal: bool = False          # isLgl: the other levels' numbers shown in Arabic digits
    restart: int | None = None   # lvlRestart: restart after this (1-based) level; 0 never; None after the one above
    suffix: str = "tab"


class WordNumbering:
    """Labels for a document's paragraphs, asked for in document order (the counting is stateful)."""

    def __init__(self, document):
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError):
            root = None
        self._styles = {s.get(qn("w:styleId")): s for s in document.styles.element.iterchildren(qn("w:style"))}
        self._default_style = next(
            (s for s in self._styles.values() if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")),
            None,
        )
        self._abstract: dict[str, object] = {}
        self._nums: dict[str, object] = {}
        if root is not None:
            for element in root.iterchildren(qn("w:abstractNum")):
                self._abstract[element.get(qn("w:abstractNumId"))] = element
            for element in root.iterchildren(qn("w:num")):
                self._nums[element.get(qn("w:numId"))] = element
        self._counters: dict[str, list[int | None]] = {}
        self._started: set[str] = set()

    def numbered(self, paragraph, text: str) -> str:
        """The text of this ``w:p`` element with the label Word shows before it; advances the count.

        Every paragraph must be passed, in document order (empty ones and those
        in tables too): each numbered one counts, whether it has text or not.
        """
        label, suffix = self._label(paragraph)
        return join_label(label, text, spaced=suffix != "nothing")

    def _label(self, paragraph) -> tuple[str, str]:
        """(label, what follows it: "tab", "space" or "nothing"); ("", "") for none or a bullet."""
        found = self._numbering_of(paragraph)
        if found is None:
            return "", ""
        num_id, level_index = found
        num = self._nums.get(num_id)
        abstract_id = self._abstract_id(num) if num is not None else None
        if abstract_id is None:
            return "", ""
        levels = [self._level(num, abstract_id, index) for index in range(_LEVELS)]
        counters = self._counters.setdefault(abstract_id, [None] * _LEVELS)
        if num_id not in self._started:
            self._started.add(num_id)
            for override in num.iterchildren(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                index = _int(override.get(qn("w:ilvl")))
                if start is not None and index is not None and 0 <= index < _LEVELS:
                    counters[index] = _start(start.get(qn("w:val"))) - 1
        current = counters[level_index]
        counters[level_index] = levels[level_index].start if current is None else current + 1
        for deeper in range(level_index + 1, _LEVELS):
            restart = levels[deeper].restart
            if restart is None or (restart and level_index < restart):
                counters[deeper] = None
        level = levels[level_index]
        if level.fmt == "bullet":
            return "", ""

        def number(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            value = counters[index] if counters[index] is not None else levels[index].start
            fmt = "decimal" if level.legal and index != level_index else levels[index].fmt
            return format_number(value, fmt)

        return _PLACEHOLDER.sub(number, level.text), level.suffix

    def _numbering_of(self, paragraph) -> tuple[str, int] | None:
        """(numId, level) from the paragraph's own properties, else from its style and the styles it is based on."""
        properties = paragraph.find(qn("w:pPr"))
        num_pr = properties.find(qn("w:numPr")) if properties is not None else None
        num_id, level = _num_pr(num_pr)
        style_id = None
        if properties is not None and properties.find(qn("w:pStyle")) is not None:
            style_id = properties.find(qn("w:pStyle")).get(qn("w:val"))
        style = self._styles.get(style_id) if style_id else self._default_style
        seen = set()
        while num_id is None and style is not None and id(style) not in seen:
            seen.add(id(style))
            style_properties = style.find(qn("w:pPr"))
            num_id, style_level = _num_pr(style_properties.find(qn("w:numPr")) if style_properties is not None else None)
            if level is None:
                level = style_level
            if num_id is not None and level is None:
                level = self._level_of_style(num_id, style.get(qn("w:styleId")))
            based_on = style.find(qn("w:basedOn"))
            style = self._styles.get(based_on.get(qn("w:val"))) if based_on is not None else None
        if num_id is None or num_id == "0":
            return None
        level = level or 0
        return (num_id, level) if 0 <= level < _LEVELS else None

    def _level_of_style(self, num_id: str, style_id: str | None) -> int | None:
        """A heading style linked to a multilevel list: the level that names the style (``w:pStyle``)."""
        num = self._nums.get(num_id)
        abstract = self._abstract.get(self._abstract_id(num)) if num is not None else None
        if abstract is None or style_id is None:
            return None
        for lvl in abstract.iterchildren(qn("w:lvl")):
            style = lvl.find(qn("w:pStyle"))
            if style is not None and style.get(qn("w:val")) == style_id:
                return _int(lvl.get(qn("w:ilvl")))
        return None

    def _abstract_id(self, num) -> str | None:
        element = num.find(qn("w:abstractNumId"))
        abstract_id = element.get(qn("w:val")) if element is not None else None
        abstract = self._abstract.get(abstract_id)
        link = abstract.find(qn("w:numStyleLink")) if abstract is not None else None
        if link is not None:
            # The definition lives in a numbering style: follow the style to its instance, once.
            style = self._styles.get(link.get(qn("w:val")))
            properties = style.find(qn("w:pPr")) if style is not None else None
            linked, _ = _num_pr(properties.find(qn("w:numPr")) if properties is not None else None)
            target = self._nums.get(linked)
            element = target.find(qn("w:abstractNumId")) if target is not None else None
            if element is not None and element.get(qn("w:val")) in self._abstract:
                return element.get(qn("w:val"))
        return abstract_id if abstract is not None else None

    def _level(self, num, abstract_id: str, index: int) -> _Level:
        lvl = None
        for override in num.iterchildren(qn("w:lvlOverride")):
            if _int(override.get(qn("w:ilvl"))) == index and override.find(qn("w:lvl")) is not None:
                lvl = override.find(qn("w:lvl"))
        if lvl is None:
            lvl = next((l for l in self._abstract[abstract_id].iterchildren(qn("w:lvl")) if _int(l.get(qn("w:ilvl"))) == index), None)
        if lvl is None:
            return _Level()

        def value(tag: str):
            element = lvl.find(qn(tag))
            return element.get(qn("w:val")) if element is not None else None

        legal = lvl.find(qn("w:isLgl"))
        restart = value("w:lvlRestart")
        return _Level(
            start=_start(value("w:start")),
            fmt=value("w:numFmt") or "decimal",
            text=value("w:lvlText") or "",
            legal=legal is not None and legal.get(qn("w:val"), "1") not in ("0", "false"),
            restart=_int(restart) if restart is not None else None,
            suffix=value("w:suff") or "tab",
        )


def _num_pr(element) -> tuple[str | None, int | None]:
    if element is None:
        return None, None
    num_id = element.find(qn("w:numId"))
    level = element.find(qn("w:ilvl"))
    return (
        num_id.get(qn("w:val")) if num_id is not None else None,
        _int(level.get(qn("w:val"))) if level is not None else None,
    )


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _start(value) -> int:
    return min(max(_int(value, 0), _INT_MIN), _INT_MAX)


# Number formats (ST_NumberFormat) ------------------------------------------------

_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_TW_LEGAL_DIGITS = "零壹貳參肆伍陸柒捌玖"
_TIAN_GAN = "甲乙丙丁戊己庚辛壬癸"
_DI_ZHI = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def format_number(value: int, fmt: str) -> str:
    """``value`` as Word writes it in number format ``fmt`` (unknown formats as Arabic digits)."""
    if fmt == "none":
        return ""
    if value < 0:
        return str(value)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return _chinese_counting(value, _CN_DIGITS.replace("〇", "零"), "十百千")
    if fmt in ("chineseLegalSimplified", "japaneseLegal"):
        return _chinese_counting(value, _CN_LEGAL_DIGITS, "拾佰仟", legal=True)
    if fmt == "ideographLegalTraditional":
        return _chinese_counting(value, _TW_LEGAL_DIGITS, "拾佰仟", legal=True)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(d)] for d in str(value))
    if fmt == "ideographTraditional":
        return _cycle(value, _TIAN_GAN)
    if fmt == "ideographZodiac":
        return _cycle(value, _DI_ZHI)
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letters = _letters(value)
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(value).translate(_FULL_WIDTH)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + value - 1) if 1 <= value <= 20 else str(value)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + value - 1) if 1 <= value <= 20 else f"({value})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + value - 1) if 1 <= value <= 20 else f"{value}."
    if fmt == "ideographEnclosedCircle":
        return chr(0x3220 + value - 1) if 1 <= value <= 10 else str(value)
    return str(value)


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _chinese_counting(value: int, digits: str, units: str, *, legal: bool = False) -> str:
    """一 ... 十, 十一, 二十, 一百零一 (legal forms write 壹拾 for ten)."""
    if value == 0:
        return digits[0]
    if value >= 10_000:
        return str(value)
    parts: list[str] = []
    zero = False
    for unit_value, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = value // unit_value % 10
        if digit == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append(digits[0])
            zero = False
        if not (digit == 1 and unit_value == 10 and not parts and not legal):
            parts.append(digits[digit])
        parts.append(unit)
    return "".join(parts)


def _cycle(value: int, symbols: str) -> str:
    # 甲 to 癸, 子 to 亥; past the end of the cycle, Arabic digits (as LibreOffice draws them).
    return symbols[value - 1] if 1 <= value <= len(symbols) else str(value)


def _roman(value: int) -> str:
    if not 0 < value < 4000:
        return str(value)
    out = []
    for amount, numeral in _ROMAN:
        count, value = divmod(value, amount)
        out.append(numeral * count)
    return "".join(out)


# Thirty letters (780 is Z thirty times) are more than any real list reaches; a start value
# of two billion would otherwise make every label 82 million letters long.
_MAX_LETTER_REPEATS = 30


def _letters(value: int) -> str:
    # Word repeats the letter: A ... Z, AA ... ZZ, AAA ...
    if not 1 <= value <= 26 * _MAX_LETTER_REPEATS:
        return str(value)
    letter = chr(ord("A") + (value - 1) % 26)
    return letter * ((value - 1) // 26 + 1)
