"""The admin for staff: associations, and reports with their sections.

The report add page takes files only (everything else is read from them);
the upload logic is in reports.forms and reports.services.uploads. Index
updates follow saves and deletes through reports.signals; a deleted report's
original file goes through reports.services.originals.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reports.forms import ReportChangeForm, ReportUploadForm, refusal_message
from reports.ingest import IngestResult
from reports.ingest.pipeline import compose_body
from reports.models import Association, Report, ScannedPage, Section
from reports.services.uploads import Refusal, duplicate_message, store_uploads

# Uploads never update a report of the same file name (match_by_name=False), so only "created" is stored.
STORED = ("created",)


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "kind", "report_count")
    list_filter = ("region", "kind")
    search_fields = ("name", "name_key", "region")
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description=gettext_lazy("reports"))
    def report_count(self, association: Association) -> int:
        return association.reports.count()


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = (("order", "level", "anchor"), "heading", "text")


class ScannedPageInline(admin.StackedInline):
    """The pages OCR read, beside the text it read: what staff check the sections against."""

    model = ScannedPage
    extra = 0
    can_delete = False
    fields = (("number", "language", "confidence"), "page_image", "text")
    readonly_fields = ("number", "language", "confidence", "page_image", "text")
    verbose_name_plural = gettext_lazy("scanned pages (read by OCR; correct the text in the sections)")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("page image"))
    def page_image(self, page: ScannedPage) -> str:
        url = page.get_image_url()
        return format_html('<a href="{}"><img src="{}" alt="" width="360" loading="lazy"></a>', url, url)


class WarningStatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("warnings")
    parameter_name = "warnings"

    def lookups(self, request, model_admin):
        return [("yes", _("With warnings")), ("no", _("Without warnings"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_warnings()
        if self.value() == "no":
            return queryset.filter(warnings=[])
        return queryset


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("title", "association", "published", "year", "language", "warning_count", "index_pending")
    list_filter = ("association", "year", "language", WarningStatusFilter, "index_pending")
    list_select_related = ("association",)
    search_fields = ("title", "document_number")
    date_hierarchy = "published"
    autocomplete_fields = ("association",)
    inlines = [SectionInline, ScannedPageInline]
    form = ReportChangeForm
    # The text is edited in its sections; the whole text is made from them on save.
    readonly_fields = ("warning_list", "body", "original_link", "source_name", "content_hash", "index_pending", "created", "updated")
    fieldsets = [
        (None, {"fields": ("title", "document_number", "association", ("published", "year"), "language", "source", "authors")}),
        (gettext_lazy("What the parser noticed"), {"fields": ("warning_list",)}),
        (gettext_lazy("Text"), {"fields": ("body",)}),
        (gettext_lazy("Original file"), {"fields": ("original_link", "source_name", "content_hash", "index_pending", "created", "updated")}),
        (
            gettext_lazy("Warnings as stored"),
            {
                "classes": ("collapse",),
                "fields": ("warnings",),
                "description": gettext_lazy("Remove a warning here once you have corrected what it points at."),
            },
        ),
    ]
    upload_template = "admin/reports/report/upload.html"

    @admin.display(description=gettext_lazy("warnings"))
    def warning_count(self, report: Report) -> int:
        return len(report.warnings)

    @admin.display(description=gettext_lazy("warnings"))
    def warning_list(self, report: Report) -> str:
        if not report.warnings:
            return _("None")
        return format_html(
            '<ul class="report-warnings">{}</ul>',
            format_html_join("", "<li><strong>{}</strong>: {}</li>", ((w.get("kind", ""), w.get("message", "")) for w in report.warnings)),
        )

    @admin.display(description=gettext_lazy("original file"))
    def original_link(self, report: Report) -> str:
        if not report.original:
            return "-"
        # The site's download view, not the storage URL: originals are not served as media.
        return format_html('<a href="{}">{}</a>', reverse("reports:report_original", args=[report.pk]), report.source_name)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        report = form.instance
        body = compose_body(report.sections.order_by("order"))
        if body != report.body:
            report.body = body
            report.save(update_fields=["body", "updated"])

    def add_view(self, request, form_url="", extra_context=None):
        """Files in, reports out: the add page is an upload form, not the model form."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        limit = settings.ARCHIVE_MAX_UPLOAD_BYTES
        if request.method == "POST":
            form = ReportUploadForm(request.POST, request.FILES, max_bytes=limit)
            if form.is_valid():
                return self._stored_response(request, form)
        else:
            form = ReportUploadForm(max_bytes=limit)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Upload reports"),
            "opts": self.opts,
            "form": form,
            "form_url": form_url,
            "has_view_permission": self.has_view_permission(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.upload_template, context)

    def _stored_response(self, request, form: ReportUploadForm):
        stored = []
        for result in store_uploads(form.uploads):
            if result.status in STORED:
                stored.append(result.report)
                self.log_addition(request, result.report, [{"added": {}}])
                messages.success(request, stored_message(result))
            else:
                messages.error(request, refusal_message(Refusal(result.source_name, not_stored_message(result), result.report)))
        if len(stored) == 1:
            return HttpResponseRedirect(reverse("admin:reports_report_change", args=[stored[0].pk]))
        return HttpResponseRedirect(reverse("admin:reports_report_changelist"))


def stored_message(result: IngestResult) -> str:
    link = format_html('<a href="{}">{}</a>', reverse("admin:reports_report_change", args=[result.report.pk]), result.report.title)
    count = len(result.warnings)
    return format_html(
        "“{}”: {} {}",
        result.source_name,
        link,
        ngettext("was stored with %(n)d warning.", "was stored with %(n)d warnings.", count) % {"n": count},
    )


def not_stored_message(result: IngestResult) -> str:
    # Between the check and the store, another upload may have stored the same text.
    if result.status in ("duplicate", "unchanged"):
        return duplicate_message(result.source_name)
    return result.error or _("“%(name)s” was not stored.") % {"name": result.source_name}
