"""JSON twins of the association pages: the list, and one association with its reports."""

from rest_framework import generics, serializers

from reports import selectors
from reports.api.serializers import AssociationSerializer, ReportSerializer
from reports.models import Association


class AssociationCountSerializer(AssociationSerializer):
    report_count = serializers.IntegerField(read_only=True)

    class Meta(AssociationSerializer.Meta):
        fields = AssociationSerializer.Meta.fields + ["report_count"]


class AssociationDetailSerializer(AssociationCountSerializer):
    reports = serializers.SerializerMethodField()

    class Meta(AssociationCountSerializer.Meta):
        fields = AssociationCountSerializer.Meta.fields + ["reports"]

    def get_reports(self, association: Association) -> list[dict]:
        reports = selectors.association_reports(association).select_related("association")
        return ReportSerializer(reports, many=True, context=self.context).data


class AssociationList(generics.ListAPIView):
    """Every association with its region, kind and number of reports."""

    serializer_class = AssociationCountSerializer

    def get_queryset(self):
        return selectors.associations_with_counts().order_by("region", "name")


class AssociationDetail(generics.RetrieveAPIView):
    """One association and all its reports (without their text), newest year first."""

    serializer_class = AssociationDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.associations_with_counts()
