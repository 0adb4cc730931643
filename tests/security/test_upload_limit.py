"""Oversized uploads are refused with 413 before they are read."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory, override_settings

from reports.upload_limit import FORM_OVERHEAD_BYTES, SizeLimitUploadHandler, UploadSizeLimitMiddleware

pytestmark = pytest.mark.django_db

LIMIT = 1000


def never_called(request):
    raise AssertionError("the view must not run for an oversized upload")


@override_settings(ARCHIVE_MAX_UPLOAD_BYTES=LIMIT)
def test_a_declared_length_over_the_limit_is_refused_without_reading_the_body():
    body = io.BytesIO(b"")  # claims a gigabyte, sends nothing: reading it would block or fail
    request = RequestFactory().post("/admin/login/", content_type="application/octet-stream", data=b"")
    request.META["CONTENT_LENGTH"] = str(10**9)
    request.META["wsgi.input"] = body
    response = UploadSizeLimitMiddleware(never_called)(request)
    assert response.status_code == 413
    assert body.tell() == 0
    assert "MB" in response.content.decode()


@override_settings(ARCHIVE_MAX_UPLOAD_BYTES=LIMIT)
def test_a_file_bigger_than_the_limit_is_stopped_while_it_streams_in():
    # Small enough overall to pass the Content-Length check, so only the streaming check can stop it.
    size = LIMIT * 5
    assert size < LIMIT + FORM_OVERHEAD_BYTES
    upload = SimpleUploadedFile("big.txt", b"x" * size, content_type="text/plain")
    response = Client(raise_request_exception=False).post("/admin/login/", {"file": upload})
    assert response.status_code == 413


@override_settings(ARCHIVE_MAX_UPLOAD_BYTES=LIMIT)
def test_an_upload_within_the_limit_goes_through_to_the_view():
    upload = SimpleUploadedFile("small.txt", b"x" * (LIMIT // 2), content_type="text/plain")
    # Reaches the login view, which answers the missing credentials with its form, not a 413.
    response = Client().post("/admin/login/", {"file": upload})
    assert response.status_code == 200


def test_the_streaming_handler_counts_every_chunk_and_passes_it_on():
    handler = SizeLimitUploadHandler(limit=10)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    assert handler.receive_data_chunk(b"67890", 5) == b"67890"
    with pytest.raises(Exception) as raised:
        handler.receive_data_chunk(b"1", 10)
    assert type(raised.value).__name__ == "UploadTooLarge"
