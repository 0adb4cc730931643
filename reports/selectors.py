"""Read paths shared by the pages and the API."""

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Length, Substr

from reports.ingest.clean import DAMAGE_MARK
from reports.models import Association, Report, ScannedPage, Section
from reports.report_pages import (
    OutlineEntry,
    ReportPage,
    ReportPages,
    lay_out,
    page_beside,
    page_number,
    page_texts,
    page_url,
    scans_beside,
)

# The whole text: megabytes for a big report, so lists and pages never load it.
WHOLE_TEXT = "body"


def report_list() -> QuerySet[Report]:
    return Report.objects.select_related("association").defer(WHOLE_TEXT).order_by("-published", "-year", "-id")


def report_detail() -> QuerySet[Report]:
    """A report for its page: the text is read by the page's sections (``page_sections``), not whole."""
    return Report.objects.select_related("association").defer(WHOLE_TEXT)


def report_pages(report_ids) -> dict[int, ReportPages]:
    """How each report's sections are laid out on pages, from one query of their lengths (no text)."""
    outlines: dict[int, list[OutlineEntry]] = {report_id: [] for report_id in report_ids}
    rows = (
        Section.objects.filter(report_id__in=outlines)
        .order_by("report_id", "order")
        .values_list("report_id", "id", "order", "level", "heading", "anchor", Length("text"))
    )
    for report_id, pk, order, level, heading, anchor, text_length in rows:
        outlines[report_id].append(OutlineEntry(pk, order, level, heading, anchor, len(heading) + (text_length or 0)))
    page_characters = settings.ARCHIVE_REPORT_PAGE_CHARACTERS
    return {report_id: lay_out(outline, page_characters=page_characters) for report_id, outline in outlines.items()}


def report_page(report: Report, page: str | None) -> ReportPage | None:
    """Page ``page`` (the ``?page=`` value; None for the first) of a report, or None when it has no such page.

    Reads the sections' lengths, then the text of this page's sections only.
    """
    pages = report_pages([report.pk])[report.pk]
    number = page_number(page, len(pages))
    if number is None:
        return None
    pieces = pages.page(number)
    sections = Section.objects.order_by().in_bulk({piece.entry.id for piece in pieces})
    scanned_count = report.scanned_pages.count()
    beside = scans_beside(number, pages=len(pages), scans=scanned_count)
    scanned = list(report.scanned_pages.order_by("number")[beside.start:beside.stop]) if beside else []
    return ReportPage(number, len(pages), page_texts(pieces, sections), pages.outline(), scanned, scanned_count)


def scanned_page_url(scan: ScannedPage) -> str:
    """A scanned page's address: the report's page it is shown beside, at the scan."""
    pages = len(report_pages([scan.report_id])[scan.report_id])
    scans = ScannedPage.objects.filter(report_id=scan.report_id)
    position = scans.filter(number__lt=scan.number).count()
    page = page_beside(position, pages=pages, scans=scans.count())
    return page_url(scan.report.get_absolute_url(), page, f"page-{scan.number}")


def damaged_anchors(report: Report) -> set[str]:
    """Anchors of the report's sections with damaged text, found by the database (not read here)."""
    damaged = Q(text__contains=DAMAGE_MARK) | Q(heading__contains=DAMAGE_MARK)
    return set(report.sections.filter(damaged).values_list("anchor", flat=True))


def associations_with_counts() -> QuerySet[Association]:
    return Association.objects.annotate(report_count=Count("reports"))


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


def recently_added(limit: int = 20, *, opening_characters: int = 1000) -> QuerySet[Report]:
    """Newest additions to the archive first: what a feed reader has not seen yet.

    Each with the start of its text as ``opening`` (for a summary), not the whole of it.
    """
    return (
        Report.objects.select_related("association").defer(WHOLE_TEXT)
        .annotate(opening=Substr(WHOLE_TEXT, 1, opening_characters))
        .order_by("-created", "-id")[:limit]
    )


def year_counts() -> list[dict]:
    """``[{"year": 2021, "count": 3}, ...]``, newest year first; reports with no year are left out."""
    rows = (
        Report.objects.with_covered_year()
        .exclude(covered_year=None)
        .values("covered_year")
        .annotate(count=Count("id"))
        .order_by("-covered_year")
    )
    return [{"year": row["covered_year"], "count": row["count"]} for row in rows]


def reports_for_year(year: int) -> QuerySet[Report]:
    return _newest_first(report_list().with_covered_year().filter(covered_year=year))


def association_reports(association: Association) -> QuerySet[Report]:
    """An association's reports, newest year first."""
    return (
        Report.objects.for_association(association).defer(WHOLE_TEXT).with_covered_year()
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
    by_id = Report.objects.defer(WHOLE_TEXT).in_bulk([i for i in (previous_id, next_id) if i is not None])
    return by_id.get(previous_id), by_id.get(next_id)
