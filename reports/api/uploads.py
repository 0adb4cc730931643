"""JSON twin of the upload status pages, for staff only: each uploaded file, its state and why."""

import uuid

from rest_framework import generics, permissions, serializers

from reports.api.serializers import _absolute
from reports.models import Upload


class MayViewUploads(permissions.BasePermission):
    """Staff who may look at uploads in the admin: the JSON twin asks what its page asks."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        # As ModelAdmin.has_view_permission: the view or the change permission.
        return bool(user and user.is_active and user.is_staff
                    and (user.has_perm("reports.view_upload") or user.has_perm("reports.change_upload")))


class UploadSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(read_only=True)
    progress = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()

    class Meta:
        model = Upload
        fields = ["id", "name", "state", "reason", "reason_code", "progress", "report", "batch", "size", "created", "started",
                  "finished", "peak_memory_kb"]

    def get_progress(self, upload: Upload) -> dict | None:
        """Pages read and in all, for documents with pages; null otherwise."""
        if upload.progress_total is None:
            return None
        return {"done": upload.progress_done or 0, "total": upload.progress_total}

    def get_report(self, upload: Upload) -> str | None:
        """The report made from the file or, for a duplicate, the one it repeats."""
        return _absolute(self.context, upload.report.get_absolute_url()) if upload.report else None


class UploadList(generics.ListAPIView):
    """Uploaded files, newest first; ``?state=`` and ``?batch=`` narrow the list."""

    serializer_class = UploadSerializer
    permission_classes = [MayViewUploads]

    def get_queryset(self):
        uploads = Upload.objects.select_related("report")
        if state := self.request.query_params.get("state"):
            uploads = uploads.filter(state=state)
        if batch := self.request.query_params.get("batch"):
            try:
                uploads = uploads.filter(batch=uuid.UUID(batch))
            except ValueError:
                return Upload.objects.none()
        return uploads


class UploadDetail(generics.RetrieveAPIView):
    serializer_class = UploadSerializer
    permission_classes = [MayViewUploads]
    queryset = Upload.objects.select_related("report")
