"""A small OFD (GB/T 33190-2016) writer for the tests: real packages laid out as an official document.

The package is what the standard's schema describes: ``OFD.xml`` (``DocBody``
with ``DocInfo`` and ``DocRoot``), ``Doc_0/Document.xml`` (``CommonData`` with
the page area and the public resources, ``Pages`` with each page's
``BaseLoc``), ``Doc_0/PublicRes.xml`` (the fonts) and one
``Doc_0/Pages/Page_N/Content.xml`` per page (a layer of ``TextObject``s with
their ``TextCode``s and ``DeltaX``, and a ``PathObject`` for the red rule).

The page follows GB/T 9704 (the layout of official documents): an A4 page,
type area 156 mm x 225 mm from 28 mm left and 37 mm top, body text 16 pt
(5.6 mm) with 22 lines a page, each paragraph's first line indented two
characters, the page number ``— N —`` under the type area. Like real writers,
it sets Latin letters and digits in their own font (their own text object),
splits long runs into several ``TextCode``s, and writes a page's objects out of
reading order (the page number first), so a reader has to order them by position.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
LEFT, TOP, TEXT_WIDTH, TEXT_HEIGHT = 28.0, 37.0, 156.0, 225.0
BODY_SIZE = 5.6
LINE_PITCH = TEXT_HEIGHT / 22
FONTS = {"song": ("3", "仿宋_GB2312", "仿宋"), "title": ("4", "方正小标宋简体", "方正小标宋"),
         "hei": ("5", "黑体", "黑体"), "latin": ("6", "Times New Roman", "Times New Roman")}
_LATIN = re.compile(r"[\x20-\x7e]+")
_CLOSING = "，。、；：！？）》」』”’"
# How long a run of CJK characters one TextCode holds before the writer starts another.
_CODE_CHARS = 9


@dataclass
class _Line:
    text: str
    x: float          # left edge on the page, mm
    size: float
    font: str
    red: bool = False
    right: str = ""   # text set flush right on the same baseline (签发人：张三)


def make_ofd(blocks: list[tuple[str, str]], *, title: str = "", author: str = "", created: str = "2022-01-15") -> bytes:
    """An OFD file of ``blocks``: (kind, text), kind one of "letterhead", "number" (text, or
    "number|签发人：张三" with a signer set flush right), "rule", "title", "heading", "body",
    "signature" and "date" (both flush right)."""
    pages = _paginate(_lay_out(blocks))
    ids = iter(range(10, 10**7))
    files = {"OFD.xml": _ofd_xml(title, author, created)}
    page_entries = []
    for number, lines in enumerate(pages):
        page_id = next(ids)
        page_entries.append(f'<ofd:Page ID="{page_id}" BaseLoc="Pages/Page_{number}/Content.xml"/>')
        files[f"Doc_0/Pages/Page_{number}/Content.xml"] = _content_xml(lines, number + 1, ids)
    files["Doc_0/PublicRes.xml"] = _public_res_xml()
    files["Doc_0/Document.xml"] = _document_xml(page_entries, max_id=next(ids))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in files.items():
            package.writestr(name, content)
    return buffer.getvalue()


def _lay_out(blocks: list[tuple[str, str]]) -> list[_Line | None]:
    """The lines of the document in order; None where vertical space opens (the rule, a gap)."""
    lines: list[_Line | None] = []
    for kind, text in blocks:
        if kind == "letterhead":
            lines.append(_centred(text, 15.0, "title", red=True))
        elif kind == "number":
            number, _, signer = text.partition("|")
            line = _centred(number, BODY_SIZE, "song") if not signer else _Line(number, LEFT + BODY_SIZE, BODY_SIZE, "song")
            line.right = signer
            lines.append(line)
        elif kind == "rule":
            lines.append(None)
        elif kind == "title":
            for part in _wrap(text, TEXT_WIDTH - 4 * 7.7, 7.7):
                lines.append(_centred(part, 7.7, "title"))
            lines.append(None)
        elif kind in ("signature", "date"):
            lines.append(_Line(text, LEFT + TEXT_WIDTH - 4 * BODY_SIZE - _width(text, BODY_SIZE), BODY_SIZE, "song"))
        else:
            font = "hei" if kind == "heading" else "song"
            wrapped = _wrap(text, TEXT_WIDTH, BODY_SIZE, indent=2 * BODY_SIZE)
            for index, part in enumerate(wrapped):
                lines.append(_Line(part, LEFT + (2 * BODY_SIZE if index == 0 else 0), BODY_SIZE, font))
    return lines


def _centred(text: str, size: float, font: str, *, red: bool = False) -> _Line:
    return _Line(text, LEFT + (TEXT_WIDTH - _width(text, size)) / 2, size, font, red=red)


def _paginate(lines: list[_Line | None]) -> list[list[tuple[_Line | None, float]]]:
    pages: list[list[tuple[_Line | None, float]]] = [[]]
    y = TOP
    for line in lines:
        step = LINE_PITCH if line is None or line.size <= BODY_SIZE else line.size * 1.6
        if y + step > TOP + TEXT_HEIGHT:
            pages.append([])
            y = TOP
        y += step
        pages[-1].append((line, y))
    return pages


def _width(text: str, size: float) -> float:
    return sum(size / 2 if ch.isascii() else size for ch in text)


def _wrap(text: str, width: float, size: float, *, indent: float = 0.0) -> list[str]:
    """Greedy line filling as a typesetter does: Chinese breaks anywhere, Latin between words,
    and closing punctuation never starts a line."""
    lines, line, room = [], "", width - indent
    for token in re.findall(r"[\x21-\x7e]+ *| +|.", text):
        if line and token not in _CLOSING and _width(line + token.rstrip(), size) > room:
            lines.append(line.rstrip())
            line, room = token.lstrip(), width
        else:
            line += token
    return lines + [line.rstrip()] if line.strip() else lines


def _content_xml(lines: list[tuple[_Line | None, float]], page_number: int, ids) -> str:
    objects = []
    page_label = f"— {page_number} —"
    page_line = _Line(page_label, LEFT + (TEXT_WIDTH - _width(page_label, BODY_SIZE)) / 2, BODY_SIZE, "song")
    # The page number first: writers do not emit objects in reading order.
    objects.extend(_text_objects(page_line, TOP + TEXT_HEIGHT + 12, ids))
    for line, y in lines:
        if line is None:
            objects.append(
                f'<ofd:PathObject ID="{next(ids)}" Boundary="{LEFT} {y - 3:.2f} {TEXT_WIDTH} 1" LineWidth="0.5">'
                '<ofd:StrokeColor Value="255 0 0"/><ofd:AbbreviatedData>M 0 0.5 L 156 0.5</ofd:AbbreviatedData></ofd:PathObject>'
            )
            continue
        objects.extend(_text_objects(line, y, ids))
        if line.right:
            right = _Line(line.right, LEFT + TEXT_WIDTH - BODY_SIZE - _width(line.right, BODY_SIZE), BODY_SIZE, "song")
            objects.extend(_text_objects(right, y, ids))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
            f'<ofd:Layer ID="{next(ids)}" Type="Body">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')


def _text_objects(line: _Line, baseline: float, ids) -> list[str]:
    """The line as text objects: CJK runs in the line's font, Latin runs in Times New Roman."""
    objects = []
    x = line.x
    for match in re.finditer(r"[\x20-\x7e]+|[^\x20-\x7e]+", line.text):
        run = match.group()
        latin = bool(_LATIN.fullmatch(run))
        if latin and not run.strip():
            x += _width(run, line.size)
            continue
        font = FONTS["latin" if latin else line.font][0]
        advance = line.size / 2 if latin else line.size
        codes = []
        pieces = [run] if latin else [run[i:i + _CODE_CHARS] for i in range(0, len(run), _CODE_CHARS)]
        offset = 0.0
        for piece in pieces:
            delta = f' DeltaX="g {len(piece) - 1} {advance:g}"' if len(piece) > 1 else ""
            codes.append(f'<ofd:TextCode X="{offset:.2f}" Y="{line.size * 0.86:.2f}"{delta}>{escape(piece)}</ofd:TextCode>')
            offset += len(piece) * advance
        color = "255 0 0" if line.red else "0 0 0"
        top = baseline - line.size * 0.86
        objects.append(
            f'<ofd:TextObject ID="{next(ids)}" Boundary="{x:.2f} {top:.2f} {offset:.2f} {line.size * 1.2:.2f}" '
            f'Font="{font}" Size="{line.size:g}"><ofd:FillColor Value="{color}"/>{"".join(codes)}</ofd:TextObject>'
        )
        x += offset
    return objects


def _ofd_xml(title: str, author: str, created: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{NS}" Version="1.1" DocType="OFD"><ofd:DocBody>'
        f"<ofd:DocInfo><ofd:DocID>{uuid.uuid4().hex}</ofd:DocID><ofd:Title>{escape(title)}</ofd:Title>"
        f"<ofd:Author>{escape(author)}</ofd:Author><ofd:CreationDate>{created}</ofd:CreationDate>"
        "<ofd:Creator>archive test OFD writer</ofd:Creator></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )


def _document_xml(page_entries: list[str], *, max_id: int) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{max_id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {PAGE_WIDTH:g} {PAGE_HEIGHT:g}"
        "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
        f'<ofd:Pages>{"".join(page_entries)}</ofd:Pages></ofd:Document>'
    )


def _public_res_xml() -> str:
    fonts = "".join(f'<ofd:Font ID="{font_id}" FontName="{name}" FamilyName="{family}"/>' for font_id, name, family in FONTS.values())
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>{fonts}</ofd:Fonts></ofd:Res>'
