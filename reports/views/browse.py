"""Reading pages: home, associations, reports, years, and the original files.

Views stay thin: what to show comes from ``reports.selectors``, how text becomes
HTML from ``reports.display`` (through the template filters), citations and the
metadata for machines from ``reports.interop``.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.views.decorators.cache import cache_control
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from django.views.generic.dates import YearMixin

from reports import interop, selectors
from reports.display import FROM_TEXT
from reports.models import Report, ScannedPage
from reports.originals import original_download
from reports.report_pages import page_url
from reports.research import RELATED_SHOWN, related_reports
from reports.search import SearchUnavailable


@require_safe
def home(request):
    return render(
        request,
        "reports/home.html",
        {
            "counts": selectors.archive_counts(),
            "latest": selectors.latest_reports(),
            "associations": selectors.associations_with_counts().order_by("region", "name"),
            "years": selectors.year_counts(),
            "json_url": reverse("api-report-list"),
        },
    )


class AssociationListView(ListView):
    template_name = "reports/association_list.html"
    context_object_name = "associations"

    def get_queryset(self):
        return selectors.associations_with_counts().order_by("region", "name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            json_url=reverse("api-association-list"),
            breadcrumbs=[(_("Associations"), None)],
            **kwargs,
        )


class AssociationDetailView(DetailView):
    template_name = "reports/association_detail.html"
    context_object_name = "association"

    def get_queryset(self):
        return selectors.associations_with_counts()

    def get_context_data(self, **kwargs):
        association = self.object
        return super().get_context_data(
            reports=selectors.association_reports(association),
            json_url=reverse("api-association-detail", kwargs={"slug": association.slug}),
            breadcrumbs=[(_("Associations"), reverse("reports:associations")), (association.name, None, FROM_TEXT)],
            **kwargs,
        )


class ReportDetailView(DetailView):
    """A report, a page at a time: a long one is laid out on pages (reports.report_pages)."""

    template_name = "reports/report_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return selectors.report_detail()

    def get_context_data(self, **kwargs):
        report = self.object
        page = selectors.report_page(report, self.request.GET.get("page"))
        if page is None:
            raise Http404(_("This report has no such page."))
        report_url = report.get_absolute_url()

        def link(entry, number: int) -> str:
            return f"#{entry.anchor}" if number == page.number else page_url(report_url, number, entry.anchor)

        damaged = selectors.damaged_anchors(report) if report.has_damage else set()
        previous_report, next_report = selectors.report_neighbours(report)
        record = interop.cited_report(report, site=self.request.build_absolute_uri("/")[:-1])
        json_url = reverse("api-report-detail", kwargs={"pk": report.pk})
        return super().get_context_data(
            shown=page.shown,
            scanned_pages=page.scanned_pages,
            scanned_count=page.scanned_count,
            toc=[(entry, link(entry, number)) for entry, number in page.outline if entry.heading],
            damaged_sections=[(entry, link(entry, number)) for entry, number in page.outline if entry.anchor in damaged],
            page_obj=Paginator(range(page.count), 1).page(page.number),
            previous_report=previous_report,
            next_report=next_report,
            # As the report writes its title and names, whatever script the reader chose.
            citations=interop.text_citations(record, accessed=timezone.localdate()),
            citation_files=interop.CITATION_FILES,
            meta_tags=interop.highwire_tags(record),
            json_ld=interop.json_ld_script(interop.json_ld(record)),
            related=_related(report),
            json_url=page_url(json_url, page.number),
            breadcrumbs=[
                (_("Associations"), reverse("reports:associations")),
                (report.association.name, report.association.get_absolute_url(), FROM_TEXT),
                (report.title, None, report.language),
            ],
            **kwargs,
        )


def _related(report) -> list:
    """The reports most alike this one; none when the index cannot be read (the report
    itself is still shown)."""
    try:
        return related_reports(report=report, limit=RELATED_SHOWN, text_chars=settings.ARCHIVE_RELATED_TEXT_CHARS)
    except SearchUnavailable:
        return []


@require_safe
def report_original(request, pk: int):
    """The original file byte for byte, under the name it was received with."""
    report = get_object_or_404(Report, pk=pk)
    return original_download(report.original, filename=report.source_name,
                             missing=_("The original file of this report is missing."))


@require_safe
@cache_control(max_age=86400)
def page_image(request, pk: int, number: int):
    """A scanned page's image, as the archive wrote it (always JPEG: nothing uploaded is served as it came)."""
    page = get_object_or_404(ScannedPage, report_id=pk, number=number)
    try:
        handle = page.image.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("The image of this page is missing."))
    return FileResponse(handle, content_type="image/jpeg")


class YearView(YearMixin, ListView):
    """Reports covering one year. ``YearMixin`` reads and validates the year from the URL."""

    template_name = "reports/year_detail.html"
    context_object_name = "reports"
    allow_empty = False  # a year with no reports is a 404, not an empty page
    paginate_by = 50

    def get_queryset(self):
        return selectors.reports_for_year(int(self.get_year()))

    def get_context_data(self, **kwargs):
        year = int(self.get_year())
        return super().get_context_data(
            year=year,
            json_url=reverse("api-year-detail", kwargs={"year": year}),
            breadcrumbs=[(_("Years"), reverse("reports:home") + "#years"), (str(year), None)],
            **kwargs,
        )


association_list = AssociationListView.as_view()
association_detail = AssociationDetailView.as_view(slug_url_kwarg="slug")
report_detail = ReportDetailView.as_view()
year_detail = YearView.as_view()
