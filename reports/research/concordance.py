"""Keyword in context: every occurrence of a query's words, with the text either side.

An occurrence is a place where one of the query's words (those not under NOT)
stands in a section the search finds, counted as the index counts it: the
search's matches carry how often the words occur in each section, read from the
positions in the index, so ``count`` costs nothing beyond the search, and a page
reads and scans only the sections its lines come from.

In report order (the default: newest report first, each in reading order) any
page is that cheap. Sorting by the text left or right of the match needs every
line's context, so it covers the first ``sort_limit`` occurrences in report order
and says so when there are more; the sorted lines are kept with the search's
answers for the next page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

import numpy as np
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _

from reports.models import Report, Section
from reports.research.filters import ResearchError, searchable
from reports.search import (
    GroupedSequence,
    ParsedQuery,
    SearchParams,
    all_matches,
    parse_query,
    remembered,
    spans_by_pattern,
)
from reports.text import convert_script, script_key

SORTS = ("report", "left", "right")
PER_PAGE = 50
CONTEXT = 30              # characters each side of the match
_SPACE = re.compile(r"\s+")
_WORD_CHAR = re.compile(r"[A-Za-z0-9]")
FRAGMENT_CONTEXT = 8      # characters of context in a link's text fragment


@dataclass(frozen=True)
class Line:
    report_id: int
    section_id: int
    left: str             # as written, white space folded, at most CONTEXT characters
    match: str
    right: str


@dataclass
class ShownLine:
    """A line with its report and section loaded, for a page or an export."""

    line: Line
    report: Report
    section: Section

    @property
    def url(self) -> str:
        return self.section.get_absolute_url()

    def place_url(self, script: str | None = None) -> str:
        """The section's address with a text fragment, so a browser that knows them
        scrolls to this very occurrence (and to the section when it cannot)."""
        before = self.line.left[-FRAGMENT_CONTEXT:].strip()
        after = self.line.right[:FRAGMENT_CONTEXT].strip()
        directive = _fragment_text(convert_script(self.line.match, script))
        if before:
            directive = f"{_fragment_text(convert_script(before, script))}-,{directive}"
        if after:
            directive = f"{directive},-{_fragment_text(convert_script(after, script))}"
        return f"{self.url}:~:text={directive}"


@dataclass
class Concordance:
    parsed: ParsedQuery
    sort: str
    count: int = 0                       # occurrences over every report found
    report_count: int = 0
    page: Page | None = None
    lines: list[ShownLine] = field(default_factory=list)
    sorted_among: int | None = None      # sorting by context covered only this many first occurrences
    notices: list[str] = field(default_factory=list)


def concordance(*, params: SearchParams, sort: str, page: int, per_page: int, sort_limit: int) -> Concordance:
    """A page of the occurrences of ``params.q`` (with its filters), in ``sort`` order.

    Raises :class:`ResearchError` for a query with nothing to look for.
    """
    parsed = _searchable(params.q)
    result = Concordance(parsed, sort if sort in SORTS else SORTS[0], notices=list(parsed.notices))
    occurrences = _Occurrences(params, parsed)
    result.count, result.report_count = len(occurrences), occurrences.report_count
    lines: Sequence[Line] = occurrences
    if result.sort != "report" and result.count:
        lines = _sorted_lines(occurrences, params, result.sort, sort_limit)
        if len(lines) < result.count:
            result.sorted_among = len(lines)
            result.notices.append(
                _("Sorted among the first %(sorted)d of %(count)d occurrences (newest reports first); "
                  "narrow the query or the filters to sort them all.") % {"sorted": len(lines), "count": result.count})
    if result.count:
        result.page = Paginator(lines, per_page).get_page(page)
        result.lines = shown(list(result.page.object_list))
    return result


def concordance_lines(*, params: SearchParams, sort: str, limit: int, sort_limit: int) -> list[ShownLine]:
    """The first ``limit`` lines in ``sort`` order (an export), loaded."""
    parsed = _searchable(params.q)
    occurrences = _Occurrences(params, parsed)
    if sort in SORTS[1:]:
        return shown(_sorted_lines(occurrences, params, sort, sort_limit)[:limit])
    return shown(occurrences[:limit])


def _searchable(query: str) -> ParsedQuery:
    if not query.strip():
        raise ResearchError(_("Type a word or phrase to see it in context."))
    return searchable(query)


class _Occurrences(GroupedSequence):
    """Every occurrence in report order, read from the database only for the slice asked
    for: a group is a section's occurrences, as many as the index counted."""

    def __init__(self, params: SearchParams, parsed: ParsedQuery):
        found = all_matches(params, sort="date")
        self.report_count = len(found.report_ids)
        self.patterns = parsed.patterns()
        sections = found.sections()
        self.sections = sections.section
        counts = sections.occurrences
        if counts is None:   # an engine that does not count them (Elasticsearch): count in the text
            counts = _counted_in_text(self.sections, self.patterns)
        super().__init__(counts)

    def groups(self, first: int, stop: int) -> list[list[Line]]:
        ids = self.sections[first:stop].tolist()
        loaded = Section.objects.only("report_id", "heading", "text").in_bulk(ids)
        # A section deleted since it was indexed has nothing to show.
        return [lines_of(loaded[section_id], self.patterns) if section_id in loaded else [] for section_id in ids]


def lines_of(section: Section, patterns) -> list[Line]:
    """Every occurrence in one section, in reading order, with its context."""
    text = section.indexed_text
    spans = sorted((start, -end) for found in spans_by_pattern(text, patterns) for start, end in found)
    return [Line(section.report_id, section.pk, *_context(text, start, -negative_end)) for start, negative_end in spans]


def _context(text: str, start: int, end: int) -> tuple[str, str, str]:
    left_start, right_end = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    # Do not show half an English word at either edge.
    while left_start < start and left_start > 0 and _WORD_CHAR.match(text[left_start - 1]) \
            and _WORD_CHAR.match(text[left_start]):
        left_start += 1
    while right_end > end and right_end < len(text) and _WORD_CHAR.match(text[right_end - 1]) \
            and _WORD_CHAR.match(text[right_end]):
        right_end -= 1
    return _folded(text[left_start:start]), _folded(text[start:end]), _folded(text[end:right_end])


def _folded(text: str) -> str:
    return _SPACE.sub(" ", text)


def _counted_in_text(section_ids: np.ndarray, patterns) -> np.ndarray:
    counts = dict.fromkeys(section_ids.tolist(), 0)
    for section in Section.objects.filter(pk__in=list(counts)).only("heading", "text").iterator(chunk_size=500):
        counts[section.pk] = sum(map(len, spans_by_pattern(section.indexed_text, patterns)))
    return np.array([counts[section_id] for section_id in section_ids.tolist()], dtype=np.int64)


def _sorted_lines(occurrences: _Occurrences, params: SearchParams, sort: str, limit: int) -> list[Line]:
    """The first ``limit`` occurrences sorted by the text left (read backwards from the
    match) or right of the match, in either script alike; kept for the next page."""
    def compute() -> list[Line]:
        lines = occurrences[:limit]
        # The matched words first (an OR query's words stay apart), then the context;
        # the text left of the match is read from the match outwards.
        if sort == "left":
            return sorted(lines, key=lambda line: (script_key(line.match), script_key(line.left)[::-1]))
        return sorted(lines, key=lambda line: (script_key(line.match), script_key(line.right)))

    key = ("concordance", sort, limit, occurrences_identity(params))
    return remembered(key, compute)


def occurrences_identity(params: SearchParams):
    return (parse_query(params.q).identity, tuple(sorted(params.filters.items())), params.year_from, params.year_to)


def shown(lines: list[Line]) -> list[ShownLine]:
    """Lines with their reports and sections loaded (a query each, not a query a line)."""
    reports = Report.objects.select_related("association").in_bulk({line.report_id for line in lines})
    sections = Section.objects.defer("text").in_bulk({line.section_id for line in lines})
    result = []
    for line in lines:
        report, section = reports.get(line.report_id), sections.get(line.section_id)
        if report is None or section is None:
            continue
        section.report = report   # loaded already: its link needs it
        result.append(ShownLine(line, report, section))
    return result


def _fragment_text(text: str) -> str:
    # A text directive's own delimiters (- , &) must be escaped as well.
    return quote(text, safe="").replace("-", "%2D")
