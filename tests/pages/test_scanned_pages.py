"""A report read from scanned pages: the page says so and shows each page image beside its text."""

import io
import json

import pytest
from django.urls import reverse
from PIL import Image

from bench import scans
from reports.ingest import parse_bytes
from reports.ingest.pipeline import store
from reports.models import Report, ScannedPage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def scan():
    """A one-page Simplified scan, read once for the module (OCR takes seconds)."""
    (page,) = scans.render_pages(scans.one_page(scans.load_document("zh-hans"), paragraphs=3))
    data = scans.png_bytes(page)
    return data, parse_bytes(data, filename="scan.png")


@pytest.fixture
def scanned_report(scan) -> Report:
    data, parsed = scan
    return store(parsed, data=data, source_name="scan.png")


def test_the_report_page_says_the_text_comes_from_ocr_and_shows_the_page_beside_its_text(client, scanned_report):
    html = client.get(scanned_report.get_absolute_url()).content.decode()
    assert 'class="notice ocr-notice"' in html and "文字识别" in html
    page = scanned_report.scanned_pages.get()
    assert f'<figure class="scanned-page" id="page-1">' in html
    assert f'src="{page.get_image_url()}" width="{page.width}" height="{page.height}" loading="lazy"' in html
    assert "在省卫生健康委的业务指导" in html


def test_the_page_image_is_served_as_jpeg_whatever_was_uploaded(client, scanned_report):
    response = client.get(reverse("reports:page_image", kwargs={"pk": scanned_report.pk, "number": 1}))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"
    assert client.get(reverse("reports:page_image", kwargs={"pk": scanned_report.pk, "number": 2})).status_code == 404


def test_the_json_twin_lists_the_pages_with_their_images_and_text(client, scanned_report):
    data = json.loads(client.get(reverse("api-report-detail", kwargs={"pk": scanned_report.pk})).content)
    (page,) = data["scanned_pages"]
    assert page["number"] == 1 and page["language"] == "zh-Hans" and page["image"].endswith("/reports/%d/pages/1.jpg" % scanned_report.pk)
    assert "在省卫生健康委的业务指导" in page["text"]


def test_a_born_digital_report_has_no_ocr_notice(client, seed_bytes):
    from reports.ingest import ingest_bytes

    report = ingest_bytes(seed_bytes("000"), filename="000.txt").report
    assert "ocr-notice" not in client.get(report.get_absolute_url()).content.decode()


def test_staff_see_the_pages_on_the_change_page_where_they_correct_the_sections(admin_client, scanned_report):
    html = admin_client.get(reverse("admin:reports_report_change", args=[scanned_report.pk])).content.decode()
    assert scanned_report.scanned_pages.get().get_image_url() in html


def test_deleting_the_report_deletes_its_page_images(scanned_report, django_capture_on_commit_callbacks):
    storage = scanned_report.original.storage
    name = scanned_report.scanned_pages.get().image.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        scanned_report.delete()
    assert not storage.exists(name) and not ScannedPage.objects.exists()
