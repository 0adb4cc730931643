"""The research tools' pages. The work is in reports.research; these only read the
URL, call it and choose the template. Like the search page, a page answers what
was typed that it cannot answer (or an index it cannot read) with a message, not
an error status; the API says 400 or 503."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reports import selectors
from reports.models import Association, Language
from reports.research import (
    CONCORDANCE_PER_PAGE,
    CONCORDANCE_SORTS,
    MEASURES,
    ResearchError,
    compare_reports,
    concordance,
    line_chart,
    search_filters,
    trends,
    typed_queries,
    with_query,
)
from reports.search import SearchUnavailable

ALTERNATIVES = 20        # other reports of the association offered for comparing


def _filter_choices() -> dict:
    """The values the filter form offers."""
    associations = Association.objects.order_by("region", "name").values_list("slug", "name")
    regions = Association.objects.exclude(region="").order_by("region").values_list("region", flat=True).distinct()
    return {"associations": list(associations), "regions": list(regions), "languages": Language.choices}


def _unavailable() -> str:
    return _("Search is unavailable right now. Please try again later.")


@require_safe
def trends_page(request):
    queries = typed_queries(request.GET.getlist("q"))
    measure = request.GET.get("measure") if request.GET.get("measure") in MEASURES else MEASURES[0]
    limit = settings.ARCHIVE_TRENDS_MAX_QUERIES
    context = {
        "queries": queries,
        # Boxes for the queries shown, one more to add a query (up to the limit), at least two.
        "boxes": (queries + [""] * limit)[:max(2, min(limit, len(queries) + 1))],
        "measure": measure,
        "max_queries": limit,
        "json_url": reverse("api-trends") + (f"?{request.GET.urlencode()}" if request.GET else ""),
        **_filter_choices(),
    }
    try:
        filters = context["filters"] = search_filters(request.GET)
        if request.GET.getlist("q"):
            result = trends(queries=queries, filters=filters, max_queries=limit)
            context.update(result=result, chart=_chart(result, measure), rows=_rows(result))
    except ResearchError as error:
        context["error"] = str(error)
    except SearchUnavailable:
        context["error"] = _unavailable()
    return render(request, "reports/trends.html", context)


def _search_url(result, query: str, year: int) -> str:
    return f"{reverse('reports:search')}?{result.search_params(query, year).query_string()}"


def _point_words(query: str, year: int, reports: int, total: int) -> str:
    return _("“%(query)s” in %(year)d: %(reports)d of %(total)d reports") % {
        "query": query, "year": year, "reports": reports, "total": total}


def _chart(result, measure: str):
    hrefs, labels = [], []
    for series in result.series:
        hrefs.append([_search_url(result, series.query, year) for year in result.years])
        labels.append([_point_words(series.query, year, reports, total)
                       for year, reports, total in zip(result.years, series.reports, result.reports_per_year)])
    values = [series.share if measure == "share" else series.reports for series in result.series]
    return line_chart(years=result.years, series=values, hrefs=hrefs, labels=labels, percent=measure == "share")


def _rows(result) -> list[dict]:
    """The chart's numbers, a row per year, newest first, each cell linked to its search."""
    rows = []
    for index, year in reversed(list(enumerate(result.years))):
        cells = [{"reports": series.reports[index], "share": series.share[index],
                  "href": _search_url(result, series.query, year)} for series in result.series]
        rows.append({"year": year, "total": result.reports_per_year[index], "cells": cells})
    return rows


@require_safe
def concordance_page(request):
    query = request.GET.get("q", "")
    sort = request.GET.get("sort") if request.GET.get("sort") in CONCORDANCE_SORTS else CONCORDANCE_SORTS[0]
    context = {
        "query": query,
        "sort": sort,
        "export_limit": settings.ARCHIVE_CONCORDANCE_EXPORT_LINES,
        "json_url": reverse("api-concordance") + (f"?{request.GET.urlencode()}" if request.GET else ""),
        **_filter_choices(),
    }
    try:
        filters = context["filters"] = search_filters(request.GET)
        if query.strip():
            result = concordance(params=with_query(filters, query), sort=sort, page=_page_number(request),
                                 per_page=CONCORDANCE_PER_PAGE, sort_limit=settings.ARCHIVE_CONCORDANCE_SORT_LINES)
            context.update(result=result, lines=[(line, line.place_url(request.script)) for line in result.lines])
    except ResearchError as error:
        context["error"] = str(error)
    except SearchUnavailable:
        context["error"] = _unavailable()
    return render(request, "reports/concordance.html", context)


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError):
        return 1


@require_safe
def compare_page(request, pk: int, other_pk: int):
    report = get_object_or_404(selectors.report_list(), pk=pk)
    other = get_object_or_404(selectors.report_list(), pk=other_pk)
    context = {
        "report": report,
        "other": other,
        "json_url": reverse("api-report-compare", kwargs={"pk": pk, "other_pk": other_pk}),
        # Chinese sentences follow each other without a space; English ones with one.
        "report_spaced": not report.language.startswith("zh"),
        "other_spaced": not other.language.startswith("zh"),
        "alternatives": selectors.association_reports(report.association).exclude(pk=report.pk)[:ALTERNATIVES],
        "breadcrumbs": [
            (_("Associations"), reverse("reports:associations")),
            (report.association.name, report.association.get_absolute_url()),
            (report.title, report.get_absolute_url()),
            (_("Comparison"), None),
        ],
    }
    try:
        comparison = compare_reports(report=report, other=other, max_chars=settings.ARCHIVE_COMPARE_MAX_CHARS)
        context.update(comparison=comparison, max_chars=settings.ARCHIVE_COMPARE_MAX_CHARS)
    except ResearchError as error:
        context["error"] = str(error)
    return render(request, "reports/compare.html", context)
