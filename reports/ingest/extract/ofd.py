"""OFD (GB/T 33190-2016), China's fixed-layout format for official e-documents: the text of its pages.

An OFD file is a ZIP package of XML parts. ``OFD.xml`` names each document's
root (``DocBody/DocRoot``); the document (``Document.xml``) lists its pages
(``Pages/Page/@BaseLoc``), each a ``Content.xml`` of layers holding text objects.
A text object (``TextObject``: a box, a font, a size, maybe a transformation
``CTM``) holds one or more ``TextCode`` runs: Unicode text whose first
character stands at ``X``/``Y`` inside the box and each next one ``DeltaX``
(and ``DeltaY``) further on. Whatever font draws them, the text codes are the
text, so embedded or missing fonts do not matter here.

Writers place runs in any order (a page number first, a line split into runs
of different fonts), so the runs are put back into reading order by position:
lines by their baseline, top to bottom, runs by their left edge within a line.
Lines become paragraphs by their geometry, which an OFD gives exactly: a
paragraph ends where a line stops short of the right margin, where the next
line is indented or set apart (a first-line indent, a centred title, a
signature set to the right), starts a numbered heading or changes size, or
where a wider gap opens; otherwise, also over a page break, the lines are one
paragraph, joined as the PDF reader joins them. Page numbers (``— 3 —``) go.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from reports.ingest.errors import IngestError
from reports.ingest.extract.lines import BLOCK_START, CJK_START, PAGE_NUMBER, join_line, text_width
from reports.ingest.extract.zipped import checked_zip
from reports.ingest.limits import ParseLimits

# One XML part parsed costs several times its size in memory: the bound on a part, within
# the package's own limits (checked_zip: what all of it may inflate to).
MAX_PART_BYTES = 16 * 1024 * 1024
# Without an entity resolver, DTD or network: a package's XML cannot reach anything else.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")
# Line breaks and tabs inside a text code are spacing, not the ends of lines: lines come from positions.
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c]+")
_LATIN_EDGE = re.compile(r"[A-Za-z0-9]")
_FIRST_WORD = re.compile(r"[A-Za-z0-9'’.,;:!?%-]+|.")


@dataclass
class _Line:
    text: str
    y: float          # baseline, growing downwards
    left: float
    right: float
    size: float
    page: int


@dataclass
class _Run:
    text: str
    x: float          # left edge of the first character, on the page (mm)
    y: float          # baseline, growing downwards
    end: float        # right edge of the last character
    size: float


def ofd_to_text(data: bytes, *, filename: str, limits: ParseLimits = ParseLimits()) -> str:
    try:
        package = _Package(checked_zip(data, filename=filename, limits=limits), filename=filename)
        pages = _page_locations(package, max_pages=limits.pages)
        lines = [line for number, runs in enumerate(_pages(package, pages))
                 for line in _without_page_number(_lines(runs, number))]
    except IngestError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, etree.XMLSyntaxError, KeyError, ValueError) as exc:
        raise IngestError("unreadable_ofd", name=filename, error=str(exc)) from exc
    if not lines:
        raise IngestError("ofd_no_text", name=filename)
    return "\n\n".join(_paragraphs(lines))


def _page_locations(package: "_Package", *, max_pages: int) -> list[str]:
    """The parts of every page of every document in the package, in page order; all counted before any is read."""
    locations = []
    for doc_root in _children(package.xml("OFD.xml"), "DocBody", "DocRoot"):
        document_path = _resolve("", doc_root.text or "")
        base = posixpath.dirname(document_path)
        locations += [_resolve(base, page.get("BaseLoc", "")) for page in _children(package.xml(document_path), "Pages", "Page")]
    if len(locations) > max_pages:
        raise IngestError("too_many_pages", name=package.filename, count=len(locations), limit=max_pages)
    return locations


def _pages(package: "_Package", locations: list[str]):
    """The text runs of each page, in page order."""
    for location in locations:
        content = package.xml(location)
        yield [run for element in content.iter() if _local(element) == "TextObject" for run in _runs(element)]


def _lines(runs: list[_Run], page: int) -> list[_Line]:
    """The page's visual lines, top to bottom."""
    lines: list[list[_Run]] = []
    for run in sorted((r for r in runs if r.text.strip()), key=lambda r: (r.y, r.x)):
        if lines and abs(run.y - lines[-1][0].y) <= 0.4 * min(run.size, lines[-1][0].size):
            lines[-1].append(run)
        else:
            lines.append([run])
    result = []
    for line in lines:
        line.sort(key=lambda r: r.x)
        text = line[0].text
        for before, run in zip(line, line[1:]):
            gap = run.x - before.end
            latin = _LATIN_EDGE.match(before.text[-1:]) and _LATIN_EDGE.match(run.text[:1])
            # Words set as separate runs, or fields set apart on one line (文号 ... 签发人).
            if gap > run.size or (latin and gap > 0.15 * run.size):
                text += " "
            text += run.text
        result.append(_Line(text.strip(), line[0].y, line[0].x, max(r.end for r in line), max(r.size for r in line), page))
    return result


def _without_page_number(lines: list[_Line]) -> list[_Line]:
    """The page's lines without a page number at its top or bottom."""
    edges = {0, len(lines) - 1}
    return [line for index, line in enumerate(lines) if not (index in edges and PAGE_NUMBER.match(line.text))]


def _paragraphs(lines: list[_Line]) -> list[str]:
    sizes = sorted(line.size for line in lines)
    body = sizes[len(sizes) // 2]
    body_lines = [line for line in lines if abs(line.size - body) <= 0.15 * body]
    # The margins of the body text, the same on every page of a document. Full lines end
    # at the right margin, so it is where most lines end (a hanging comma goes beyond it).
    margin_left = min(line.left for line in body_lines)
    ends = Counter(round(line.right) for line in body_lines)
    margin_right = float(ends.most_common(1)[0][0]) if ends.most_common(1)[0][1] > 1 else max(ends)
    steps = sorted(b.y - a.y for a, b in zip(lines, lines[1:]) if b.page == a.page and b.y > a.y)
    pitch = steps[len(steps) // 4] if steps else 1.5 * body
    cjk = sum(1 for line in lines if CJK_START.match(line.text)) * 2 >= len(lines)
    paragraphs = [lines[0].text]
    for before, line in zip(lines, lines[1:]):
        if _ends_paragraph(before, line, margin_left=margin_left, margin_right=margin_right, pitch=pitch, body=body, cjk=cjk):
            paragraphs.append(line.text)
        else:
            paragraphs[-1] = join_line(paragraphs[-1], line.text, cjk)
    return paragraphs


def _ends_paragraph(before: _Line, line: _Line, *, margin_left: float, margin_right: float, pitch: float,
                    body: float, cjk: bool) -> bool:
    if abs(line.size - before.size) > 0.15 * before.size:
        return True   # a title, a letterhead: set in another size
    if line.page == before.page and line.y - before.y > 1.5 * pitch:
        return True   # a gap opens
    if BLOCK_START.match(line.text):
        return True   # 一、 (一) 1. open a paragraph of their own
    if before.size > 1.1 * body:
        # A title (set larger than the text) that wraps: one paragraph while its lines stay centred.
        return not (_centred(before, margin_left, margin_right) and _centred(line, margin_left, margin_right))
    # The typesetter broke on purpose when the next line's first word would have fitted.
    word = _FIRST_WORD.match(line.text).group()
    width = 0.5 * line.size * text_width(word, cjk)
    # Latin widths are guessed generously (half an em a letter or space): when in doubt, join.
    space = 0.0 if text_width(word[0], cjk) == 2 else 0.5 * line.size
    stops_short = before.right + space + width < margin_right - 0.2 * line.size
    set_apart = line.left > margin_left + 0.8 * line.size
    return stops_short or set_apart


def _centred(line: _Line, margin_left: float, margin_right: float) -> bool:
    return abs((line.left - margin_left) - (margin_right - line.right)) < line.size


def _runs(text_object) -> list[_Run]:
    """The text object's runs placed on the page; a run its numbers cannot place (infinite, or
    beyond what a float holds) is left out rather than the whole file refused."""
    boundary = _numbers(text_object.get("Boundary", "")) or [0.0, 0.0, 0.0, 0.0]
    origin_x, origin_y = boundary[0], boundary[1] if len(boundary) > 1 else 0.0
    ctm = _numbers(text_object.get("CTM", ""))
    a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    scale = math.hypot(a, b) or 1.0
    size = next(iter(_numbers(text_object.get("Size", ""))), 0.0)
    size = size if size > 0 else 3.5   # a size the standard requires, and requires to be positive
    runs = []
    x = y = 0.0
    for code in text_object:
        if _local(code) != "TextCode":
            continue
        text = _BREAKS.sub(" ", "".join(code.itertext()))
        if not text:
            continue
        x = _number(code.get("X"), x)
        y = _number(code.get("Y"), y)
        delta_x = _deltas(code.get("DeltaX", ""), len(text) - 1)
        delta_y = _deltas(code.get("DeltaY", ""), len(text) - 1)
        last_x, last_y = x + sum(delta_x), y + sum(delta_y)
        advance = 0.5 * size * text_width(text[-1], cjk=True)
        start = (a * x + c * y + e + origin_x, b * x + d * y + f + origin_y)
        finish_x = a * (last_x + advance) + c * last_y + e + origin_x
        run = _Run(text=text, x=start[0], y=start[1], end=finish_x, size=size * scale)
        if all(math.isfinite(value) for value in (run.x, run.y, run.end, run.size)):
            runs.append(run)
        # A following TextCode without X/Y continues after this one.
        x, y = last_x + advance, last_y
    return runs


def _deltas(value: str, count: int) -> list[float]:
    """``DeltaX`` as offsets, with the standard's shorthand ``g N d`` for N repeats of d
    (what is not a number is passed over)."""
    tokens = value.split()
    result: list[float] = []
    position = 0
    while position < len(tokens) and len(result) < count:
        if tokens[position] == "g" and position + 2 < len(tokens):
            repeat, step = _number(tokens[position + 1], 0.0), _number(tokens[position + 2], 0.0)
            result.extend([step] * int(max(0.0, min(repeat, count - len(result)))))
            position += 3
        else:
            result.append(_number(tokens[position], 0.0))
            position += 1
    return result


class _Package:
    """The package's parts as parsed XML, a part no bigger than ``MAX_PART_BYTES``."""

    def __init__(self, archive: zipfile.ZipFile, *, filename: str):
        self.archive = archive
        self.filename = filename

    def xml(self, name: str):
        name = name.lstrip("/")
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise IngestError("ofd_part_missing", name=self.filename, part=name) from None
        with self.archive.open(info) as stream:
            # Read at most one byte past the bound, whatever the directory claims the size is.
            data = stream.read(MAX_PART_BYTES + 1)
        if len(data) > MAX_PART_BYTES:
            raise IngestError("ofd_inflates_too_much", name=self.filename, limit=MAX_PART_BYTES // 2**20)
        return etree.fromstring(data, parser=_PARSER)


def _resolve(base: str, location: str) -> str:
    """ST_Loc: absolute from the package root when it starts with "/", else relative to the referring part."""
    location = location.strip().replace("\\", "/")
    path = location if location.startswith("/") else posixpath.join(base, location)
    return posixpath.normpath(path).lstrip("/")


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element, *names):
    """Descendants along a path of local names (any namespace: writers differ)."""
    current = [element]
    for name in names:
        current = [child for parent in current for child in parent if _local(child) == name]
    return current


def _numbers(value: str) -> list[float]:
    return [number for number in map(float, _NUMBER.findall(value or "")) if math.isfinite(number)]


def _number(value: str | None, default: float) -> float:
    """A finite number as written, else ``default``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default
