"""Read paths shared by the pages and the API."""

from django.db.models import Count, QuerySet

from reports.models import Association, Report


def report_list() -> QuerySet[Report]:
    return Report.objects.select_related("association").order_by("-published", "-year", "-id")


def report_detail() -> QuerySet[Report]:
    return Report.objects.select_related("association").prefetch_related("sections")


def associations_with_counts() -> QuerySet[Association]:
    return Association.objects.annotate(report_count=Count("reports"))
