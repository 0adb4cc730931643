from rest_framework import serializers

from reports.models import Association, Report, ScannedPage, Section


class AssociationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Association
        fields = ["name", "slug", "url", "region", "kind"]

    def get_url(self, association: Association) -> str:
        return _absolute(self.context, association.get_absolute_url())


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["anchor", "heading", "level", "text"]


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


class ReportDetailSerializer(ReportSerializer):
    sections = SectionSerializer(many=True, read_only=True)
    # Pages read by OCR (empty for born-digital files): each page's image and the text read from it.
    scanned_pages = ScannedPageSerializer(many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = ReportSerializer.Meta.fields + ["content_hash", "body", "sections", "scanned_pages"]


def _absolute(context: dict, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path
