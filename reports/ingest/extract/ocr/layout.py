"""Tesseract's words back into a page's text: lines, paragraphs, and honest marks where it was unsure.

Lines come in Tesseract's reading order (block by block, columns apart). A
line ends its paragraph, as on a printed page, when the next one is indented
(Chinese paragraphs open two characters in), starts a numbered heading or
after a wider gap, or when this one stops short of the right margin. Page
numbers and running headers at the top and bottom of a page are left out.

A word read with low confidence is not passed off as clean text: it becomes
the damage mark, and the guess is kept in an ``Uncertain`` note (page, line,
the words around it) for the warning and for staff who correct the text.
"""

import re
from dataclasses import dataclass, field

from reports.ingest.clean import DAMAGE_MARK
from reports.ingest.extract.docx_numbering import format_number
from reports.ingest.extract.lines import BLOCK_START, CLOSING, PAGE_NUMBER, join_line
from reports.ingest.extract.ocr.tesseract import Word
from reports.ingest.numbering import numbering_of

# Below this confidence (0-100) a word is marked, not shown, unless a second
# model settles it (``second.py``). Measured on bench/ocr.py's pages (Debian's
# fast models, one block a page), about seven in ten marks below 20 fall on
# words read wrong, and half of those between 20 and 55 on words read right,
# each such false alarm costing the reader a word; the models' confidence of
# single characters says nothing (right and wrong alike are 90-99), so the mark
# is for the word.
UNSURE_BELOW = 20
# Marks are reported with this many characters of text on either side.
_CONTEXT = 12
# Dashes OCR reads for a page number's rules: "— 3 —" comes back as "一 3 一" too;
# and between them, the figure one read as a letter or a bracket ("- 1 -" as "-l-").
_DASHES = str.maketrans({"一": "—", "_": "-", "~": "-", "=": "-"})
_ONE = str.maketrans({"l": "1", "I": "1", "|": "1", "]": "1"})
_SENTENCE_END = "。！？.!?：:；;”\"』」)）"


@dataclass
class Line:
    words: list[Word]
    text: str = ""

    @property
    def left(self) -> int:
        return min(w.left for w in self.words)

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> int:
        # The middle word's height: one tall bracket or a dropped descender does not count.
        heights = sorted(w.height for w in self.words)
        return heights[len(heights) // 2]

    @property
    def block(self) -> int:
        return self.words[0].block


@dataclass
class Uncertain:
    guess: str
    context: str
    line: int            # line on the page, from 1


@dataclass
class PageText:
    paragraphs: list[str]
    uncertain: list[Uncertain]
    confidence: float               # mean over characters, 0-100
    opens_mid_paragraph: bool       # the first line continues a paragraph from the page before
    ends_mid_paragraph: bool        # the last line runs on to the next page
    header: str = ""                # a running header taken off the top (see ``running_lines``)
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def confidence_of(words: list[Word]) -> float:
    """Mean confidence over the characters read (a long word counts more than a comma)."""
    weight = sum(len(w.text) for w in words)
    return sum(w.confidence * len(w.text) for w in words) / weight if weight else 0.0


def lines_of(words: list[Word], *, cjk: bool) -> list[Line]:
    lines: list[Line] = []
    for word in words:
        if lines and lines[-1].words[0].line_key == word.line_key:
            lines[-1].words.append(word)
        else:
            lines.append(Line([word]))
    for line in lines:
        line.text = _line_text(line.words, cjk=cjk)
    return [line for line in lines if line.text.strip()]


def _line_text(words: list[Word], *, cjk: bool) -> str:
    text = ""
    for word in words:
        piece = DAMAGE_MARK if word.confidence < UNSURE_BELOW else word.text
        if text.endswith(DAMAGE_MARK) and piece == DAMAGE_MARK:
            continue
        if not text:
            text = piece
        elif cjk and (not (_LATIN_END.search(text) and _LATIN_START.match(piece)) or _SPLIT_NUMBER.match(text[-1:] + piece[:1])):
            # Chinese print has no spaces; Tesseract's word boxes are not words (nor is a
            # number it cut in two where the figures stand apart: 62 read as 6 and 2).
            text += piece
        else:
            text += " " + piece
    return chinese_punctuation(text) if cjk else text


_LATIN_END = re.compile(r"[A-Za-z0-9.,%]$")
_SPLIT_NUMBER = re.compile(r"^\d\d$")
_LATIN_START = re.compile(r"^[A-Za-z0-9(]")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_CHINESE_DIGITS = "一二三四五六七八九十〇零"


def chinese_punctuation(text: str) -> str:
    """Punctuation as Chinese print sets it, where the models read the half-width look-alike.

    ``,`` ``:`` ``;`` ``!`` ``?`` after a Han character or before one are the
    full-width marks; brackets around a Han phrase likewise; ``[2024]`` after
    Han characters is a document number's ``〔2024〕``; a zero among Chinese
    numerals is ``〇`` (二〇二三年); a figure read after ``%`` (``97.5%6。``) is
    dropped, since only a mark or a character follows it; in a date, a ``]`` or ``|`` that stands for
    or beside the serif figure one is that ``1`` (``2024年1]月`` is 2024年1月):
    nothing but figures stands between 年, 月 and 日.
    """
    text = re.sub(rf"(?<=[{_HAN}\d%）])\s*([,:;!?])\s*(?=[{_HAN}“（《\d]|$)", lambda m: _FULL_WIDTH[m.group(1)], text)
    text = re.sub(rf"(?<=[{_HAN}])\s*[\[［【〔(（]+\s*((?:19|20)\d{{2}})\s*[\]］】〕)）]+\s*", r"〔\1〕", text)
    text = re.sub(rf"\(\s*(?=[{_HAN}])", "（", text)
    text = re.sub(rf"(?<=[{_HAN}])\s*\)", "）", text)
    text = re.sub(rf"(?<=[{_CHINESE_DIGITS}])[0Oo〇](?=[{_CHINESE_DIGITS}0Oo])|(?<=[{_CHINESE_DIGITS}0Oo])[0Oo](?=[{_CHINESE_DIGITS}])", "〇", text)
    text = _PERCENT_TAIL.sub("%", text)
    return _DATE_PART.sub(lambda m: _ONE_LOOK_ALIKE.sub("1", m.group()), text)


# The percent sign read with a figure after it (its lower circle taken for a 0 or a 6): in
# Chinese print a closing mark or a character follows "%", never a lone figure.
_PERCENT_TAIL = re.compile(r"%\d(?=[^\d.%]|$)")
# A month or a day read with a look-alike of the figure one in it, and the two parts around it.
_DATE_PART = re.compile(r"(?<=\d年)[\d\]|丨]{1,3}(?=月)|(?<=[\d\]|丨]月)[\d\]|丨]{1,3}(?=日)")
_ONE_LOOK_ALIKE = re.compile(r"1?[\]|丨]")


def page_text(words: list[Word], *, page_height: int, cjk: bool, header: str = "") -> PageText:
    """The paragraphs of one page; ``header`` is a running header known from other pages."""
    lines = lines_of(words, cjk=cjk)
    lines = _without_edges(lines, page_height=page_height, header=header)
    if not lines:
        return PageText([], [], confidence_of(words), False, False)
    heights = sorted(line.height for line in lines)
    em = max(1, heights[len(heights) // 2])
    lefts = sorted(line.left for line in lines)
    rights = sorted(line.right for line in lines)
    margin_left = lefts[len(lefts) // 5]
    margin_right = rights[len(rights) * 4 // 5]
    pitches = sorted(b.top - a.top for a, b in zip(lines, lines[1:]) if b.top > a.top and a.block == b.block)
    pitch = pitches[len(pitches) // 4] if pitches else 2 * em

    def indented(line: Line) -> bool:
        return line.left - margin_left > 1.2 * em

    def full(line: Line) -> bool:
        return margin_right - line.right < (1.6 if cjk else 3.5) * em

    def fits(line: Line, after: Line) -> bool:
        """The next line's first word would have fitted at the end of this one: the break was meant."""
        first = em if cjk else after.words[0].width + 0.4 * em
        return first < margin_right - line.right - 0.5 * em

    def centred(line: Line) -> bool:
        left, right = line.left - margin_left, margin_right - line.right
        return left > 1.5 * em and right > -em and abs(left - right) < 1.5 * em

    paragraphs: list[str] = []
    current = ""
    previous: Line | None = None
    for line in lines:
        text = line.text.strip()
        starts = previous is None or _breaks_between(previous, line, text, indented=indented, fits=fits, centred=centred, pitch=pitch)
        if starts and current and (text[:1] not in CLOSING or _lost_numeral(text)):
            paragraphs.append(current)
            current = ""
        current = join_line(current, text, cjk)
        previous = line
    if current:
        paragraphs.append(current)

    first, last = lines[0], lines[-1]
    return PageText(
        paragraphs=paragraphs,
        uncertain=_uncertain(lines, cjk=cjk),
        confidence=confidence_of(words),
        opens_mid_paragraph=not indented(first) and not BLOCK_START.match(first.text) and bool(re.match(r"[\w\u4e00-\u9fff]", first.text)),
        ends_mid_paragraph=full(last) and not last.text.rstrip().endswith(tuple(_SENTENCE_END)),
        lines=[line.text for line in lines],
    )


def _breaks_between(previous: Line, line: Line, text: str, *, indented, fits, centred, pitch: float) -> bool:
    if line.top - previous.top > 1.5 * pitch:
        return True
    if centred(previous) and centred(line) and abs(previous.height - line.height) < 0.2 * previous.height:
        return False  # a title set on two centred lines
    if previous.block != line.block and line.top - previous.top > 1.3 * pitch:
        return True
    return bool(BLOCK_START.match(text)) or _lost_numeral(text) or indented(line) or fits(previous, line)


def _lost_numeral(text: str) -> bool:
    """A line opening with "、", which Chinese print never sets: a heading whose numeral was lost.

    It starts a paragraph of its own (though "、" closes a phrase elsewhere), so that
    ``restore_heading_numerals`` can number it.
    """
    return text.startswith("、")


def _without_edges(lines: list[Line], *, page_height: int, header: str) -> list[Line]:
    """The lines without page numbers at the top or bottom, nor running headers and footers.

    A running header is known by repeating on other pages (``header``), or by
    its look: small print in the top margin, set apart from the text below it.
    """
    kept = list(lines)
    for _ in range(2):
        for index in (0, -1):
            if kept and _is_page_number(kept[index]):
                kept.pop(index)
    if header and kept and _same_header(kept[0].text, header) and kept[0].top < page_height * 0.15:
        kept.pop(0)
    if len(kept) > 3:
        heights = sorted(line.height for line in kept)
        em = heights[len(heights) // 2]
        kept = _without_margin_lines(kept, em, page_height=page_height)
        kept.reverse()
        kept = _without_margin_lines(kept, em, page_height=page_height, top=False)
        kept.reverse()
    return kept


def _without_margin_lines(lines: list[Line], em: int, *, page_height: int, top: bool = True) -> list[Line]:
    """Small print in the top (or bottom) margin, well apart from the text: a running header (footer)."""
    def in_margin(line: Line) -> bool:
        edge = line.bottom < page_height * 0.12 if top else line.top > page_height * 0.9
        return edge and line.height <= 0.92 * em

    count = 0
    while count < min(3, len(lines) - 3) and in_margin(lines[count]):
        count += 1
    if not count:
        return lines
    margin, rest = lines[:count], lines[count:]
    gap = rest[0].top - max(line.bottom for line in margin) if top else min(line.top for line in margin) - rest[0].bottom
    return rest if gap > 1.2 * em else lines


def _is_page_number(line: Line) -> bool:
    """A line that is only a page number, read as the engine guessed it (an unsure "1" is still a page number)."""
    text = " ".join(word.text for word in line.words).translate(_DASHES).replace(" ", " ")
    if PAGE_NUMBER.match(text):
        return True
    # Figures read as letters only between dashes: "- l -", not a word such as "I" alone.
    dashed = re.fullmatch(r"\s*[-–—]+\s*(\S{1,3})\s*[-–—]+\s*", text)
    return bool(dashed and PAGE_NUMBER.match(text.translate(_ONE)))


def _same_header(a: str, b: str) -> bool:
    def key(text: str) -> str:
        return re.sub(r"[\s\d]+", "", text)
    return bool(key(a)) and key(a) == key(b)


_HEADING_LIKE = re.compile(r"、[^。，；！？,;]{1,30}")


def restore_heading_numerals(pages: list[list[str]]) -> list[list[str]]:
    """Headings read as opening with "、", their numeral lost, numbered on from the heading before them.

    No model here reads the bold sans 四 of a ``四、`` heading (Debian's language
    and script models alike, at any scale and crop: measured), and Chinese
    print never opens a line with "、": after ``三、`` that heading is ``四、``.
    Only a line set as a heading is numbered (short, no sentence in it: a list
    item that lost its ``1`` is not a heading); one with no numbered heading
    before it stays as read.
    """
    last: int | None = None
    out = []
    for paragraphs in pages:
        page = []
        for paragraph in paragraphs:
            numbering = numbering_of(paragraph)
            if numbering and numbering.style == "cn、":
                last = numbering.value
            elif _lost_numeral(paragraph) and last is not None and _HEADING_LIKE.fullmatch(paragraph):
                last += 1
                paragraph = format_number(last, "chineseCounting") + paragraph
            page.append(paragraph)
        out.append(page)
    return out


def running_header(first_lines: list[str]) -> str:
    """The line that opens most pages (pages after the first), if any: a running header."""
    keys: dict[str, list[str]] = {}
    for text in first_lines:
        keys.setdefault(re.sub(r"[\s\d]+", "", text), []).append(text)
    best = max(keys.values(), key=len, default=[])
    return best[0] if len(best) >= 2 and len(best) * 2 >= len(first_lines) else ""


def _uncertain(lines: list[Line], *, cjk: bool) -> list[Uncertain]:
    notes = []
    for number, line in enumerate(lines, start=1):
        marks = [m.start() for m in re.finditer(DAMAGE_MARK, line.text)]
        runs: list[list[str]] = []
        for word, before in zip(line.words, [None] + line.words[:-1]):
            if word.confidence >= UNSURE_BELOW:
                continue
            if before is not None and before.confidence < UNSURE_BELOW:
                runs[-1].append(word.text)
            else:
                runs.append([word.text])
        for run, at in zip(runs, marks):
            guess = ("" if cjk else " ").join(run)
            notes.append(Uncertain(guess=guess, context=line.text[max(0, at - _CONTEXT): at + 1 + _CONTEXT], line=number))
    return notes
