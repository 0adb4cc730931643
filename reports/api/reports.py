from rest_framework import generics

from reports import selectors
from reports.api.serializers import ReportDetailSerializer, ReportSerializer


class ReportList(generics.ListAPIView):
    """Every report, newest first, paginated (`count`, `next`, `results`)."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        return selectors.report_list()


class ReportDetail(generics.RetrieveAPIView):
    """One report with its cleaned text (`body`) and its `sections`."""

    serializer_class = ReportDetailSerializer

    def get_queryset(self):
        return selectors.report_detail()
