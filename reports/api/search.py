"""GET /api/search/: the search page's JSON twin."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.api.serializers import ReportSerializer
from reports.search import FACETS, SearchOutcome, SearchParams, search


def _hit(hit, report: dict, request) -> dict:
    return {
        "report": report,
        "section": {"anchor": hit.section.anchor, "heading": hit.section.heading} if hit.section else None,
        "url": request.build_absolute_uri(hit.url),
        "highlights": [str(snippet) for snippet in hit.highlights],
    }


def _reports(outcome: SearchOutcome, request) -> list[dict]:
    # One serializer for the page: a serializer per hit builds its fields anew each time.
    return ReportSerializer([hit.report for hit in outcome.hits], many=True, context={"request": request}).data


def _next_url(outcome: SearchOutcome, request) -> str | None:
    page = outcome.page
    if page is None or not page.has_next():
        return None
    return request.build_absolute_uri(f"{request.path}?{outcome.params.query_string(page=page.next_page_number())}")


def search_payload(outcome: SearchOutcome, request) -> dict:
    return {
        "query": outcome.parsed.text,
        "count": outcome.count,
        "next": _next_url(outcome, request),
        "results": [_hit(hit, report, request) for hit, report in zip(outcome.hits, _reports(outcome, request))],
        # Why the results are empty or partial (a malformed query searched as text,
        # the index unavailable): without this a client cannot tell "no match" from "no search".
        "notices": [str(notice) for notice in outcome.notices],
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected} for v in values]
            for name, values in outcome.facets.items()
        },
    }


class SearchView(APIView):
    """Full-text search in Simplified, Traditional or English.

    Each result is a matching section (`section` null when only the report's title
    matched), hits of one report together. `count` counts results; facet counts
    count reports. `highlights` are HTML-escaped snippets with `<mark>`. `notices`
    explain an empty or partial answer; when the index cannot be read the status is 503.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Words, \"phrases\", AND/OR/NOT, -word"),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("sort", OpenApiTypes.STR, enum=["relevance", "date"]),
            *[OpenApiParameter(name, OpenApiTypes.STR) for name in FACETS],
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        outcome = search(SearchParams.from_querydict(request.query_params))
        status = 503 if outcome.index_unavailable else 200
        return Response(search_payload(outcome, request), status=status)
