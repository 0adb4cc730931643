from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.models import Association, Report, ScannedPage
from reports.report_pages import page_url


class AssociationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Association
        fields = ["name", "slug", "url", "region", "kind"]

    def get_url(self, association: Association) -> str:
        return _absolute(self.context, association.get_absolute_url())


class ReportSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    association = AssociationSerializer(read_only=True)

    class Meta:
        model = Report
        fields = [
            "id", "url", "title", "document_number", "association", "published", "year", "language",
            "source", "authors", "source_name", "warnings",
        ]

    def get_url(self, report: Report) -> str:
        return _absolute(self.context, report.get_absolute_url())


class ScannedPageSerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField()

    class Meta:
        model = ScannedPage
        fields = ["number", "image", "width", "height", "language", "confidence", "text"]

    def get_image(self, page: ScannedPage) -> str:
        return _absolute(self.context, page.get_image_url())


class PageSectionSerializer(serializers.Serializer):
    """A section on a page of the report (``reports.report_pages.PageText``): whole, or one part of a long one."""

    anchor = serializers.CharField(source="section.anchor")
    heading = serializers.CharField(source="section.heading")
    level = serializers.IntegerField(source="section.level")
    text = serializers.CharField()
    part = serializers.SerializerMethodField(help_text="Which part of the section this is, from 1.")
    parts = serializers.IntegerField(source="piece.parts", help_text="How many pages the section is cut over (1: none).")

    def get_part(self, item) -> int:
        return item.piece.part + 1


class ContentsEntrySerializer(serializers.Serializer):
    anchor = serializers.CharField()
    heading = serializers.CharField()
    level = serializers.IntegerField()
    page = serializers.IntegerField(help_text="The page of the report (`?page=`) where the section begins.")


class PagesSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    number = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class ReportDetailSerializer(ReportSerializer):
    """A report and one page of its text, as on its page; ``context["page"]`` is a ``ReportPage``."""

    body = serializers.SerializerMethodField(
        help_text="The whole cleaned text when it fits on one page; null for a longer report, read in `sections` page by page.")
    sections = serializers.SerializerMethodField()
    contents = serializers.SerializerMethodField()
    pages = serializers.SerializerMethodField()
    # Pages read by OCR (empty for born-digital files), the ones beside this page of the text:
    # each page's image and the text read from it.
    scanned_pages = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = ReportSerializer.Meta.fields + ["content_hash", "body", "sections", "contents", "pages", "scanned_pages"]

    def get_body(self, report: Report) -> str | None:
        return report.body if self.context["page"].count == 1 else None

    @extend_schema_field(PageSectionSerializer(many=True))
    def get_sections(self, report: Report) -> list[dict]:
        return PageSectionSerializer(self.context["page"].shown, many=True).data

    @extend_schema_field(ContentsEntrySerializer(many=True))
    def get_contents(self, report: Report) -> list[dict]:
        return [{"anchor": entry.anchor, "heading": entry.heading, "level": entry.level, "page": page}
                for entry, page in self.context["page"].outline]

    @extend_schema_field(PagesSerializer)
    def get_pages(self, report: Report) -> dict:
        page = self.context["page"]

        def url(number: int) -> str | None:
            if not 1 <= number <= page.count:
                return None
            return _absolute(self.context, page_url(reverse("api-report-detail", kwargs={"pk": report.pk}), number))

        return {"count": page.count, "number": page.number, "next": url(page.number + 1), "previous": url(page.number - 1)}

    @extend_schema_field(ScannedPageSerializer(many=True))
    def get_scanned_pages(self, report: Report) -> list[dict]:
        return ScannedPageSerializer(self.context["page"].scanned_pages, many=True, context=self.context).data


def _absolute(context: dict, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path
