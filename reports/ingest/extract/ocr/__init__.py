"""Text recognition (OCR) of scanned pages: one public function, :func:`ocr_pages`.

Measured on pages of work reports (``bench/ocr.py``, README there), Debian's
Tesseract 5 with the one right model per page, and two other models' opinions
on Chinese pages (``second.py``), reads clean and photographed pages of
Simplified, Traditional and English held out from its tuning at 0-1.1 %
character errors, in about 120 MB a model, where RapidOCR (PP-OCRv4) needed
840 MB and three times as long, and misread Traditional. Reading a
page with several models at once is far worse than with the right one
(``chi_sim`` alone 0.7 % errors, ``chi_sim+chi_tra+eng`` 20 %), so each page's
script is decided first, on a sample of its lines, then the page is read with
that model alone.

The script is decided on the first page with text and kept for the pages after
it while they read well; a page that reads badly is decided afresh, and one
that still reads badly is asked which way up it is (Tesseract's orientation
detection) and read again if it was turned.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image

from reports.ingest.extract.lines import BLOCK_START, join_line
from reports.ingest.extract.ocr import tesseract
from reports.ingest.extract.ocr.layout import (
    PageText,
    Uncertain,
    confidence_of,
    lines_of,
    page_text,
    restore_heading_numerals,
    running_header,
)
from reports.ingest.extract.ocr.prepare import PreparedPage, is_rule, letterhead_band, prepare, text_lines
from reports.ingest.extract.ocr.second import second_opinion

__all__ = ["OcrPage", "OcrResult", "Uncertain", "ocr_pages"]

Progress = Callable[[int, int], None]

# A page read this well needs no second opinion (mean character confidence, 0-100).
_READS_WELL = 75
# The image readers see beside the text: at most this many pixels on its long side.
VIEW_LONG_SIDE = 1600
_VIEW_QUALITY = 70
# The sample a page's script is decided on: a few whole lines from its middle.
_SAMPLE_LINES = 4
# Height in pixels of a line of body text at 200 dpi (16-point type): what the models read best.
_TEXT_LINE_PX = 48
# Traditional wins only by a clear margin: chi_tra reads Simplified print nearly as surely.
_TRADITIONAL_MARGIN = 4.0


@dataclass
class OcrPage:
    number: int                   # the page's place in the file, from 1
    text: str                     # paragraphs, blank-line separated; unsure words as the damage mark
    language: str                 # "zh-Hans", "zh-Hant" or "en": the model it was read with
    confidence: float             # mean character confidence, 0-100
    uncertain: list[Uncertain]
    image: bytes                  # the page as readers see it (JPEG), upright and straightened
    width: int
    height: int
    rotated: int = 0              # degrees it was turned clockwise to stand upright
    skew: float = 0.0             # degrees it was straightened
    letterhead: str = ""          # red letterhead text read on this page
    layout: PageText | None = field(default=None, repr=False)


@dataclass
class OcrResult:
    pages: list[OcrPage]
    letterhead: str               # the issuing body's letterhead, as printed in red on the first page

    @property
    def language(self) -> str:
        counts = Counter(page.language for page in self.pages if page.text)
        return counts.most_common(1)[0][0] if counts else "zh-Hans"

    def page_paragraphs(self) -> list[list[str]]:
        """Each page's paragraphs; a paragraph cut by a page break is joined onto the page it began on."""
        out: list[list[str]] = []
        before: PageText | None = None
        for page in self.pages:
            paragraphs = list(page.layout.paragraphs) if page.layout else []
            if before and before.ends_mid_paragraph and page.layout.opens_mid_paragraph and paragraphs and out[-1]:
                out[-1][-1] = join_line(out[-1][-1], paragraphs.pop(0), page.language != "en")
            out.append(paragraphs)
            before = page.layout if paragraphs or out[-1] else before
        return out

    @property
    def text(self) -> str:
        paragraphs = [p for page in self.page_paragraphs() for p in page]
        if self.letterhead:
            paragraphs.insert(0, self.letterhead)
        return "\n\n".join(paragraphs)


def ocr_pages(
    images: Iterable[Image.Image],
    *,
    numbers: Iterable[int] | None = None,
    total: int | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> OcrResult:
    """Read each page image; ``progress(done, total)`` is called as each page is finished.

    ``images`` may be a generator (a multi-page TIFF is decoded page by page);
    ``numbers`` are the pages' places in the file (default 1, 2, ...).
    ``workers`` pages are read side by side (default: one per core, at most two).
    """
    workers = workers or min(2, os.cpu_count() or 1)
    numbered = zip(numbers if numbers is not None else _count_from(1), images)
    results: dict[int, _Reading] = {}
    done = 0

    def finished() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total if total is not None else max(done, len(results)))

    first = next(numbered, None)
    language = None
    if first is not None:
        reading = _read(first[1], language=None, find_letterhead=True)
        results[first[0]] = reading
        language = reading.language if reading.confidence >= _READS_WELL else None
        finished()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = []
        for number, image in numbered:
            pending.append((number, pool.submit(_read, image, language=language, find_letterhead=False)))
            # Keep at most a couple of pages decoded at once: memory stays bounded on long files.
            while len(pending) >= workers:
                number_done, future = pending.pop(0)
                results[number_done] = future.result()
                finished()
        for number_done, future in pending:
            results[number_done] = future.result()
            finished()

    ordered = [results[number] for number in sorted(results)]
    header = running_header([r.first_line for r in ordered[1:] if r.first_line])
    layouts = [page_text(r.words, page_height=r.height, cjk=r.language != "en", header=header) for r in ordered]
    for layout, paragraphs in zip(layouts, restore_heading_numerals([layout.paragraphs for layout in layouts])):
        layout.paragraphs = paragraphs
    pages = []
    for number, reading, layout in zip(sorted(results), ordered, layouts):
        pages.append(OcrPage(
            number=number,
            text=layout.text,
            language=reading.language,
            confidence=layout.confidence,
            uncertain=layout.uncertain,
            image=reading.view_jpeg,
            width=reading.view_size[0],
            height=reading.view_size[1],
            rotated=reading.rotated,
            skew=reading.skew,
            letterhead=reading.letterhead,
            layout=layout,
        ))
    letterhead = pages[0].letterhead if pages else ""
    return OcrResult(pages=pages, letterhead=letterhead)


def _count_from(start: int):
    while True:
        yield start
        start += 1


@dataclass
class _Reading:
    # What is kept of a page once read: not its images (but the small view), so that
    # memory does not grow with the number of pages.
    height: int
    skew: float
    language: str
    words: list[tesseract.Word]
    confidence: float
    rotated: int
    letterhead: str
    view_jpeg: bytes
    view_size: tuple[int, int]
    first_line: str


def _read(image: Image.Image, *, language: str | None, find_letterhead: bool) -> _Reading:
    page = prepare(image)
    rotated = 0
    if page.sideways:
        rotated = _upright(page)
        page = page.turned(rotated)
    black_letterhead = None
    if find_letterhead and page.red is None:
        # No colour (a fax, a grey scan): the letterhead is known by its place and size,
        # and is read apart like a red one, not as the first line of the text.
        page, black_letterhead = _letterhead_apart(page)
    chosen = language or choose_language(page)
    words = tesseract.read_words(page.text, model=tesseract.MODELS[chosen])
    confidence = confidence_of(words)
    if confidence < _READS_WELL and language is not None:
        # Not the script of the pages before it (an English annex, a quoted letter): decide afresh.
        again = choose_language(page)
        if again != chosen:
            retry = tesseract.read_words(page.text, model=tesseract.MODELS[again])
            if confidence_of(retry) > confidence:
                chosen, words, confidence = again, retry, confidence_of(retry)
    if confidence < _READS_WELL and not rotated:
        turn = _upright(page)
        if turn:
            turned = page.turned(turn)
            again = choose_language(turned)
            retry = tesseract.read_words(turned.text, model=tesseract.MODELS[again])
            if confidence_of(retry) > confidence:
                page, rotated, chosen, words, confidence = turned, turn, again, retry, confidence_of(retry)
    if chosen != "en":
        words = _headings_read_again(page.text, words, model=tesseract.MODELS[chosen])
    words = _lost_lines_read_again(page, words, model=tesseract.MODELS[chosen])
    words = second_opinion(page.text, words, language=chosen)
    if black_letterhead is not None:
        letterhead = _read_letterhead_strip(black_letterhead, language=chosen)
    else:
        letterhead = read_letterhead(page, language=chosen) if find_letterhead else ""
    view, size = _view(page.view)
    first = next((w for w in words), None)
    first_line = " ".join(w.text for w in words if first and w.line_key == first.line_key)
    return _Reading(page.text.height, page.skew, chosen, words, confidence, rotated, letterhead, view, size, first_line)


def _headings_read_again(text: Image.Image, words: list[tesseract.Word], *, model: str) -> list[tesseract.Word]:
    """Lines read as opening with "、": the numeral of a bold ``四、`` heading was lost; read each such line alone.

    Chinese print never opens a line with "、". Read as a line of its own, with
    a margin around it, the heading comes back whole; the new reading is kept
    only if it does.
    """
    lines: dict[tuple[int, int, int], list[tesseract.Word]] = {}
    for word in words:
        lines.setdefault(word.line_key, []).append(word)
    for key, line in lines.items():
        if not line[0].text.startswith("、"):
            continue
        top, bottom = min(w.top for w in line), max(w.bottom for w in line)
        pad = bottom - top
        left = max(0, min(w.left for w in line) - 3 * pad)
        box = (left, max(0, top - pad), min(text.width, max(w.right for w in line) + pad), min(text.height, bottom + pad))
        again = [replace(w, left=w.left + box[0], top=w.top + box[1], block=key[0], paragraph=key[1], line=key[2])
                 for w in tesseract.read_words(text.crop(box), model=model, psm=7)]
        if again and BLOCK_START.match("".join(w.text for w in again)):
            lines[key] = again
    return [word for line in lines.values() for word in line]


def _lost_lines_read_again(page: PreparedPage, words: list[tesseract.Word], *, model: str) -> list[tesseract.Word]:
    """Bands of print the page's reading returned no word for, read again apart, in black and white.

    Tesseract's own threshold, over a whole page, sometimes drops a line whole
    (measured: a signature stamped over by a seal, clean to the eye once the
    red was out); cut out and thresholded at half-tone, it reads. The lost
    bands are stacked into one image and read at once, so a page costs one
    more reading however many there are (a form of dotted rows has scores).
    What comes back is kept line by line, only where it reads surely.
    """
    if not words:
        return words
    text = page.text
    ink = np.asarray(text) < 128
    lost = [(top, bottom) for top, bottom in text_lines(text)
            if not is_rule(ink, (top, bottom), dpi=page.dpi)
            and not any(top <= (w.top + w.bottom) / 2 <= bottom for w in words)]
    if not lost:
        return words
    pad = max(bottom - top for top, bottom in lost) // 2
    stack = Image.new("L", (text.width, sum(bottom - top + 2 * pad for top, bottom in lost)), 255)
    placed_at = []   # (top in the stack, bottom in the stack, top on the page)
    y = 0
    for top, bottom in lost:
        band = text.crop((0, top, text.width, bottom)).point(lambda v: 255 if v >= 128 else 0)
        stack.paste(band, (0, y + pad))
        placed_at.append((y, y + bottom - top + 2 * pad, top))
        y += bottom - top + 2 * pad
    found = tesseract.read_words(stack, model=model)
    out = list(words)
    for stack_top, stack_bottom, page_top in placed_at:
        line = [w for w in found if stack_top <= (w.top + w.bottom) / 2 < stack_bottom]
        if not line or confidence_of(line) < _READS_WELL:
            continue
        shift = page_top - pad - stack_top
        at = next((i for i, w in enumerate(out) if w.top > page_top), len(out))
        key = (out[at - 1].block, out[at - 1].paragraph, -page_top) if at else (1, 1, -page_top)
        out[at:at] = [replace(w, top=w.top + shift, block=key[0], paragraph=key[1], line=key[2]) for w in line]
    return out


def _upright(page: PreparedPage) -> int:
    """Degrees clockwise that stand the page upright, by Tesseract's orientation detection (0 if unsure)."""
    small = page.text.reduce(2) if page.dpi >= 200 else page.text
    found = tesseract.orientation(small, dpi=page.dpi // 2 if page.dpi >= 200 else page.dpi)
    if found is None or found.confidence < 2:
        return 0
    return found.rotate % 360


def choose_language(page: PreparedPage) -> str:
    """The script of the page's text: read a few lines with the Chinese models and keep the surer one.

    Latin letters read by ``chi_sim`` mean an English page. Each Chinese model
    reads the other script's print too (converting it), so the decision is the
    confidence, with Simplified preferred unless Traditional is clearly surer.
    """
    sample = _sample(page)
    simplified = tesseract.read_words(sample, model="chi_sim")
    text = "".join(w.text for w in simplified)
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    han = sum("\u3400" <= ch <= "\u9fff" for ch in text)
    if latin > 2 * han:
        return "en"
    traditional = tesseract.read_words(sample, model="chi_tra")
    if confidence_of(traditional) > confidence_of(simplified) + _TRADITIONAL_MARGIN:
        return "zh-Hant"
    return "zh-Hans"


def _sample(page: PreparedPage) -> Image.Image:
    """A strip of whole lines from the middle of the page's text."""
    lines = text_lines(page.text)
    if len(lines) <= _SAMPLE_LINES:
        return page.text
    middle = len(lines) // 2
    chosen = lines[max(0, middle - _SAMPLE_LINES // 2): middle + (_SAMPLE_LINES + 1) // 2]
    pad = max(4, (chosen[0][1] - chosen[0][0]) // 2)
    return page.text.crop((0, max(0, chosen[0][0] - pad), page.text.width, min(page.text.height, chosen[-1][1] + pad)))


def read_letterhead(page: PreparedPage, *, language: str) -> str:
    """The red letterhead at the top of the page (the issuing body's name), or "" if there is none."""
    if page.red is None:
        return ""
    lines = [(top, bottom) for top, bottom in text_lines(page.red) if top < page.red.height * 0.35]
    if not lines:
        return ""
    # The red rule under the letterhead is a thin band that fills the width: everything above it.
    ink = np.asarray(page.red) < 128
    text_bands = [(t, b) for t, b in lines if ink[t:b].any(axis=0).mean() < 0.6 or b - t > page.dpi // 10]
    if not text_bands:
        return ""
    return _read_letterhead_strip(_strip(page.red, text_bands[0]), language=language)


def _strip(image: Image.Image, band: tuple[int, int]) -> Image.Image:
    top, bottom = band
    pad = (bottom - top) // 3
    return image.crop((0, max(0, top - pad), image.width, min(image.height, bottom + pad)))


def _letterhead_apart(page: PreparedPage) -> tuple[PreparedPage, Image.Image | None]:
    """The page without its black letterhead, and the letterhead's strip (None if it has none)."""
    band = letterhead_band(page.text, dpi=page.dpi)
    if band is None:
        return page, None
    strip = _strip(page.text, band)
    text = page.text.copy()
    text.paste(255, (0, band[0], text.width, band[1]))
    return replace(page, text=text), strip


def _read_letterhead_strip(strip: Image.Image, *, language: str) -> str:
    # Letterhead type is two or three times the text's: brought to about the text's size, the
    # models read it surely (measured: 浙 in bold 34-point type was misread at full size).
    line_height = strip.height * 3 // 5
    factor = max(1, round(line_height / _TEXT_LINE_PX))
    if factor > 1:
        strip = strip.reduce(factor)
    words = second_opinion(strip, tesseract.read_words(strip, model=tesseract.MODELS[language], psm=7), language=language, psm=7)
    if not words or confidence_of(words) < _READS_WELL:
        return ""
    found = lines_of(words, cjk=language != "en")
    return found[0].text.strip() if found else ""


def _view(image: Image.Image) -> tuple[bytes, tuple[int, int]]:
    view = image.copy()
    view.thumbnail((VIEW_LONG_SIDE, VIEW_LONG_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    view.convert("RGB" if view.mode == "RGB" else "L").save(out, "JPEG", quality=_VIEW_QUALITY, optimize=True)
    return out.getvalue(), view.size
