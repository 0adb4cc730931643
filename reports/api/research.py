"""The research tools' JSON twins (and CSV where a table is the answer)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.api.csv import CSVRenderer, attachment
from reports.api.serializers import ReportSerializer
from reports.models import Report
from reports.research import (
    CONCORDANCE_PER_PAGE,
    CONCORDANCE_SORTS,
    RELATED_SHOWN,
    ResearchError,
    compare_reports,
    concordance,
    concordance_lines,
    related_reports,
    search_filters,
    trends,
    with_query,
)
from reports.search import FACETS, SearchUnavailable
from reports.text import convert_script

FILTER_PARAMETERS = [
    *[OpenApiParameter(name, OpenApiTypes.STR) for name in FACETS],
    OpenApiParameter("from", OpenApiTypes.INT, description="First year covered"),
    OpenApiParameter("to", OpenApiTypes.INT, description="Last year covered"),
]


def _error(message: str, status: int = 400) -> Response:
    return Response({"detail": message}, status=status)


def _unavailable() -> Response:
    return _error(_("Search is unavailable right now. Please try again later."), 503)


class TrendsView(APIView):
    """For each year, the reports that match each query and their share of that year's reports.

    `q` may be given up to six times, each with the search's syntax. `reports[i]` is
    the search's report count for that query filtered to `years[i]`;
    `reports_per_year[i]` counts that year's reports with the same filters; `share`
    is null for a year without reports. `?format=csv`: one row per year.
    """

    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, many=True, description="A query (repeat for more)"),
                    OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]), *FILTER_PARAMETERS],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        try:
            result = trends(queries=request.query_params.getlist("q"), filters=search_filters(request.query_params),
                            max_queries=settings.ARCHIVE_TRENDS_MAX_QUERIES)
        except ResearchError as error:
            return _error(str(error))
        except SearchUnavailable:
            return _unavailable()
        if request.accepted_renderer.format == "csv":
            return attachment(Response(result.rows()), "trends.csv")
        return Response({
            "queries": result.queries,
            "years": result.years,
            "reports_per_year": result.reports_per_year,
            "series": [{"query": series.query, "reports": series.reports, "share": series.share,
                        "notices": [str(notice) for notice in series.notices]} for series in result.series],
        })


def _page_number(params) -> int:
    try:
        return max(1, int(params.get("page", 1)))
    except (TypeError, ValueError):
        return 1


def _concordance_line(line, report: dict, request) -> dict:
    item = {
        "report": report,
        "section": {"anchor": line.section.anchor, "heading": line.section.heading},
        "url": request.build_absolute_uri(line.url),
        "left": line.line.left,
        "match": line.line.match,
        "right": line.line.right,
    }
    if request.script:
        item["shown"] = {part: convert_script(item[part], request.script) for part in ("left", "match", "right")}
    return item


def _concordance_rows(lines, request) -> list[list]:
    header = ["report_id", "title", "association", "year", "language", "section", "url", "left", "match", "right"]
    if request.script:
        header += [f"{part} ({request.script})" for part in ("left", "match", "right")]
    rows = [header]
    for line in lines:
        report, parts = line.report, [line.line.left, line.line.match, line.line.right]
        row = [report.pk, report.title, report.association.name, report.year or "", report.language,
               line.section.heading, request.build_absolute_uri(line.url), *parts]
        if request.script:
            row += [convert_script(part, request.script) for part in parts]
        rows.append(row)
    return rows


class ConcordanceView(APIView):
    """Every occurrence of the query's words as left context, match and right context.

    `count` is the number of occurrences (over every page), `reports` the reports
    they are in. `sort`: `report` (newest report first, each in reading order; the
    default), `left` or `right` (by the text on that side of the match, among the
    first occurrences in report order: `sorted_among` says how many when not all).
    Pages of 50 lines with `next`. Context is given as written; with `?script=hans`
    or `hant` each line also has it `shown` in that script. `?format=csv`: the
    first lines of the whole list (a setting, 2,000 by default).
    """

    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR),
                    OpenApiParameter("sort", OpenApiTypes.STR, enum=list(CONCORDANCE_SORTS)),
                    OpenApiParameter("page", OpenApiTypes.INT),
                    OpenApiParameter("script", OpenApiTypes.STR, enum=["hans", "hant"]),
                    OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]), *FILTER_PARAMETERS],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        data = request.query_params
        sort = data.get("sort") if data.get("sort") in CONCORDANCE_SORTS else CONCORDANCE_SORTS[0]
        sort_limit = settings.ARCHIVE_CONCORDANCE_SORT_LINES
        try:
            params = with_query(search_filters(data), data.get("q", ""))
            if request.accepted_renderer.format == "csv":
                lines = concordance_lines(params=params, sort=sort, sort_limit=sort_limit,
                                          limit=settings.ARCHIVE_CONCORDANCE_EXPORT_LINES)
                return attachment(Response(_concordance_rows(lines, request)), "concordance.csv")
            result = concordance(params=params, sort=sort, page=_page_number(data), per_page=CONCORDANCE_PER_PAGE,
                                 sort_limit=sort_limit)
        except ResearchError as error:
            return _error(str(error))
        except SearchUnavailable:
            return _unavailable()
        # Each report once: the lines of a page mostly come from a few reports.
        unique = list({line.report.pk: line.report for line in result.lines}.values())
        serialized = dict(zip((report.pk for report in unique),
                              ReportSerializer(unique, many=True, context={"request": request}).data))
        reports = [serialized[line.report.pk] for line in result.lines]
        page = result.page
        return Response({
            "query": result.parsed.text,
            "count": result.count,
            "reports": result.report_count,
            "sort": result.sort,
            "sorted_among": result.sorted_among,
            "next": _page_url(request, page.next_page_number()) if page and page.has_next() else None,
            "previous": _page_url(request, page.previous_page_number()) if page and page.has_previous() else None,
            "results": [_concordance_line(line, report, request) for line, report in zip(result.lines, reports)],
            "notices": [str(notice) for notice in result.notices],
        })


def _page_url(request, number: int) -> str:
    query = request.query_params.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class RelatedView(APIView):
    """Up to five reports most alike this one in content, in either script, best first.

    `shared_terms`: the words the two share that tell most, as this report writes
    them (`shown`: in the script asked for with `?script=`). Empty when the index
    cannot be read.
    """

    @extend_schema(parameters=[OpenApiParameter("script", OpenApiTypes.STR, enum=["hans", "hant"])],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        report = get_object_or_404(Report, pk=pk)
        try:
            related = related_reports(report=report, limit=RELATED_SHOWN,
                                      text_chars=settings.ARCHIVE_RELATED_TEXT_CHARS)
        except SearchUnavailable:
            return _unavailable()
        serialized = ReportSerializer([item.report for item in related], many=True, context={"request": request}).data
        results = []
        for item, other in zip(related, serialized):
            result = {"report": other, "score": round(item.score, 4), "shared_terms": item.shared}
            if request.script:
                result["shown"] = [convert_script(word, request.script) for word in item.shared]
            results.append(result)
        return Response({"report": report.pk, "results": results})


class CompareView(APIView):
    """What report `pk` says that report `other_pk` does not (`added`), what the other
    says that it does not (`removed`), and what both say (`kept`; in either script,
    wherever it stands), sentence by sentence, with counts. `sequence` is every
    sentence in the order the page shows them. Only the first characters of a very
    long report are compared (`shortened` lists those reports).
    """

    @extend_schema(parameters=[OpenApiParameter("script", OpenApiTypes.STR, enum=["hans", "hant"])],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int, other_pk: int):
        report, other = (get_object_or_404(Report.objects.select_related("association"), pk=key)
                         for key in (pk, other_pk))
        try:
            comparison = compare_reports(report=report, other=other, max_chars=settings.ARCHIVE_COMPARE_MAX_CHARS)
        except ResearchError as error:
            return _error(str(error))
        serialized = ReportSerializer([report, other], many=True, context={"request": request}).data

        def item(sentence) -> dict:
            shown = {"change": sentence.change, "text": sentence.text}
            if request.script:
                shown["shown"] = convert_script(sentence.text, request.script)
            return shown

        payload = {"report": serialized[0], "other": serialized[1]}
        for change, count in comparison.counts.items():
            payload[change] = {"count": count,
                               "sentences": [s.text for s in comparison.sentences if s.change == change]}
        payload["sequence"] = [item(sentence) for sentence in comparison.sentences]
        payload["shortened"] = [shortened.pk for shortened in comparison.shortened]
        payload["max_chars"] = settings.ARCHIVE_COMPARE_MAX_CHARS
        return Response(payload)
