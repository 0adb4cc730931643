"""Associations, their reports, and each report's sections."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.text import script_key


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


class ReportQuerySet(models.QuerySet):
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
        return f"{self.report.get_absolute_url()}#{self.anchor}"

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
        return f"{self.report.get_absolute_url()}#page-{self.number}"

    def get_image_url(self) -> str:
        return reverse("reports:page_image", kwargs={"pk": self.report_id, "number": self.number})
