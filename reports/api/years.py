"""JSON twin of a year page: the reports covering that year, paginated."""

from rest_framework import generics

from reports import selectors
from reports.api.serializers import ReportSerializer


class YearReportList(generics.ListAPIView):
    """Reports covering ``year`` (or, when a report names no year, published in it)."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        return selectors.reports_for_year(self.kwargs["year"])
