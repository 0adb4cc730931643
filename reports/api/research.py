"""The research tools' JSON twins (and CSV where a table is the answer)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.api.csv import CSVRenderer, attachment
from reports.research import ResearchError, search_filters, trends
from reports.search import FACETS, SearchUnavailable

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
