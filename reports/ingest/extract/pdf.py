"""The text layer of a PDF, reflowed into paragraphs; pages without one are read by OCR.

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
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from reports.ingest.errors import IngestError
from reports.ingest.extract.extraction import Extraction
from reports.ingest.extract.images import MAX_PAGE_PIXELS, check_pixels
from reports.ingest.extract.ocr import Progress, ocr_pages
from reports.ingest.extract.lines import BLOCK_START, CJK_START, CLOSING, PAGE_NUMBER, join_line, text_width

# Fewer word characters than this beside images means scanned pages, not a text layer.
_MIN_TEXT_CHARS = 20


def pdf_to_text(data: bytes, *, filename: str) -> str:
    """The text of a PDF (its text layer, and OCR of the pages that have none)."""
    return read_pdf(data, filename=filename).text


def read_pdf(data: bytes, *, filename: str, max_pages: int | None = None, max_pixels: int = MAX_PAGE_PIXELS,
             progress: Progress | None = None) -> Extraction:
    """The PDF's text: its text layer, and OCR of the pages that have none (scans, or scanned pages among typeset ones)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted and not reader.decrypt("")
        if not locked and max_pages is not None and len(reader.pages) > max_pages:
            raise IngestError("too_many_pages", name=filename, count=len(reader.pages), limit=max_pages)
        pages = [] if locked else [_page_text(page) for page in reader.pages]
        scanned = [] if locked else [i for i, page in enumerate(pages) if _is_scanned(page, reader.pages[i])]
    except IngestError:
        raise   # an IngestError is a ValueError too: the page count's refusal, not a damaged file
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError("unreadable_pdf", name=filename, error=str(exc)) from exc
    if locked:
        raise IngestError("pdf_password", name=filename)
    capacities = [page.capacity for i, page in enumerate(pages) if page.capacity and i not in scanned]
    capacity = sorted(capacities)[len(capacities) // 2] if capacities else None
    if not scanned:
        if progress:
            progress(len(pages), len(pages))
        return Extraction(_typeset_text(pages, capacity), page_count=len(pages))

    typeset = len(pages) - len(scanned)
    if progress:
        progress(typeset, len(pages))
    result = ocr_pages(
        render_pages(data, scanned, filename=filename, max_pixels=max_pixels),
        numbers=[i + 1 for i in scanned],
        total=len(scanned),
        progress=(lambda done, total: progress(typeset + done, len(pages))) if progress else None,
    )
    # Runs of typeset pages are reflowed together; scanned pages keep OCR's paragraphs, in page order.
    by_number = dict(zip((page.number for page in result.pages), result.page_paragraphs()))
    parts: list[str] = [result.letterhead] if result.letterhead and 0 in scanned else []
    run: list[_Page] = []
    for index, page in enumerate(pages):
        if index in scanned:
            if run:
                parts.append(_typeset_text(run, capacity))
                run = []
            parts.extend(by_number.get(index + 1, []))
        else:
            run.append(page)
    if run:
        parts.append(_typeset_text(run, capacity))
    return Extraction("\n\n".join(part for part in parts if part), scanned=result.pages, letterhead=result.letterhead,
                      page_count=len(pages))


def _typeset_text(pages: list["_Page"], capacity: float | None) -> str:
    # Pages are reflowed as one run of lines: whether a paragraph goes on over the
    # page break is decided like any line break (did the next word fit?).
    lines = [line for page in pages for line in _without_page_numbers([line.strip() for line in page.text.splitlines()])]
    return _reflow(lines, capacity)


def _is_scanned(page: "_Page", pdf_page) -> bool:
    """A page whose text layer is (nearly) empty while it shows an image: a scan to read by OCR.

    A scan may carry a few characters of text (a stamp, a scanner's label); a
    short text with no image is a short text.
    """
    if sum(1 for ch in page.text if ch.isalnum()) >= _MIN_TEXT_CHARS:
        return False
    try:
        return len(pdf_page.images) > 0
    except Exception:  # a damaged image dictionary: count it as an image, the page has one
        return True


def render_pages(data: bytes, indexes: list[int], *, filename: str, max_pixels: int = MAX_PAGE_PIXELS):
    """Images of the given pages (0-based), one at a time, at the resolution of the scan inside them.

    A page that would be more than ``max_pixels`` is refused before it is drawn.
    """
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise IngestError("unreadable_pdf", name=filename, error=str(error)) from error
    try:
        for index in indexes:
            page = document[index]
            image = _the_scan(page, max_pixels=max_pixels) or _rendered(page, number=index + 1, filename=filename, max_pixels=max_pixels)
            page.close()
            yield image
    finally:
        document.close()


def _the_scan(page, *, max_pixels: int):
    """The page's one image as the scanner made it, when the page is that image and nothing else.

    Its own pixels read better than a rendering resampled to another grid. An
    image over the pixel limit is not decoded: the page is rendered instead, at
    most at 300 dpi, where the limit applies too.
    """
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != pdfium_raw.FPDF_PAGEOBJ_IMAGE:
        return None
    scan = objects[0]
    left, bottom, right, top = scan.get_bounds()
    page_width, page_height = page.get_size()
    matrix = scan.get_matrix()
    upright = abs(matrix.b) < 1e-6 and abs(matrix.c) < 1e-6 and matrix.a > 0 and matrix.d > 0
    if not upright or (right - left) * (top - bottom) < 0.9 * page_width * page_height:
        return None
    width_px, height_px = scan.get_px_size()
    if width_px * height_px > max_pixels:
        return None
    try:
        image = scan.get_bitmap(render=False).to_pil()
    except pdfium.PdfiumError:
        return None
    dpi = image.width / ((right - left) / 72)
    image.info["dpi"] = (dpi, dpi)
    return image


def _rendered(page, *, number: int, filename: str, max_pixels: int):
    dpi = _scan_resolution(page)
    width, height = page.get_size()
    check_pixels(round(width / 72 * dpi), round(height / 72 * dpi), page=number, filename=filename, max_pixels=max_pixels)
    image = page.render(scale=dpi / 72, may_draw_forms=False).to_pil()
    image.info["dpi"] = (dpi, dpi)
    return image


def _scan_resolution(page) -> int:
    """The resolution of the widest image on the page (what the scanner used), kept between 150 and 300 dpi."""
    best = 0.0
    for item in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, _bottom, right, _top = item.get_bounds()
        width_px, _height_px = item.get_px_size()
        if right - left > 72:  # an inch or wider: not a logo
            best = max(best, width_px / ((right - left) / 72))
    # Rendering finer than the scan adds nothing; coarser than 150 dpi loses strokes.
    return round(min(300, max(150, best or 200)))


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
    cjk = sum(1 for line in filled if CJK_START.match(line)) * 2 >= len(filled)
    widths = sorted(text_width(line, cjk) for line in filled)
    # The widest line is a full one (one hanging punctuation mark over is within
    # the tolerance of _ends_paragraph).
    full = widths[-1]
    # Even the longest lines stop short of the margin: short lines, none wrapped.
    # Chinese fills its grid to the margin; proportional Latin type is measured
    # only roughly (a letter counts half an em), so it gets more slack.
    if capacity and full < (0.85 if cjk else 0.6) * capacity:
        full = None
    elif capacity and cjk:
        # Chinese type fills each line to the margin, so the measure between the
        # margins is the full width, not the widest line: on a page of one-line
        # paragraphs no line is full, and the widest of them ends its paragraph
        # as surely as the others (margins wider on the right than on the left
        # are within _ends_paragraph's tolerance).
        full = max(full, capacity)

    paragraphs: list[str] = []
    current = ""
    for line, after in zip(lines, lines[1:] + [""]):
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if not current and paragraphs and line[0] in CLOSING:
            current = paragraphs.pop()
        elif current and BLOCK_START.match(line):
            paragraphs.append(current)
            current = ""
        current = join_line(current, line, cjk)
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
    first = after[0] if CJK_START.match(after) else after.split()[0]
    room = full - text_width(line, cjk) - (0 if cjk else 1)
    # The estimate errs by a unit here and there (narrow Latin commas, a hanging
    # mark on the widest line): when in doubt, join; a blank line between two
    # halves of a sentence would cut it, joining two paragraphs loses nothing.
    fits = text_width(first, cjk) <= room - max(2, 0.08 * full)
    if cjk:
        return fits
    return (fits and line.endswith((".", ":", "!", "?", '"', "”"))) or text_width(line, cjk) < 0.6 * full


def _without_page_numbers(lines: list[str]) -> list[str]:
    """The page's lines without a page number at the top or bottom (never in the middle), nor blank edges.

    The edges go too: the gap above a page number is not a paragraph break.
    """
    filled = [i for i, line in enumerate(lines) if line]
    for i in filled[:1] + filled[-1:]:
        if PAGE_NUMBER.match(lines[i]):
            lines[i] = ""
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines
