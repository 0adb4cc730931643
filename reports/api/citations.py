"""GET /api/reports/<id>/cite/?format=…: one report's citation."""

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.api.negotiation import FormatNamesAFile
from reports.interop import CITATION_FORMATS, cite, cited_report
from reports.models import Report

DEFAULT_FORMAT = "gbt7714"


class ReportCitation(APIView):
    """The report cited in `format` (default `gbt7714`).

    `gbt7714` (GB/T 7714-2015) and `apa` answer `{"format": ..., "citation": "..."}`;
    `bibtex` and `ris` answer the entry as a file to import, `csljson` CSL-JSON (a
    list holding the one item). The citation quotes the title and names as the report writes them
    and carries today's date as the date the online record was seen.
    An unknown format is a 400 that lists the formats.
    """

    content_negotiation_class = FormatNamesAFile

    @extend_schema(
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=list(CITATION_FORMATS))],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, pk: int):
        name = request.query_params.get("format", DEFAULT_FORMAT)
        citation_format = CITATION_FORMATS.get(name)
        if citation_format is None:
            return Response({
                "detail": _("Unknown citation format “%(format)s”.") % {"format": name},
                "formats": list(CITATION_FORMATS),
            }, status=400)
        report = get_object_or_404(Report.objects.select_related("association").defer("body"), pk=pk)
        record = cited_report(report, site=request.build_absolute_uri("/")[:-1])
        citation = cite(record, citation_format=name, accessed=timezone.localdate())
        if not citation_format.media_type:
            return Response({"format": name, "citation": citation})
        content = citation if isinstance(citation, str) else json.dumps(citation, ensure_ascii=False, indent=2)
        response = HttpResponse(content, content_type=citation_format.media_type)
        if name != "csljson":
            # A file to import: browsers save it, Zotero's connector offers to import it.
            response["Content-Disposition"] = content_disposition_header(
                True, f"{record.key}.{citation_format.extension}")
        return response
