"""Associations, their reports, and each report's sections."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reports.text import script_key, text_counts


class Language(models.TextChoices):
    SIMPLIFIED = "zh-Hans", _("Simplified Chinese")
    TRADITIONAL = "zh-Hant", _("Traditional Chinese")
    ENGLISH = "en", _("English")


class AssociationQuerySet(models.QuerySet):
    def matching_name(self, name: str):
        """The association with this name in either script (醫學會 finds 医学会)."""
        return self.filter(name_key=script_key(name))


class Association(models.Model):
    name = models.CharField(_("name"), max_length=200, help_text=_("As the reports write it."))
    # The name folded to one script and form, so 河北省醫學會 and 河北省医学会 are one association.
    name_key = models.CharField(max_length=200, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=100, blank=True)

    objects = AssociationQuerySet.as_manager()

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = script_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports:association", kwargs={"slug": self.slug})


# A report is listed under the year it covers or, failing that, the year it was
# published (an undated-but-published report still has a year): in the database
# and in Python alike.
def covered_year(report: "Report") -> int | None:
    return report.year or (report.published.year if report.published else None)


class ReportQuerySet(models.QuerySet):
    def with_covered_year(self):
        """Each report with its ``covered_year`` (see :func:`covered_year`)."""
        return self.annotate(covered_year=Coalesce("year", ExtractYear("published")))

    def for_association(self, association):
        return self.filter(association=association)

    def with_warnings(self):
        return self.exclude(warnings=[])

    def waiting_for_index(self):
        return self.filter(index_pending=True)


def original_upload_to(report: "Report", filename: str) -> str:
    # The content hash keeps two uploads with the same file name apart.
    return f"{report.content_hash[:2]}/{report.content_hash[:16]}/{filename}"


class Report(models.Model):
    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="reports", verbose_name=_("association")
    )
    title = models.CharField(_("title"), max_length=500)
    published = models.DateField(_("publication date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year covered"), null=True, blank=True)
    # 文号: an official document's number ("川医协〔2022〕1号"), searchable through the index's title field.
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    source = models.CharField(_("source publication"), max_length=300, blank=True)
    authors = models.CharField(_("author(s)"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    original = models.FileField(_("original file"), upload_to=original_upload_to, max_length=500)
    source_name = models.CharField(_("file name"), max_length=255, db_index=True)
    # SHA-256 of the decoded text: the same report in another encoding has the same hash.
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True)
    body = models.TextField(_("cleaned text"))
    # Kept with the text (see save()): lists show lengths without reading any text.
    words = models.PositiveIntegerField(_("words"), default=0, editable=False)
    characters = models.PositiveIntegerField(_("characters"), default=0, editable=False)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    index_pending = models.BooleanField(_("waiting for the search index"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # The OAI-PMH datestamp: when the record a harvester receives last changed. Unlike
    # ``updated``, a save that changes nothing a harvester sees (a reindex, a second click
    # on Save) leaves it alone; reports.interop.oai.upkeep keeps both fields.
    metadata_changed = models.DateTimeField(_("catalogue record changed"), default=timezone.now, editable=False)
    metadata_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-year", "title"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["year"], name="report_year_idx"),
            models.Index(fields=["language"], name="report_language_idx"),
            # Harvest pages walk (datestamp, id) from a cursor.
            models.Index(fields=["metadata_changed", "id"], name="report_harvest_cursor_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:report", kwargs={"pk": self.pk})

    def save(self, *args, update_fields=None, **kwargs):
        # The counts follow the text whenever a save writes it (a deferred text is not written).
        if "body" in self.__dict__ and (update_fields is None or "body" in update_fields):
            self.words, self.characters = text_counts(self.body)
            if update_fields is not None:
                update_fields = {*update_fields, "words", "characters"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def has_damage(self) -> bool:
        return any(w.get("kind") in {"damaged", "undecodable", "uncertain"} for w in self.warnings)


class DeletedReport(models.Model):
    """What is kept of a deleted report: enough for harvesters to learn of the deletion.

    OAI-PMH ``deletedRecord`` is ``persistent``: the identifier, the time of deletion and
    the sets the report was in stay for good. Written by reports.interop.oai.upkeep.
    """

    report_id = models.BigIntegerField(_("report number"), primary_key=True)
    deleted = models.DateTimeField(_("deleted"), default=timezone.now)
    # The sets as they were: the association's slug is kept even if the association goes.
    association = models.ForeignKey(
        Association, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("association")
    )
    association_slug = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(_("year covered"), null=True, blank=True)

    class Meta:
        ordering = ["deleted", "report_id"]
        verbose_name = _("deleted report")
        verbose_name_plural = _("deleted reports")
        indexes = [models.Index(fields=["deleted", "report_id"], name="deleted_harvest_cursor_idx")]

    def __str__(self) -> str:
        return f"report {self.report_id}"


class Section(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("order"))
    level = models.PositiveSmallIntegerField(_("level"), default=0, help_text=_("0 for text before the first heading."))
    heading = models.CharField(_("heading"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    anchor = models.SlugField(_("anchor"), max_length=100, allow_unicode=True)

    class Meta:
        ordering = ["report", "order"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["report", "order"], name="section_unique_order"),
            models.UniqueConstraint(fields=["report", "anchor"], name="section_unique_anchor"),
        ]

    def __str__(self) -> str:
        return self.heading or f"§{self.order}"

    def get_absolute_url(self) -> str:
        """The section on its report's page; a long report is read a page at a time (reports.report_pages)."""
        from reports.report_pages import page_url
        from reports.selectors import report_pages

        page = report_pages([self.report_id])[self.report_id].page_of(self.anchor)
        return page_url(self.report.get_absolute_url(), page, self.anchor)

    @property
    def indexed_text(self) -> str:
        """The heading and the text as the search index reads them (its positions count in this)."""
        return "\n".join(part for part in (self.heading, self.text) if part)


def page_image_upload_to(page: "ScannedPage", filename: str) -> str:
    report = page.report
    return f"pages/{report.content_hash[:2]}/{report.content_hash[:16]}/{filename}"


class ScannedPage(models.Model):
    """A page of a report that OCR read: the page as an image, and the text read from it.

    Kept so that readers can check the text against the page, and staff can
    correct the report's sections with the page in view.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="scanned_pages", verbose_name=_("report"))
    number = models.PositiveIntegerField(_("page"), help_text=_("The page's place in the original file, from 1."))
    image = models.FileField(_("page image"), upload_to=page_image_upload_to, max_length=500)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    text = models.TextField(_("text read"), blank=True)
    language = models.CharField(_("read as"), max_length=8, choices=Language.choices)
    confidence = models.FloatField(_("confidence"), help_text=_("Mean confidence of the characters read, 0 to 100."))

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("scanned page")
        verbose_name_plural = _("scanned pages")
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="scanned_page_unique_number")]

    def __str__(self) -> str:
        return _("page %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        """The page beside its part of the text; a long report is read a page at a time (reports.report_pages)."""
        from reports.selectors import scanned_page_url

        return scanned_page_url(self)

    def get_image_url(self) -> str:
        return reverse("reports:page_image", kwargs={"pk": self.report_id, "number": self.number})

def upload_original_to(upload: "Upload", filename: str) -> str:
    # The same layout as a report's, keyed by the bytes' hash: the text's is not known yet.
    return f"{upload.sha256[:2]}/{upload.sha256[:16]}/{filename}"


class UploadQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(state__in=[Upload.State.QUEUED, Upload.State.PROCESSING])

    def retriable(self):
        return self.filter(state__in=[Upload.State.FAILED, Upload.State.REFUSED])

    def in_batch(self, batch):
        return self.filter(batch=batch)


class Upload(models.Model):
    """One file given on the add page, from the moment its bytes are stored until it is a report (or is not)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        PROCESSING = "processing", _("processing")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    name = models.CharField(_("file name"), max_length=255)
    original = models.FileField(_("original file"), upload_to=upload_original_to, max_length=500)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    # Files sent together, shown together on the status page.
    batch = models.UUIDField(_("batch"), db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("uploaded by"),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED, db_index=True)
    # Pages read so far and in all, for documents with pages (both null otherwise).
    progress_done = models.PositiveIntegerField(null=True, blank=True)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    # Why it was refused or failed: a key of reports.ingest.errors.MESSAGES and its params,
    # translated when shown, so each reader sees it in their own language.
    reason_code = models.CharField(_("reason"), max_length=64, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    # The report made from it, or (refused as a duplicate) the report it repeats.
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads", verbose_name=_("report"),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The queued task that reads it (django-tasks' result id), to tell a lost task from a waiting one.
    task_id = models.CharField(max_length=64, blank=True)
    # The reading child's peak resident memory, in KiB, as its parent measured it.
    peak_memory_kb = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    # Touched while a worker reads the file: a stale one means the worker died.
    heartbeat = models.DateTimeField(null=True, blank=True)

    objects = UploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "id"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        indexes = [models.Index(fields=["state", "heartbeat"], name="upload_state_heartbeat_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:reports_upload_batch", kwargs={"batch": self.batch})

    @property
    def reason(self) -> str:
        """Why it was refused or failed, in the active language ("" otherwise)."""
        from reports.ingest.errors import message

        return message(self.reason_code, self.reason_params) if self.reason_code else ""

    @property
    def state_text(self) -> str:
        """The state as staff read it: "processing: page 3 of 20" while pages are read.

        The page named is the one being read (pages done + 1), so the first reads
        "page 1 of 20" rather than "page 0"; the last stays named while the text is stored.
        """
        if self.state == self.State.PROCESSING and self.progress_total:
            reading = min((self.progress_done or 0) + 1, self.progress_total)
            return gettext("processing: page %(done)d of %(total)d") % {"done": reading, "total": self.progress_total}
        return self.get_state_display()

    @property
    def finished_badly(self) -> bool:
        return self.state in (self.State.REFUSED, self.State.FAILED)


class PeriodicRun(models.Model):
    """When each periodic task was last queued, so that several workers queue it once between them."""

    name = models.CharField(max_length=100, primary_key=True)
    next_run = models.DateTimeField()

    class Meta:
        verbose_name = _("periodic task")
        verbose_name_plural = _("periodic tasks")

    def __str__(self) -> str:
        return self.name


def originals_in_use(names=None) -> set[str]:
    """The files of the originals storage that a row keeps (of ``names``, if given).

    A report's original and its scanned pages' images, an upload's original until
    it is done: a done upload's file is its report's, deleting the report deletes
    it, and the upload stays as the record of what was uploaded.
    """
    kept = [
        (Report.objects.all(), "original"),
        (Upload.objects.exclude(state=Upload.State.DONE), "original"),
        (ScannedPage.objects.all(), "image"),
    ]
    found = set()
    for rows, field in kept:
        if names is not None:
            rows = rows.filter(**{f"{field}__in": names})
        found |= set(rows.values_list(field, flat=True))
    return found


def original_in_use(name: str) -> bool:
    return bool(originals_in_use([name]))
