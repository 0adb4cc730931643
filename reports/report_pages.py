"""A long report read a page at a time: its sections laid out on pages of about the same length.

Two million characters on one page are tens of megabytes of HTML, seconds of
rendering and a browser that stalls. So a report's sections are laid out in
order on pages of about ``page_characters`` each; a section longer than a page
is cut, at paragraph breaks, into parts of a page each. The layout needs only
each section's length (the database counts it), so a page reads the text of its
own sections and nothing more, and the contents list can link every heading to
the page that holds it.

Plain functions of an outline; the database reads are in ``reports.selectors``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class OutlineEntry:
    """A section without its text: where it is, what it is called, how long it is."""

    id: int
    order: int
    level: int
    heading: str
    anchor: str
    length: int   # characters of its heading and text


@dataclass(frozen=True)
class Piece:
    """A section on a page: the whole of it, or part ``part`` (from 0) of the ``parts`` of a long one.

    A part runs from ``start`` to ``end`` of the section's text (None: to its
    end), counted in characters; the text is cut at a line break within
    ``slack`` characters of each count, so paragraphs stay whole.
    """

    entry: OutlineEntry
    part: int = 0
    parts: int = 1
    start: int = 0
    end: int | None = None
    slack: int = 0

    @property
    def starts_section(self) -> bool:
        return self.part == 0


@dataclass(frozen=True)
class ReportPages:
    pages: tuple[tuple[Piece, ...], ...]

    def __len__(self) -> int:
        return len(self.pages)

    def page(self, number: int) -> tuple[Piece, ...]:
        """The pieces of page ``number`` (from 1)."""
        return self.pages[number - 1]

    @cached_property
    def _first_page(self) -> dict[str, int]:
        return {piece.entry.anchor: number for number, page in enumerate(self.pages, start=1)
                for piece in page if piece.starts_section}

    def page_of(self, anchor: str) -> int:
        """The page where the section with this anchor begins (1 for an anchor the report does not have)."""
        return self._first_page.get(anchor, 1)

    def outline(self) -> list[tuple[OutlineEntry, int]]:
        """Every section with the page it begins on, in reading order."""
        return [(piece.entry, number) for number, page in enumerate(self.pages, start=1)
                for piece in page if piece.starts_section]


def lay_out(outline: list[OutlineEntry], *, page_characters: int) -> ReportPages:
    """Sections in order onto pages of about ``page_characters``; a longer section is cut into parts.

    A page takes the next section while it fits (a page is never left empty, so
    a section a little longer than the room left begins the next page). A
    section longer than a page begins in the room left, if that is at least a
    quarter of a page, and goes on over whole pages; the sections after it
    follow its last part.
    """
    pages: list[list[Piece]] = [[]]
    used = 0

    def new_page() -> None:
        nonlocal used
        if pages[-1]:
            pages.append([])
            used = 0

    for entry in outline:
        if entry.length <= page_characters:
            if used + entry.length > page_characters:
                new_page()
            pages[-1].append(Piece(entry))
            used += entry.length
            continue
        if page_characters - used - len(entry.heading) < page_characters // 4:
            new_page()
        text_length = entry.length - len(entry.heading)
        cuts = list(range(page_characters - used - len(entry.heading), text_length, page_characters))
        bounds = [0, *cuts, text_length]
        for part in range(len(bounds) - 1):
            if part:
                new_page()
            end = bounds[part + 1] if part + 1 < len(bounds) - 1 else None
            pages[-1].append(Piece(entry, part, len(bounds) - 1, bounds[part], end, page_characters // 8))
        used = text_length - bounds[-2]
    return ReportPages(tuple(tuple(page) for page in pages))


def part_of_text(text: str, piece: Piece) -> str:
    """The text of ``piece`` out of its section's text: from a line break near its start to one near its end.

    The same count always gives the same cut, so each page ends where the next begins.
    """
    if piece.parts <= 1:
        return text

    def cut(position: int) -> int:
        if position <= 0:
            return 0
        if position >= len(text):
            return len(text)
        before = text.rfind("\n", max(0, position - piece.slack), position)
        after = text.find("\n", position, position + piece.slack)
        breaks = [found for found in (before, after) if found != -1]
        # A paragraph longer than the slack is cut where the count falls.
        return min(breaks, key=lambda found: abs(found - position)) if breaks else position

    end = len(text) if piece.end is None else cut(piece.end)
    return text[cut(piece.start):end].strip("\n")


def page_number(value: str | None, count: int) -> int | None:
    """The page asked for by a ``page`` parameter (absent: 1), or None when the report has no such page."""
    value = "1" if value is None else value
    # (A digit string thousands long is no page either, and int() refuses it.)
    if not (value.isascii() and value.isdigit()) or len(value) > 9 or not 1 <= int(value) <= max(count, 1):
        return None
    return int(value)


def page_url(report_url: str, page: int, anchor: str = "") -> str:
    """The address of a page of a report (page 1 is the report's own address), with an anchor on it."""
    url = report_url if page <= 1 else f"{report_url}?page={page}"
    return f"{url}#{anchor}" if anchor else url


@dataclass(frozen=True)
class PageText:
    """What a page shows of one piece: the section's row and the text of this piece."""

    piece: Piece
    section: object   # the Section, with its heading and anchor
    text: str


def page_texts(pieces, sections_by_id: dict) -> list[PageText]:
    """Each piece of a page with its text (a part of a long section's text, or all of it)."""
    shown = []
    for piece in pieces:
        section = sections_by_id.get(piece.entry.id)
        if section is not None:   # deleted since the layout was read
            shown.append(PageText(piece, section, part_of_text(section.text, piece)))
    return shown


@dataclass(frozen=True)
class ReportPage:
    """One page of a report, as its page and its JSON twin show it."""

    number: int
    count: int
    shown: list[PageText]
    outline: list[tuple[OutlineEntry, int]]   # every section, with the page it begins on
    scanned_pages: list = field(default_factory=list)   # the scans shown beside this page (OCR)
    scanned_count: int = 0                                # scans of the whole report


def scans_beside(page: int, *, pages: int, scans: int) -> range:
    """Which scanned pages (by position, from 0, in page order) go beside page ``page`` of ``pages``.

    Each page of the text gets an even share of the scans, in order: the text
    is laid out evenly by length and OCR reads about as much from each scan,
    so the scans beside a page are about the ones its text was read from.
    """
    return range((page - 1) * scans // pages, page * scans // pages)


def page_beside(position: int, *, pages: int, scans: int) -> int:
    """The page of the text beside which the scan at ``position`` is shown (see :func:`scans_beside`)."""
    page = position * pages // scans + 1
    while position >= page * scans // pages:
        page += 1
    return page
