"""From a query and filters to a page of hits, facets and suggestions.

A hit is a section whose heading or text matched, or (section ``None``) a report
that matched by its title alone. Hits of one report come together, reports in
order of relevance (their best section) or date, sections in reading order.
Facet counts are reports; each facet is counted with the other facets' filters
applied, so its other values stay visible and can be switched to.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

import numpy as np
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _
from haystack import connections

from reports.models import Association, Language, Report, Section
from reports.report_pages import page_url
from reports.selectors import report_pages
from reports.search.grouped import GroupedSequence
from reports.search.highlight import highlight, mark_all
from reports.search.hits import Column, SectionMatches
from reports.search.query import ParsedQuery, parse_query
from reports.text import load_converters, to_simplified, to_traditional

log = logging.getLogger(__name__)

FIELDS = {"text": 1.0, "title": 2.0}
FACETS = ("association", "region", "year", "language")
SORTS = ("relevance", "date")
PER_PAGE = 20
# The years a year range may name (``from``/``to``); anything else is not a year.
FIRST_YEAR, LAST_YEAR = 1, 9999


def year_or_none(value) -> int | None:
    """A year typed into ``from``/``to``, or None when it is empty or not a year."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    year_from: int | None = None   # a range of years covered, either end open
    year_to: int | None = None

    @classmethod
    def from_querydict(cls, data) -> "SearchParams":
        filters = {name: data.get(name, "").strip() for name in FACETS}
        sort = data.get("sort", "relevance")
        try:
            page = max(1, int(data.get("page", 1)))
        except (TypeError, ValueError):
            page = 1
        return cls(
            q=data.get("q", ""),
            filters={name: value for name, value in filters.items() if value},
            sort=sort if sort in SORTS else "relevance",
            page=page,
            year_from=year_or_none(data.get("from")),
            year_to=year_or_none(data.get("to")),
        )

    def query_string(self, **changes) -> str:
        """This search as URL parameters, with ``changes`` (None removes a parameter)."""
        values = {"q": self.q, **self.filters, "from": self.year_from, "to": self.year_to}
        if self.sort != "relevance":
            values["sort"] = self.sort
        if self.page > 1:
            values["page"] = self.page
        values.update(changes)
        return urlencode({key: value for key, value in values.items() if value not in (None, "")})

    @property
    def has_filters(self) -> bool:
        return bool(self.filters) or self.year_from is not None or self.year_to is not None


@dataclass
class Hit:
    report: Report
    section: Section | None
    highlights: list[str]
    heading: str = ""              # escaped, with marks
    url: str = ""                  # the report's page that holds the section, at its anchor


@dataclass(frozen=True)
class FacetValue:
    name: str
    value: str
    label: str
    count: int
    selected: bool
    params: SearchParams

    @property
    def query(self) -> str:
        """URL parameters that select this value (or clear it when selected).

        Made when a page shows it: the API never does, and a common word has
        hundreds of association values."""
        return self.params.query_string(page=None, **{self.name: None if self.selected else self.value})


@dataclass
class SearchOutcome:
    params: SearchParams
    parsed: ParsedQuery
    hits: list[Hit]
    page: Page | None
    count: int = 0                 # hits over all pages
    report_count: int = 0
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    index_unavailable: bool = False
    other_script: str = ""         # the query in the other script, offered when nothing matched

    @property
    def unfiltered_query(self) -> str:
        """URL parameters for the same query without filters, when filters are set."""
        if not self.params.has_filters:
            return ""
        return self.params.query_string(page=None, **dict.fromkeys(self.params.filters), **{"from": None, "to": None})


def other_script(text: str) -> str:
    """``text`` in the other Chinese script, or "" when converting changes nothing."""
    simplified = to_simplified(text)
    other = simplified if simplified != text else to_traditional(text)
    return other if other != text else ""


@dataclass(frozen=True)
class _Groups:
    """The reports a query finds, one entry per report, with the sections behind them."""

    matches: SectionMatches
    group_of_row: np.ndarray      # each match's report, as an index into the arrays below
    report: np.ndarray            # report id
    score: np.ndarray             # the best score of its sections
    first_row: np.ndarray         # its first match: ties go to the report found first
    sections: np.ndarray          # how many of its sections matched by their own text
    facets: dict[str, Column]
    date: Column

    def __len__(self) -> int:
        return len(self.matches)

    @classmethod
    def of(cls, matches: SectionMatches) -> "_Groups":
        report, first_row, group_of_row = np.unique(matches.report, return_index=True, return_inverse=True)
        score = np.full(len(report), -np.inf)
        np.maximum.at(score, group_of_row, matches.score)
        sections = np.bincount(group_of_row, weights=matches.flagged, minlength=len(report)).astype(np.int64)
        return cls(matches, group_of_row, report, score, first_row, sections,
                   {name: column.take(first_row) for name, column in matches.facets.items()},
                   matches.date.take(first_row))


class _Selection:
    """A query's reports seen through a search's filters.

    The region of a report is its association's, read from the database on each
    search (a region is edited without reindexing anything); the other filters are
    the index's own columns.
    """

    def __init__(self, groups: _Groups, params: SearchParams):
        self.groups = groups
        self.params = params

    @cached_property
    def associations(self) -> dict[str, tuple[str, str]]:
        """The name and region of each association found, by slug."""
        return {
            slug: (name, region) for slug, name, region in
            Association.objects.filter(slug__in=self.groups.facets["association"].labels)
            .values_list("slug", "name", "region")
        }

    @cached_property
    def facets(self) -> dict[str, Column]:
        association = self.groups.facets["association"]
        region_of = Column.of([self.associations.get(slug, ("", ""))[1] for slug in association.labels])
        return {**self.groups.facets, "region": Column(region_of.codes[association.codes], region_of.labels)}

    @cached_property
    def years(self) -> np.ndarray:
        """Each report's year as a number (0: unknown)."""
        year = self.groups.facets["year"]
        numbers = np.array([int(label) if label.isdigit() else 0 for label in year.labels], dtype=np.int64)
        return numbers[year.codes] if len(numbers) else np.zeros(len(year.codes), dtype=np.int64)

    def passing(self, *, skip: str = "") -> np.ndarray:
        """True for each report whose facet values are the filters' (but ``skip``'s), in the year range."""
        mask = np.ones(len(self.groups.report), dtype=bool)
        for name, value in self.params.filters.items():
            if name != skip:
                # The index's own columns unless a region is asked for (a database read).
                column = self.facets[name] if name == "region" else self.groups.facets[name]
                mask &= column.codes == column.code(value)
        if self.params.year_from is not None:
            mask &= self.years >= self.params.year_from
        if self.params.year_to is not None:
            mask &= (self.years <= self.params.year_to) & (self.years > 0)
        return mask

    def ranked(self, sort: str) -> np.ndarray:
        """The reports that pass the filters, best first: by relevance (ties newest
        first) or by date (ties most relevant first)."""
        groups = self.groups
        chosen = np.flatnonzero(self.passing())
        score, date = groups.score[chosen], groups.date.codes[chosen]
        primary, secondary = (date, score) if sort == "date" else (score, date)
        return chosen[np.lexsort((groups.first_row[chosen], -secondary, -primary))]


class _Entries(GroupedSequence):
    """The results of ranked reports, computed only for the page asked for: each
    report's matching sections in reading order, or the report itself when only
    its title matched."""

    def __init__(self, groups: _Groups, ranked: np.ndarray):
        super().__init__(np.maximum(groups.sections[ranked], 1))
        self.groups_of_reports = groups
        self.ranked = ranked

    def items(self, start: int, stop: int) -> list[tuple[int, int | None]]:
        first, last = np.searchsorted(self.ends, [start, stop - 1], side="right")
        shown = self.ranked[first:last + 1]
        groups = self.groups_of_reports
        matches = groups.matches
        # Array work only, and Python objects for the slice alone: a report with tens of
        # thousands of matching sections spans many slices of an export, and each of
        # them sorts its sections again.
        place = np.full(len(groups.report), -1, dtype=np.int64)
        place[shown] = np.arange(len(shown))
        rows = np.flatnonzero((place[groups.group_of_row] >= 0) & matches.flagged)
        rows = rows[np.lexsort((matches.section[rows], matches.order[rows], place[groups.group_of_row[rows]]))]
        # One entry per matching section in reading order, or one for a report that
        # matched by its title alone (section -1 here, None in the result).
        counts = np.maximum(groups.sections[shown], 1)
        reports = np.repeat(groups.report[shown], counts)
        sections = np.full(len(reports), -1, dtype=np.int64)
        sections[np.repeat(groups.sections[shown] > 0, counts)] = matches.section[rows]
        offset = int(self.ends[first] - counts[0])
        window = slice(start - offset, stop - offset)
        return [(report, section if section >= 0 else None)
                for report, section in zip(reports[window].tolist(), sections[window].tolist())]


def remembered(key, compute):
    """``compute()``, kept with the engine's answers for the index it has open (and
    dropped when the index changes), when the engine keeps answers; ``len()`` of the
    value counts towards what it keeps."""
    remember = getattr(connections["default"].get_backend(), "remembered", None)
    return compute() if remember is None else remember(key, compute)


def _groups(parsed: ParsedQuery) -> _Groups:
    """The reports a query finds. Kept with the backend's answers for the index it
    has open: the next page, a facet click or another sort starts from here."""
    backend = connections["default"].get_backend()
    return remembered(("groups", parsed.identity),
                      lambda: _Groups.of(backend.query_matches(parsed, fields=FIELDS)))


def _facets(selection: _Selection) -> dict[str, list[FacetValue]]:
    params = selection.params
    counts: dict[str, dict[str, int]] = {}
    for name in FACETS:
        column = selection.facets[name]
        tally_of = np.bincount(column.codes[selection.passing(skip=name)], minlength=len(column.labels))
        tally = {column.labels[code]: int(tally_of[code]) for code in np.flatnonzero(tally_of).tolist()
                 if column.labels[code]}
        selected = params.filters.get(name)
        if selected and selected not in tally:
            tally[selected] = 0
        counts[name] = tally

    labels = {
        "association": lambda value: selection.associations.get(value, (value, ""))[0],
        "region": str,
        "year": str,
        "language": lambda value: str(Language(value).label) if value in Language.values else value,
    }
    facets = {}
    for name, tally in counts.items():
        ordered = sorted(tally.items(), key=_year_order if name == "year" else _count_order)
        facets[name] = [
            FacetValue(
                name=name,
                value=value,
                label=labels[name](value),
                count=count,
                selected=params.filters.get(name) == value,
                params=params,
            )
            for value, count in ordered
        ]
    return facets


def _count_order(item: tuple[str, int]):
    return -item[1], item[0]


def _year_order(item: tuple[str, int]):
    # Newest first; a hand-typed filter value that is not a year goes last.
    value = item[0]
    return (0, -int(value)) if value.isdigit() else (1, value)


def _load_hits(entries: list[tuple[int, int | None]], parsed: ParsedQuery, script: str | None) -> list[Hit]:
    """Database rows and highlights for one page of (report id, section id) entries,
    headings and snippets in ``script`` (None: as written)."""
    reports = Report.objects.select_related("association").defer("body").in_bulk({report_id for report_id, _ in entries})
    sections = Section.objects.in_bulk({section_id for _, section_id in entries if section_id})
    # A long report is read a page at a time: each hit links to the page holding its section.
    pages = report_pages({report_id for report_id, section_id in entries if section_id})
    patterns = parsed.patterns()
    hits = []
    for report_id, section_id in entries:
        report = reports.get(report_id)
        section = sections.get(section_id) if section_id else None
        if report is None or (section_id and section is None):
            continue   # deleted since it was indexed; catch_up will drop it
        if section is not None:
            section.report = report   # loaded already: its link needs it
        context = 80 if report.language == Language.ENGLISH else 36
        if section is None:
            # Matched by its title field: the title, or the document number indexed with it.
            shown = (report.title, report.document_number)
            hits.append(Hit(report, None, [mark_all(line, patterns, script=script) for line in shown if line],
                            url=report.get_absolute_url()))
            continue
        snippets = highlight(section.text, patterns, context=context, script=script)
        heading = mark_all(section.heading, patterns, script=script) if section.heading else ""
        if not snippets and heading:
            snippets = [heading]
        url = page_url(report.get_absolute_url(), pages[report_id].page_of(section.anchor), section.anchor)
        hits.append(Hit(report, section, snippets, heading=heading, url=url))
    return hits


class SearchUnavailable(Exception):
    """The index could not be read (deleted or damaged under a running site)."""


def _readable_groups(parsed: ParsedQuery) -> _Groups:
    try:
        return _groups(parsed)
    except Exception as error:
        # The query itself cannot fail here (it parsed); what fails is the index: a
        # folder deleted or damaged under a running site raises whatever Whoosh's
        # file reading trips on.
        log.exception("Search index unavailable")
        raise SearchUnavailable from error


def _no_ids() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Matches:
    """Every result of a search as ids, in the order its pages show them.

    ``entries`` is (report id, section id or None) per result and is computed only
    for the slice asked for, so walking it in slices (an export) never holds more
    than the index's arrays and one slice. The research tools count the reports
    by ``years`` and read the ``sections()`` that hold the words.
    """

    parsed: ParsedQuery
    report_ids: np.ndarray = field(default_factory=_no_ids)   # ranked
    entries: Sequence[tuple[int, int | None]] = ()
    years: np.ndarray = field(default_factory=_no_ids)        # each report's year covered, as the year filter reads it (0: unknown)
    groups: _Groups | None = None
    ranked: np.ndarray = field(default_factory=_no_ids)       # the reports, as places in ``groups``

    @classmethod
    def of(cls, parsed: ParsedQuery, selection: _Selection, sort: str) -> "Matches":
        ranked = selection.ranked(sort)
        groups = selection.groups
        return cls(parsed, groups.report[ranked], _Entries(groups, ranked), selection.years[ranked], groups, ranked)

    def sections(self) -> SectionMatches:
        """The sections whose own text holds the words, report by report in rank order,
        each report's in reading order (with how often the words occur in each)."""
        if self.groups is None:
            return SectionMatches.from_rows([])
        groups = self.groups
        rank = np.full(len(groups.report), -1, dtype=np.int64)
        rank[self.ranked] = np.arange(len(self.ranked))
        row_rank = rank[groups.group_of_row]
        rows = np.flatnonzero(groups.matches.flagged & (row_rank >= 0))
        return groups.matches.take(rows[np.lexsort((groups.matches.order[rows], row_rank[rows]))])


def all_matches(params: SearchParams, *, sort: str | None = None) -> Matches:
    """Every report and section a search finds, over all its pages (exports walk it,
    the research tools count it), ranked by ``sort`` (else the params' own).

    A query with nothing to search for matches nothing; raises ``SearchUnavailable``
    when the index cannot be read.
    """
    parsed = parse_query(params.q)
    if not parsed.searchable:
        return Matches(parsed)
    return Matches.of(parsed, _Selection(_readable_groups(parsed), params), sort or params.sort)


def search(params: SearchParams, *, script: str | None = None) -> SearchOutcome:
    """Run a search. Never raises for anything a person can type.

    ``script`` ('hans', 'hant') is the reader's: the page's headings and snippets
    are shown in it, marks on the characters that matched; None shows them as written.
    """
    parsed = parse_query(params.q)
    outcome = SearchOutcome(params=params, parsed=parsed, hits=[], page=None, notices=list(parsed.notices))
    if not parsed.searchable:
        return outcome
    try:
        groups = _readable_groups(parsed)
    except SearchUnavailable:
        # Say so instead of answering with an error page.
        outcome.index_unavailable = True
        outcome.notices.append(_("Search is unavailable right now. Please try again later."))
        return outcome

    selection = _Selection(groups, params)
    outcome.facets = _facets(selection)
    matches = Matches.of(parsed, selection, params.sort)
    entries = matches.entries
    outcome.report_count = len(matches.report_ids)
    outcome.count = len(entries)
    if not len(entries):
        outcome.other_script = other_script(parsed.text)
        return outcome
    outcome.page = Paginator(entries, PER_PAGE).get_page(params.page)
    outcome.hits = _load_hits(list(outcome.page.object_list), parsed, script)
    return outcome


def warm_up() -> None:
    """Ready a server process for searching: the script converters built, the index
    open and its columns read, so its first search does not pay for them. A missing
    or unreadable index is left for the searches to report."""
    load_converters()
    backend = connections["default"].get_backend()
    prepare = getattr(backend, "prepare_for_search", None)
    try:
        if prepare is not None:
            prepare()
    except Exception:
        log.warning("The search index could not be opened ahead of the first search", exc_info=True)


def matching_report_ids(params: SearchParams) -> set[int]:
    """Every report a search finds, over all its pages (the benchmark's recall is measured on it)."""
    return set(all_matches(params).report_ids.tolist())
