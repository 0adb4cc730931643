"""/api/uploads/: each uploaded file's state as JSON, for staff only."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from reports.models import Upload
from reports.processing import accept_uploads, process_upload
from tests.admin.conftest import media_root, search_index  # noqa: F401 - autouse fixtures
from tests.admin.seeds import seed_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploads():
    batch = accept_uploads([SimpleUploadedFile("tianjin.txt", seed_text("001").encode()),
                            SimpleUploadedFile("empty.txt", b""), SimpleUploadedFile("waiting.txt", b"text")])
    done, refused, queued = Upload.objects.filter(batch=batch).order_by("id")
    process_upload(upload_id=done.pk)
    process_upload(upload_id=refused.pk)
    Upload.objects.filter(pk=queued.pk).update(state="processing", progress_done=3, progress_total=20)
    done.refresh_from_db()
    return done, refused, queued


def client_for(*permissions: str, **user) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user:
        account = get_user_model().objects.create(**user)
        account.user_permissions.set(Permission.objects.filter(codename__in=permissions))
        client.force_login(account)
    return client


def editor() -> Client:
    """A staff member who may look at uploads in the admin."""
    return client_for("view_upload", username="editor", is_staff=True)


@pytest.mark.parametrize("who", [{}, {"username": "reader"}], ids=["anonymous", "not-staff"])
def test_only_staff_see_uploads(uploads, who):
    client = client_for(**who)
    for path in ("/api/uploads/", f"/api/uploads/{uploads[0].pk}/"):
        response = client.get(path)
        assert response.status_code in (401, 403)
        assert "tianjin" not in response.content.decode()


def test_staff_who_may_not_see_uploads_in_the_admin_do_not_see_them_as_json_either(uploads):
    client = client_for("view_association", username="names-only", is_staff=True)
    assert client.get(f"/admin/reports/upload/batch/{uploads[0].batch}/").status_code == 403

    for path in ("/api/uploads/", f"/api/uploads/{uploads[0].pk}/"):
        response = client.get(path)
        assert response.status_code == 403
        assert "tianjin" not in response.content.decode()


def test_staff_see_each_file_with_its_state_reason_progress_and_report(uploads):
    done, refused, processing = uploads
    response = editor().get("/api/uploads/")

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert rows["tianjin.txt"] | {"created": None, "started": None, "finished": None, "peak_memory_kb": None} == {
        "id": done.pk, "name": "tianjin.txt", "state": "done", "reason": "", "reason_code": "", "progress": None,
        "report": f"http://testserver/reports/{done.report_id}/", "batch": str(done.batch), "size": done.size,
        "created": None, "started": None, "finished": None, "peak_memory_kb": None,
    }
    assert rows["empty.txt"]["state"] == "refused" and rows["empty.txt"]["reason"] == "“empty.txt” is empty."
    assert rows["empty.txt"]["report"] is None
    assert rows["waiting.txt"]["progress"] == {"done": 3, "total": 20}


def test_one_upload_and_the_filters(uploads):
    done, refused, _ = uploads
    client = editor()

    assert client.get(f"/api/uploads/{refused.pk}/").json()["reason_code"] == "empty"
    assert [row["name"] for row in client.get("/api/uploads/", {"state": "refused"}).json()["results"]] == ["empty.txt"]
    assert client.get("/api/uploads/", {"batch": str(done.batch)}).json()["count"] == 3
    assert client.get("/api/uploads/", {"batch": "not-a-uuid"}).json()["count"] == 0
    assert client.get("/api/uploads/999999/").status_code == 404
