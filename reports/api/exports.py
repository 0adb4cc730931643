"""GET /api/search/export/?q=…&format=csv|jsonl|bibtex|ris: every result of a search as a file."""

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.api.negotiation import FormatNamesAFile
from reports.api.serializers import ReportSerializer
from reports.interop import EXPORT_FORMATS, ExportTooLarge, check_export_size, export_file_name, export_pieces
from reports.search import FACETS, SearchParams, SearchUnavailable, all_matches


class SearchExport(APIView):
    """Every result of a search (the parameters of `/api/search/`, without pages).

    `csv` and `jsonl`: one row per matching section (or report, when only its title
    matched) with its link, in the order of the search; `bibtex` and `ris`: one
    entry per matching report. The file is streamed as it is written. A search that
    matches more reports than `ARCHIVE_EXPORT_MAX_REPORTS` is refused (400) before
    anything is sent: narrow it with filters.
    """

    content_negotiation_class = FormatNamesAFile

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True),
            OpenApiParameter("format", OpenApiTypes.STR, enum=list(EXPORT_FORMATS), required=True),
            OpenApiParameter("sort", OpenApiTypes.STR, enum=["relevance", "date"]),
            *[OpenApiParameter(name, OpenApiTypes.STR) for name in FACETS],
        ],
        responses=OpenApiTypes.BINARY,
    )
    def get(self, request):
        name = request.query_params.get("format", "")
        export = EXPORT_FORMATS.get(name)
        if export is None:
            return Response({
                "detail": _("Choose the export format with format=: one of %(formats)s.")
                % {"formats": ", ".join(EXPORT_FORMATS)},
                "formats": list(EXPORT_FORMATS),
            }, status=400)
        params = SearchParams.from_querydict(request.query_params)
        try:
            matches = all_matches(params)
        except SearchUnavailable:
            return Response({"detail": _("Search is unavailable right now. Please try again later.")}, status=503)
        if not matches.parsed.searchable:
            return Response({"detail": _("Give words to search for with q=."),
                             "notices": [str(notice) for notice in matches.parsed.notices]}, status=400)
        try:
            check_export_size(matches, limit=settings.ARCHIVE_EXPORT_MAX_REPORTS)
        except ExportTooLarge as error:
            return Response({
                "detail": _("%(count)s reports match; an export holds at most %(limit)s. "
                            "Narrow the search with association, year or language.")
                % {"count": error.report_count, "limit": error.limit},
                "reports": error.report_count,
                "limit": error.limit,
            }, status=400)

        def report_json(reports):
            return ReportSerializer(reports, many=True, context={"request": request}).data

        # HEAD gets the GET's status and headers without the file: servers drop a HEAD's
        # body but still read all of it (gunicorn does), which would write the whole export.
        pieces = () if request.method == "HEAD" else export_pieces(
            matches, export=export, site=request.build_absolute_uri("/")[:-1], accessed=timezone.localdate(),
            report_json=report_json)
        response = StreamingHttpResponse(pieces, content_type=export.media_type)
        response["Content-Disposition"] = content_disposition_header(True, export_file_name(params.q, export))
        # Buffering is left on for the proxy (nginx's default): it takes the file from the
        # worker as fast as it is written, so a slow download does not hold a sync worker
        # towards gunicorn's timeout, and the client still gets the first bytes at once.
        return response
