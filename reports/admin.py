"""The admin for staff: associations, and reports with their sections.

The report add page takes files only (everything else is read from them):
it stores them and queues them (reports.processing), and the staff member
lands on the batch's status page, which the upload admin also serves. Index
updates follow saves and deletes through reports.signals; a deleted report's
or upload's original file goes through reports.services.originals.
"""

import uuid

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Length, Substr
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reports.admin_paging import PagedInlineMixin
from reports.display import render_paragraphs
from reports.forms import ReportChangeForm, ReportUploadForm
from reports.ingest.errors import message as reason_message
from reports.ingest.pipeline import compose_body
from reports.models import Association, Report, ScannedPage, Section, Upload
from reports.originals import original_download
from reports.processing import accept_uploads, queue_reindex, retry_uploads

# Characters of the whole text shown on a report's change page (the text is edited in its sections).
BODY_SHOWN = 2000


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "kind", "report_count")
    list_filter = ("region", "kind")
    search_fields = ("name", "name_key", "region")
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description=gettext_lazy("reports"))
    def report_count(self, association: Association) -> int:
        return association.reports.count()


class SectionInline(PagedInlineMixin, admin.StackedInline):
    """The report's sections, a page of them at a time: a report may have thousands."""

    model = Section
    extra = 0
    fields = (("order", "level", "anchor"), "heading", "text")
    page_parameter = "sections"
    order_field = "order"


class ScannedPageInline(PagedInlineMixin, admin.StackedInline):
    """The pages OCR read, beside the text it read: what staff check the sections against."""

    model = ScannedPage
    page_parameter = "scans"
    order_field = "number"
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
    readonly_fields = ("warning_list", "body_opening", "original_link", "source_name", "content_hash", "index_pending", "created", "updated")
    fieldsets = [
        (None, {"fields": ("title", "document_number", "association", ("published", "year"), "language", "source", "authors")}),
        (gettext_lazy("What the parser noticed"), {"fields": ("warning_list",)}),
        (gettext_lazy("Text"), {"fields": ("body_opening",)}),
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

    def get_queryset(self, request):
        # Never the whole text for a list or a form: it is megabytes in a big report.
        return super().get_queryset(request).defer("body").annotate(
            body_length=Length("body"), body_start=Substr("body", 1, BODY_SHOWN))

    @admin.display(description=gettext_lazy("cleaned text"))
    def body_opening(self, report: Report) -> str:
        """The start of the whole text; all of it is edited section by section below."""
        length = getattr(report, "body_length", None) or 0
        opening = render_paragraphs(getattr(report, "body_start", "") or "")
        if length <= BODY_SHOWN:
            return opening
        return format_html(
            '{}<p>…</p><p class="help">{}</p>', opening,
            ngettext("The first %(shown)s of its %(length)s character; edit the text in its sections.",
                     "The first %(shown)s of its %(length)s characters; edit the text in its sections.", length)
            % {"shown": f"{BODY_SHOWN:,}", "length": f"{length:,}"},
        )

    @admin.display(description=gettext_lazy("original file"))
    def original_link(self, report: Report) -> str:
        if not report.original:
            return "-"
        # The site's download view, not the storage URL: originals are not served as media.
        return format_html('<a href="{}">{}</a>', reverse("reports:report_original", args=[report.pk]), report.source_name)

    actions = ["reindex"]

    @admin.action(description=gettext_lazy("Rebuild the search index entries of the selected reports (in the background)"))
    def reindex(self, request, queryset):
        count = queue_reindex(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, ngettext(
            "%(n)d report queued for the search index.", "%(n)d reports queued for the search index.", count,
        ) % {"n": count})

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
        """The files are kept and queued; the staff member watches them on the batch's status page."""
        batch = accept_uploads(form.cleaned_data["upload"], user=request.user)
        for upload in Upload.objects.in_batch(batch):
            self.log_addition(request, upload, [{"added": {}}])
        return HttpResponseRedirect(reverse("admin:reports_upload_batch", kwargs={"batch": batch}))


class UploadStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Upload.State.choices

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    """Every uploaded file and how far it got; uploads are added on the report add page."""

    list_display = ("name", "state_shown", "reason_shown", "report_link", "size", "uploaded_by", "created")
    list_filter = (UploadStateFilter, "created")
    list_select_related = ("report", "uploaded_by")
    search_fields = ("name", "sha256")
    date_hierarchy = "created"
    actions = ["retry"]
    fields = ("name", "state_shown", "reason_shown", "report_link", "batch_link", "size", "sha256", "original_link",
              "uploaded_by", "attempts", "peak_memory", "created", "started", "finished")
    readonly_fields = fields
    batch_template = "admin/reports/upload/batch.html"
    change_form_template = "admin/reports/upload/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False   # read-only: what happened to a file is not edited; retry is its own action

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_retry": self.has_retry_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path("batch/<uuid:batch>/", self.admin_site.admin_view(self.batch_view), name="reports_upload_batch"),
            path("<int:pk>/retry/", self.admin_site.admin_view(self.retry_view), name="reports_upload_retry"),
            path("<int:pk>/original/", self.admin_site.admin_view(self.original_view), name="reports_upload_original"),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("state"), ordering="state")
    def state_shown(self, upload: Upload) -> str:
        return upload.state_text

    @admin.display(description=gettext_lazy("reason"))
    def reason_shown(self, upload: Upload) -> str:
        return upload.reason or "-"

    @admin.display(description=gettext_lazy("report"))
    def report_link(self, upload: Upload) -> str:
        if upload.report is None:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("admin:reports_report_change", args=[upload.report.pk]), upload.report.title)

    @admin.display(description=gettext_lazy("batch"))
    def batch_link(self, upload: Upload) -> str:
        return format_html('<a href="{}">{}</a>', upload.get_absolute_url(), _("All files uploaded with it"))

    @admin.display(description=gettext_lazy("original file"))
    def original_link(self, upload: Upload) -> str:
        # A view of the admin's own, not the storage URL: originals are not served as media.
        return format_html('<a href="{}">{}</a>', reverse("admin:reports_upload_original", args=[upload.pk]), upload.name)

    @admin.display(description=gettext_lazy("peak memory while read"))
    def peak_memory(self, upload: Upload) -> str:
        return f"{upload.peak_memory_kb / 1024:.0f} MB" if upload.peak_memory_kb else "-"

    def has_retry_permission(self, request, obj=None) -> bool:
        # Reading a file again may store a report.
        return request.user.has_perm("reports.add_report")

    @admin.action(description=gettext_lazy("Read the selected refused or failed files again"), permissions=["retry"])
    def retry(self, request, queryset):
        count = retry_uploads(queryset.retriable())
        self.message_user(request, ngettext("%(n)d file queued again.", "%(n)d files queued again.", count) % {"n": count})

    def batch_view(self, request, batch: uuid.UUID):
        """The files sent together, each with its state; the page refreshes itself while any is unfinished."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        uploads = list(Upload.objects.in_batch(batch).select_related("report").order_by("id"))
        if not uploads:
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "title": _("Uploaded files"),
            "opts": self.opts,
            "uploads": uploads,
            "unfinished": any(u.state in (Upload.State.QUEUED, Upload.State.PROCESSING) for u in uploads),
            "can_retry": self.has_retry_permission(request),
            "has_view_permission": True,
        }
        return TemplateResponse(request, self.batch_template, context)

    def original_view(self, request, pk: int):
        """The file as it was uploaded: what staff look at to see why it was refused, until they delete it."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        upload = Upload.objects.filter(pk=pk).first()
        if upload is None:
            raise Http404
        if not self.has_view_permission(request, upload):
            raise PermissionDenied
        return original_download(upload.original, filename=upload.name,
                                 missing=reason_message("original_missing", {"name": upload.name}))

    def retry_view(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_retry_permission(request):
            raise PermissionDenied
        upload = Upload.objects.filter(pk=pk).first()
        if upload is None:
            raise Http404
        if retry_uploads([upload]):
            self.message_user(request, _("“%(name)s” is queued to be read again.") % {"name": upload.name})
        return HttpResponseRedirect(upload.get_absolute_url())

