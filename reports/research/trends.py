"""Term trends: for each year, how many reports match each query, and their share
of that year's reports.

A query's reports are the search's own (:func:`reports.search.all_matches`, with the
same filters), counted by the year the search's ``year`` filter reads, so the
number for a query and a year is the search's report count for that query
filtered to that year. The reports of a year (the share's denominator) come from
the database with the same filters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import Count
from django.utils.translation import gettext as _

from reports.models import Report
from reports.research.filters import ResearchError, searchable, with_query
from reports.search import SearchParams, all_matches

MEASURES = ("reports", "share")


@dataclass(frozen=True)
class Series:
    query: str
    reports: list[int]             # per year: reports that match
    share: list[float | None]      # per year: matching reports / the year's reports (None: no reports)
    notices: tuple[str, ...] = ()  # how the query was read, when not as typed


@dataclass(frozen=True)
class Trends:
    filters: SearchParams
    years: list[int]
    reports_per_year: list[int]
    series: list[Series]

    @property
    def queries(self) -> list[str]:
        return [series.query for series in self.series]

    def search_params(self, query: str, year: int) -> SearchParams:
        """The search that finds a point's reports: the query, the filters, that year."""
        return SearchParams(q=query, filters={**self.filters.filters, "year": str(year)})

    def rows(self) -> list[list]:
        """One row per year, under a header (the CSV export)."""
        header = ["year", "reports"]
        for series in self.series:
            header += [f"{series.query} reports", f"{series.query} share"]
        rows = [header]
        for index, year in enumerate(self.years):
            row = [year, self.reports_per_year[index]]
            for series in self.series:
                share = series.share[index]
                row += [series.reports[index], "" if share is None else round(share, 6)]
            rows.append(row)
        return rows


def typed_queries(values: list[str]) -> list[str]:
    """The queries as typed, without empty boxes or repeats, in order."""
    return list(dict.fromkeys(value.strip() for value in values if value and value.strip()))


def trends(*, queries: list[str], filters: SearchParams, max_queries: int) -> Trends:
    """Per-year counts and shares of the reports matching each query.

    Raises :class:`ResearchError` when there is no query, more than
    ``max_queries``, or a query with nothing to look for.
    """
    queries = typed_queries(queries)
    if not queries:
        raise ResearchError(_("Type a query to see it over the years."))
    if len(queries) > max_queries:
        raise ResearchError(_("At most %(limit)d queries can be compared at once; %(count)d were given.")
                            % {"limit": max_queries, "count": len(queries)})
    found: list[tuple[str, dict[int, int], tuple[str, ...]]] = []
    for query in queries:
        parsed = searchable(query)
        years = all_matches(with_query(filters, query)).years
        known = years[years > 0]
        counted, counts = np.unique(known, return_counts=True)
        found.append((query, dict(zip(counted.tolist(), counts.tolist())), parsed.notices))

    per_year = reports_per_year(filters)
    years = sorted(set(per_year).union(*(counts for _, counts, _ in found)))
    totals = [per_year.get(year, 0) for year in years]
    series = []
    for query, counts, notices in found:
        reports = [counts.get(year, 0) for year in years]
        share = [count / total if total else None for count, total in zip(reports, totals)]
        series.append(Series(query, reports, share, notices))
    return Trends(filters, years, totals, series)


def reports_per_year(filters: SearchParams) -> dict[int, int]:
    """How many reports each year has, with the search's filters (reports without a year are left out)."""
    reports = Report.objects.exclude(year=None)
    chosen = filters.filters
    if "association" in chosen:
        reports = reports.filter(association__slug=chosen["association"])
    if "region" in chosen:
        reports = reports.filter(association__region=chosen["region"])
    if "language" in chosen:
        reports = reports.filter(language=chosen["language"])
    if "year" in chosen:
        year = chosen["year"]
        # Exactly as the index writes a year ("2021", not "02021"), or no report has it.
        written = year.isdigit() and str(int(year)) == year and int(year) < 2**15
        reports = reports.filter(year=int(year)) if written else reports.none()
    if filters.year_from is not None:
        reports = reports.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        reports = reports.filter(year__lte=filters.year_to)
    return dict(reports.order_by().values_list("year").annotate(count=Count("id")).values_list("year", "count"))
