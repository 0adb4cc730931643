"""From a query and filters to a page of hits, facets and suggestions.

A hit is a section whose heading or text matched, or (section ``None``) a report
that matched by its title alone. Hits of one report come together, reports in
order of relevance (their best section) or date, sections in reading order.
Facet counts are reports; each facet is counted with the other facets' filters
applied, so its other values stay visible and can be switched to.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _
from haystack import connections
from haystack.constants import DJANGO_ID

from reports.models import Association, Language, Report, Section
from reports.search.highlight import highlight, mark_all
from reports.search.query import ParsedQuery, parse_query
from reports.text import to_simplified, to_traditional

log = logging.getLogger(__name__)

FIELDS = {"text": 1.0, "title": 2.0}
FACETS = ("association", "year", "language")
SORTS = ("relevance", "date")
PER_PAGE = 20
_COLUMNS = (DJANGO_ID, "report_id", "association", "year", "published", "language", "order")


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

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
        )

    def query_string(self, **changes) -> str:
        """This search as URL parameters, with ``changes`` (None removes a parameter)."""
        values = {"q": self.q, **self.filters}
        if self.sort != "relevance":
            values["sort"] = self.sort
        if self.page > 1:
            values["page"] = self.page
        values.update(changes)
        return urlencode({key: value for key, value in values.items() if value not in (None, "")})


@dataclass
class Hit:
    report: Report
    section: Section | None
    highlights: list[str]
    heading: str = ""              # escaped, with marks

    @property
    def url(self) -> str:
        return self.section.get_absolute_url() if self.section else self.report.get_absolute_url()


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    query: str                     # URL parameters that select it (or clear it when selected)


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
        if not self.params.filters:
            return ""
        return self.params.query_string(page=None, **dict.fromkeys(self.params.filters))


@dataclass
class _ReportGroup:
    report_id: int
    score: float
    values: dict[str, str]
    sections: list[tuple[int, int]] = field(default_factory=list)    # (order, section id)


def other_script(text: str) -> str:
    """``text`` in the other Chinese script, or "" when converting changes nothing."""
    simplified = to_simplified(text)
    other = simplified if simplified != text else to_traditional(text)
    return other if other != text else ""


def _groups(parsed: ParsedQuery) -> list[_ReportGroup]:
    """The reports a query finds, with their best score and matching sections.

    Kept with the backend's answers for the index it has open: the next page, a
    facet click or another sort of the same query starts from here.
    """
    backend = connections["default"].get_backend()
    remember = getattr(backend, "remembered", None)
    if remember is None:
        return _read_groups(backend, parsed)
    return remember(("groups", parsed.node), lambda: _read_groups(backend, parsed))


def _read_groups(backend, parsed: ParsedQuery) -> list[_ReportGroup]:
    hits, excluded = backend.query_hits(parsed, fields=FIELDS, columns=_COLUMNS, group_field="report_id")
    groups: dict[int, _ReportGroup] = {}
    for hit in hits:
        if hit.values["report_id"] in excluded:
            continue
        report_id = int(hit.values["report_id"])
        group = groups.get(report_id)
        if group is None:
            group = groups[report_id] = _ReportGroup(report_id, hit.score, hit.values)
        group.score = max(group.score, hit.score)
        if hit.flagged:   # the section itself matched, not only its report's title
            group.sections.append((int(hit.values["order"] or 0), int(hit.values[DJANGO_ID])))
    return list(groups.values())


def _passes(group: _ReportGroup, filters: dict[str, str], *, skip: str = "") -> bool:
    return all(group.values[name] == value for name, value in filters.items() if name != skip)


def _facets(groups: list[_ReportGroup], params: SearchParams) -> dict[str, list[FacetValue]]:
    counts: dict[str, dict[str, int]] = {}
    for name in FACETS:
        tally: dict[str, int] = defaultdict(int)
        for group in groups:
            if group.values[name] and _passes(group, params.filters, skip=name):
                tally[group.values[name]] += 1
        selected = params.filters.get(name)
        if selected and selected not in tally:
            tally[selected] = 0
        counts[name] = tally

    names = dict(Association.objects.filter(slug__in=counts["association"]).values_list("slug", "name"))
    labels = {
        "association": lambda value: names.get(value, value),
        "year": str,
        "language": lambda value: str(Language(value).label) if value in Language.values else value,
    }
    facets = {}
    for name, tally in counts.items():
        ordered = sorted(tally.items(), key=_year_order if name == "year" else _count_order)
        facets[name] = [
            FacetValue(
                value=value,
                label=labels[name](value),
                count=count,
                selected=params.filters.get(name) == value,
                query=params.query_string(
                    page=None, **{name: None if params.filters.get(name) == value else value}
                ),
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


def _date_of(group: _ReportGroup) -> str:
    """Sortable date: the publication date, else the year covered, else nothing (last)."""
    if group.values["published"]:
        return group.values["published"]
    return f"{group.values['year']}-00-00" if group.values["year"] else ""


def _sort_key(sort: str):
    """Best first: by relevance (ties newest first) or by date (ties most relevant first)."""
    if sort == "date":
        return lambda group: (_date_of(group), group.score)
    return lambda group: (group.score, _date_of(group))


def _load_hits(entries: list[tuple[int, int | None]], parsed: ParsedQuery) -> list[Hit]:
    """Database rows and highlights for one page of (report id, section id) entries."""
    reports = Report.objects.select_related("association").in_bulk({report_id for report_id, _ in entries})
    sections = Section.objects.in_bulk({section_id for _, section_id in entries if section_id})
    patterns = parsed.patterns()
    hits = []
    for report_id, section_id in entries:
        report = reports.get(report_id)
        section = sections.get(section_id) if section_id else None
        if report is None or (section_id and section is None):
            continue   # deleted since it was indexed; catch_up will drop it
        context = 80 if report.language == Language.ENGLISH else 36
        if section is None:
            hits.append(Hit(report, None, [mark_all(report.title, patterns)]))
            continue
        snippets = highlight(section.text, patterns, context=context)
        heading = mark_all(section.heading, patterns) if section.heading else ""
        if not snippets and heading:
            snippets = [heading]
        hits.append(Hit(report, section, snippets, heading=heading))
    return hits


def search(params: SearchParams) -> SearchOutcome:
    """Run a search. Never raises for anything a person can type."""
    parsed = parse_query(params.q)
    outcome = SearchOutcome(params=params, parsed=parsed, hits=[], page=None, notices=list(parsed.notices))
    if not parsed.searchable:
        return outcome
    try:
        groups = _groups(parsed)
    except Exception:
        # The query itself cannot fail here (it parsed); what fails is the index: a
        # folder deleted or damaged under a running site raises whatever Whoosh's
        # file reading trips on. Say so instead of answering with an error page.
        log.exception("Search index unavailable")
        outcome.index_unavailable = True
        outcome.notices.append(_("Search is unavailable right now. Please try again later."))
        return outcome

    outcome.facets = _facets(groups, params)
    selected = [group for group in groups if _passes(group, params.filters)]
    selected.sort(key=_sort_key(params.sort), reverse=True)
    entries: list[tuple[int, int | None]] = []
    for group in selected:
        if group.sections:
            entries.extend((group.report_id, section_id) for _, section_id in sorted(group.sections))
        else:
            entries.append((group.report_id, None))

    outcome.report_count = len(selected)
    outcome.count = len(entries)
    if not entries:
        outcome.other_script = other_script(parsed.text)
        return outcome
    outcome.page = Paginator(entries, PER_PAGE).get_page(params.page)
    outcome.hits = _load_hits(list(outcome.page.object_list), parsed)
    return outcome


def matching_report_ids(params: SearchParams) -> set[int]:
    """Every report a search finds, over all its pages (the benchmark's recall is measured on it)."""
    parsed = parse_query(params.q)
    if not parsed.searchable:
        return set()
    return {group.report_id for group in _groups(parsed) if _passes(group, params.filters)}
