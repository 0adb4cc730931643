"""Read paths shared by the pages and the API."""

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Coalesce, ExtractYear

from reports.models import Association, Report


def report_list() -> QuerySet[Report]:
    return Report.objects.select_related("association").order_by("-published", "-year", "-id")


def report_detail() -> QuerySet[Report]:
    return Report.objects.select_related("association").prefetch_related("sections", "scanned_pages")


def associations_with_counts() -> QuerySet[Association]:
    return Association.objects.annotate(report_count=Count("reports"))


# Reading pages (issue 4). A report's year is the year it covers, or failing that the
# year it was published, so undated-but-published reports still appear under a year.
def _with_covered_year(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.annotate(covered_year=Coalesce("year", ExtractYear("published")))


def archive_counts() -> dict:
    years = year_counts()
    return {
        "associations": Association.objects.count(),
        "reports": Report.objects.count(),
        "years": len(years),
        "first_year": min((row["year"] for row in years), default=None),
        "last_year": max((row["year"] for row in years), default=None),
    }


def _newest_first(reports: QuerySet[Report]) -> QuerySet[Report]:
    # Explicit about undated reports: PostgreSQL would put NULL dates first when descending.
    return reports.order_by(F("published").desc(nulls_last=True), F("year").desc(nulls_last=True), "-id")


def latest_reports(limit: int = 10) -> QuerySet[Report]:
    return _newest_first(report_list())[:limit]


def recently_added(limit: int = 20) -> QuerySet[Report]:
    """Newest additions to the archive first: what a feed reader has not seen yet."""
    return Report.objects.select_related("association").order_by("-created", "-id")[:limit]


def year_counts() -> list[dict]:
    """``[{"year": 2021, "count": 3}, ...]``, newest year first; reports with no year are left out."""
    rows = (
        _with_covered_year(Report.objects.all())
        .exclude(covered_year=None)
        .values("covered_year")
        .annotate(count=Count("id"))
        .order_by("-covered_year")
    )
    return [{"year": row["covered_year"], "count": row["count"]} for row in rows]


def reports_for_year(year: int) -> QuerySet[Report]:
    return _newest_first(_with_covered_year(report_list()).filter(covered_year=year))


def association_reports(association: Association) -> QuerySet[Report]:
    """An association's reports, newest year first."""
    return (
        _with_covered_year(Report.objects.for_association(association))
        .order_by(F("covered_year").desc(nulls_last=True), F("published").desc(nulls_last=True), "-id")
    )


def report_neighbours(report: Report) -> tuple[Report | None, Report | None]:
    """The previous (older) and next (newer) report of the same association.

    Oldest first by publication date, then year, then id, with undated reports first;
    the position is found in Python because dates may be missing, which makes a pure
    "greater than" query awkward and association report counts are small.
    """
    ordered = list(
        Report.objects.for_association(report.association_id)
        .order_by(F("published").asc(nulls_first=True), F("year").asc(nulls_first=True), "id")
        .values_list("id", flat=True)
    )
    index = ordered.index(report.pk)
    previous_id = ordered[index - 1] if index > 0 else None
    next_id = ordered[index + 1] if index + 1 < len(ordered) else None
    by_id = Report.objects.in_bulk([i for i in (previous_id, next_id) if i is not None])
    return by_id.get(previous_id), by_id.get(next_id)
