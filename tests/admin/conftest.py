"""Fixtures for the admin tests: a staff client that reads English, files to upload, private storage."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reports.models import Upload
from reports.processing import run_queued_tasks
from tests.search_index import index_at

ADD_URL = "/admin/reports/report/add/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # Each test keeps its originals in a folder of its own, never the data directory.
    settings.MEDIA_ROOT = tmp_path / "originals"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def search_index(tmp_path):
    # Each test gets an index of its own (the search engineer's helper swaps haystack's connection).
    with index_at(tmp_path / "whoosh_index") as path:
        yield path


@pytest.fixture
def staff_user(db):
    # No password: force_login needs none, and hashing one costs a third of a second per test.
    return get_user_model().objects.create(username="editor", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(staff_user):
    # The admin is checked in English, the language the messages are written in (the site defaults to 简体).
    client = Client(headers={"accept-language": "en"})
    client.force_login(staff_user)
    return client


@pytest.fixture
def upload(staff_client):
    """POST files to the add page, then let the worker read them: upload(("name.txt", b"bytes"), ...) -> the response.

    The queued tasks run here, in the test's process and transaction, through the
    worker's own code (``run_queued_tasks``); tests/processing has the real worker process.
    """

    def post(*files: tuple[str, bytes], client: Client | None = None, work: bool = True):
        data = {"upload": [SimpleUploadedFile(name, content) for name, content in files]}
        response = (client or staff_client).post(ADD_URL, data)
        if work:
            run_queued_tasks()
        return response

    return post


def batch_uploads(response) -> list[Upload]:
    """The uploads of the batch the add page answered with (it redirects to their status page)."""
    assert response.status_code == 302, getattr(response, "context", None) and response.context["form"].errors
    match = re.fullmatch(r"/admin/reports/upload/batch/([0-9a-f-]+)/", response["Location"])
    assert match, response["Location"]
    return list(Upload.objects.filter(batch=match.group(1)).order_by("id"))


def change_url(report) -> str:
    return reverse("admin:reports_report_change", args=[report.pk])


STAFF = [("editor-a", "Upload-test password A 7391"), ("editor-b", "Upload-test password B 2846")]


@pytest.fixture(scope="session")
def upload_server(tmp_path_factory):
    """A gunicorn of the admin tests' own (3 workers, empty archive, two staff accounts) and its background worker.

    Not the shared seeded server: uploads here would change what the reading tests count.
    """
    from tests.server.gunicorn import running_gunicorn

    with running_gunicorn(tmp_path_factory.mktemp("upload-server"), seeds=False, workers=3, worker=True) as server:
        accounts = ", ".join(f"({name!r}, {password!r})" for name, password in STAFF)
        server.manage("shell", "-c", (
            "from django.contrib.auth import get_user_model\n"
            f"for name, password in [{accounts}]:\n"
            "    get_user_model().objects.create_superuser(name, f'{name}@example.org', password)\n"
        ))
        yield server
