"""The text layer of a PDF, reflowed into paragraphs.

A PDF stores visual lines, not paragraphs. A line ends its paragraph when the
next line's first word would have fitted on it (the typesetter broke on
purpose), when a wider gap follows it, or when the next line opens a numbered
heading; otherwise the lines are joined. The page break is treated the same
way, so a sentence cut by it is joined here, where the line widths show it;
the text cleaner's repair of blank-line breaks (as in the seeds) still applies
to whatever is left.
"""

import io
import math
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from reports.ingest.errors import IngestError

# A line that is only a page number: "3", "- 3 -", "— 3 —", "第 3 页", "3 / 12", "Page 3 of 12".
# Bare numbers of four digits are years ("2021" alone on a cover), not page numbers.
_PAGE_NUMBER = re.compile(r"^[\s\-–—]*(第\s*\d+\s*页(\s*/?\s*共\s*\d+\s*页)?|page\s+\d+(\s+of\s+\d+)?|\d{1,3}(\s*/\s*\d{1,3})?)[\s\-–—]*$", re.I)
# Lines that open a paragraph whatever the line before looked like: the seeds' heading styles.
_BLOCK_START = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d)|[IVXivx]+\.\s)")
# Chinese typesetting never starts a line with these, so such a line continues the one before.
_CLOSING = "，。、；：！？）》」』”’…,.;:!?)"
_CJK_END = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]$")
_CJK_START = re.compile(r"^[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# Fewer word characters than this beside images means scanned pages, not a text layer.
_MIN_TEXT_CHARS = 20


def pdf_to_text(data: bytes, *, filename: str) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted and not reader.decrypt("")
        pages = [] if locked else [_page_text(page) for page in reader.pages]
        capacities = [page.capacity for page in pages if page.capacity]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(_("“%(name)s” could not be read as a PDF (%(error)s).") % {"name": filename, "error": exc}) from exc
    if locked:
        raise IngestError(_("“%(name)s” is a password-protected PDF; upload it without the password.") % {"name": filename})
    lines = [line for page in pages for line in _without_page_numbers([line.strip() for line in page.text.splitlines()])]
    text_chars = sum(1 for line in lines for ch in line if ch.isalnum())
    # A scan may carry a few characters of text (a stamp, an OCR'd heading);
    # a short text with no images is a short text, not a scan.
    if text_chars == 0 or (text_chars < _MIN_TEXT_CHARS and _has_images(reader)):
        raise IngestError(
            _("“%(name)s” is a PDF without a text layer (scanned pages or images only). Run text recognition (OCR) on it and upload the result.")
            % {"name": filename}
        )
    # Pages are reflowed as one run of lines: whether a paragraph goes on over the
    # page break is decided like any line break (did the next word fit?).
    return _reflow(lines, sorted(capacities)[len(capacities) // 2] if capacities else None)


def _has_images(reader: PdfReader) -> bool:
    try:
        return any(len(page.images) for page in reader.pages)
    except Exception:  # a damaged image dictionary: count it as an image, the page has one
        return True


@dataclass
class _Page:
    text: str
    # How many half-em units (one Latin letter, half a Chinese character) fit
    # between margins as wide as the left one: None when there is no text.
    capacity: float | None


def _page_text(page) -> _Page:
    """The page's text with a blank line wherever the gap between two lines is wider than the line spacing.

    pypdf gives one line per visual line and drops vertical space, but the
    space between paragraphs is what tells them apart; its text visitor gives
    each piece's position, from which the gaps are measured.
    """
    pieces: list[tuple[str, float]] = []
    lefts: list[float] = []
    sizes: list[float] = []

    def visit(text, cm, tm, font, size):
        # The piece's position in page space: the text matrix times the current transformation.
        pieces.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))
        if text.strip():
            lefts.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])
            sizes.append(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]))

    page.extract_text(visitor_text=visit)
    em = sorted(sizes)[len(sizes) // 2] if sizes else 0.0  # the body text's size, in points
    capacity = (float(page.mediabox.width) - 2 * min(lefts)) / (em / 2) if em > 0 else None
    return _Page(_with_paragraph_gaps(pieces, em or None), capacity)


def _with_paragraph_gaps(pieces: list[tuple[str, float]], em: float | None) -> str:
    lines: list[tuple[str, float | None]] = []
    text, y = "", None
    for piece, piece_y in pieces:
        parts = piece.split("\n")
        for i, part in enumerate(parts):
            if part.strip() and y is None:
                y = piece_y
            text += part
            if i < len(parts) - 1:
                lines.append((text, y))
                text, y = "", None
    if text:
        lines.append((text, y))
    steps = [a[1] - b[1] for a, b in zip(lines, lines[1:]) if a[1] is not None and b[1] is not None and a[1] > b[1]]
    if not steps:
        return "\n".join(line for line, _ in lines)
    # The lower quartile: body lines outnumber paragraph gaps, even on a short page.
    spacing = sorted(steps)[len(steps) // 4]
    if len(steps) < 3 and em:
        # Too few lines to tell body spacing from gaps: assume the usual leading
        # (at most 1.5 em; double-spaced pages have enough lines for the quartile).
        spacing = min(spacing, 1.5 * em)
    out = [lines[0][0]]
    for (_previous, above), (line, below) in zip(lines, lines[1:]):
        if above is not None and below is not None and above - below > 1.35 * spacing:
            out.append("")
        out.append(line)
    return "\n".join(out)


def _reflow(lines: list[str], capacity: float | None) -> str:
    filled = [line for line in lines if line]
    if not filled:
        return ""
    cjk = sum(1 for line in filled if _CJK_START.match(line)) * 2 >= len(filled)
    widths = sorted(_width(line, cjk) for line in filled)
    # The widest line is a full one (one hanging punctuation mark over is within
    # the tolerance of _ends_paragraph).
    full = widths[-1]
    # Even the longest lines stop short of the margin: short lines, none wrapped.
    # Chinese fills its grid to the margin; proportional Latin type is measured
    # only roughly (a letter counts half an em), so it gets more slack.
    if capacity and full < (0.85 if cjk else 0.6) * capacity:
        full = None

    paragraphs: list[str] = []
    current = ""
    for line, after in zip(lines, lines[1:] + [""]):
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if not current and paragraphs and line[0] in _CLOSING:
            current = paragraphs.pop()
        elif current and _BLOCK_START.match(line):
            paragraphs.append(current)
            current = ""
        current = _join(current, line, cjk)
        if after and _ends_paragraph(line, after, full, cjk):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _ends_paragraph(line: str, after: str, full: int | None, cjk: bool) -> bool:
    """True when the next line's first word would have fitted on this one: the typesetter broke on purpose.

    Widths are estimated from the characters (full-width 2, others 1), which is
    close for Chinese set on a grid and rough for proportional Latin type, so
    Latin text also needs a sentence end or a clearly short line.
    """
    if full is None:
        return True
    first = after[0] if _CJK_START.match(after) else after.split()[0]
    room = full - _width(line, cjk) - (0 if cjk else 1)
    # The estimate errs by a unit here and there (narrow Latin commas, a hanging
    # mark on the widest line): when in doubt, join; a blank line between two
    # halves of a sentence would cut it, joining two paragraphs loses nothing.
    fits = _width(first, cjk) <= room - max(2, 0.08 * full)
    if cjk:
        return fits
    return (fits and line.endswith((".", ":", "!", "?", '"', "”"))) or _width(line, cjk) < 0.6 * full


def _without_page_numbers(lines: list[str]) -> list[str]:
    """The page's lines without a page number at the top or bottom (never in the middle), nor blank edges.

    The edges go too: the gap above a page number is not a paragraph break.
    """
    filled = [i for i, line in enumerate(lines) if line]
    for i in filled[:1] + filled[-1:]:
        if _PAGE_NUMBER.match(lines[i]):
            lines[i] = ""
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _join(before: str, line: str, cjk: bool) -> str:
    if not before:
        return line
    if _CJK_END.search(before) or _CJK_START.match(line):
        return before + line
    # In Chinese text a line break is not a space, except between two Latin words or numbers.
    if cjk and not (before[-1].isascii() and before[-1].isalnum() and line[0].isascii() and line[0].isalnum()):
        return before + line
    if before.endswith("-") and before[-2:-1].isalpha() and line[:1].islower():
        return before[:-1] + line  # a word hyphenated at the margin
    return f"{before} {line}"


def _width(text: str, cjk: bool) -> int:
    # In Chinese type, quotes and dashes (East Asian "ambiguous" width) are full-width too.
    wide = "WFA" if cjk else "WF"
    return sum(2 if unicodedata.east_asian_width(ch) in wide else 1 for ch in text)
