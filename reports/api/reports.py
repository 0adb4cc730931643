from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from reports import selectors
from reports.api.serializers import ReportDetailSerializer, ReportSerializer


class ReportList(generics.ListAPIView):
    """Every report, newest first, paginated (`count`, `next`, `results`)."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        return selectors.report_list()


class ReportDetail(generics.RetrieveAPIView):
    """One report and a page of its text, as its page shows it.

    `sections` are the sections on page `?page=` (default 1): a long report is
    read a page at a time, and a section longer than a page comes in parts
    (`part` of `parts`). `contents` lists every section with the page it begins
    on, and `pages` says how many there are, with the next and previous page.
    `body`, the whole text, is there when the report fits on one page.
    """

    serializer_class = ReportDetailSerializer

    def get_queryset(self):
        return selectors.report_detail()

    def retrieve(self, request, *args, **kwargs):
        report = self.get_object()
        page = selectors.report_page(report, request.query_params.get("page"))
        if page is None:
            raise NotFound("This report has no such page.")
        serializer = self.get_serializer(report, context={**self.get_serializer_context(), "page": page})
        return Response(serializer.data)
