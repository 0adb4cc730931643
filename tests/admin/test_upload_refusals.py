"""What is refused: over the size limit on the form (nothing stored); anything else by the worker, with its reason.

A file the worker refuses keeps its original (until staff delete the upload)
and gets its reason on the status page, in the reader's language.
"""

import html
import io
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image

from reports.forms import ReportUploadForm
from reports.models import Association, Report, Upload
from tests.admin.conftest import ADD_URL, batch_uploads, change_url
from tests.admin.seeds import seed_text
from tests.documents import make_gif, make_image_pdf, make_png

pytestmark = pytest.mark.django_db


@pytest.fixture
def nothing_stored(media_root):
    """Checks, after the test, that no report, association or original file was written."""
    yield
    assert not Report.objects.exists()
    assert not Association.objects.exists()
    assert not Upload.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


@pytest.fixture
def no_report_stored():
    """Checks, after the test, that no report or association was made (the uploads keep their originals)."""
    yield
    assert not Report.objects.exists()
    assert not Association.objects.exists()


def status_page(staff_client, response) -> str:
    return staff_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "“empty.txt” is empty."),
        ("blank.txt", b"\xef\xbb\xbf\r\n  \r\n", "“blank.txt” is empty."),
        ("photo.txt", make_gif(), "“photo.txt” is a GIF image, not a report we can read."),
        ("blank.png", make_png(), "No text could be read on the pages of “blank.png”."),
        ("noise.txt", bytes(range(256)) * 16, "“noise.txt” is not text in any supported encoding (UTF-8, UTF-16, GB18030, Big5)."),
        ("scan.pdf", make_image_pdf(), "No text could be read on the pages of “scan.pdf”."),
    ],
    ids=["empty", "bom-and-blank-lines", "gif-renamed-txt", "blank-scan", "binary", "scan-without-text"],
)
def test_a_file_that_cannot_be_a_report_is_refused_with_its_reason_and_kept(upload, staff_client, no_report_stored, name, data, message):
    response = upload((name, data))

    (refused,) = batch_uploads(response)
    assert refused.state == "refused"
    with translation.override("en"):
        assert refused.reason.startswith(message)
    assert message in html.unescape(status_page(staff_client, response))
    with refused.original.open("rb") as original:
        assert original.read() == data   # kept until staff delete the upload


def test_a_refusal_is_shown_in_the_readers_language(upload, no_report_stored):
    response = upload(("photo.txt", make_gif()))
    (refused,) = batch_uploads(response)

    assert (refused.reason_code, refused.reason_params) == ("foreign_format", {"name": "photo.txt", "kind": "GIF image"})
    for language, words in [("zh-hans", "是GIF 图像，不是可以读取的报告"), ("zh-hant", "是GIF 圖像，不是可以讀取的報告"),
                            ("en", "is a GIF image, not a report we can read")]:
        page = Client(headers={"accept-language": language})
        page.force_login(get_user_model().objects.get(username="editor"))
        assert words in page.get(response["Location"]).content.decode(), language


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(upload, settings, nothing_stored):
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 4096
    response = upload(("big.txt", seed_text("000").encode("utf-8") * 2))
    # The request is stopped while it streams in (reports.upload_limit), with the limit in the message.
    assert response.status_code == 413
    assert "The upload is too large" in response.content.decode()


def test_a_scanned_page_over_the_pixel_limit_of_the_settings_is_refused(upload, settings, no_report_stored):
    settings.ARCHIVE_MAX_PAGE_PIXELS = 1_000_000
    page = io.BytesIO()
    Image.new("L", (1200, 1000), 255).save(page, "PNG")
    (refused,) = batch_uploads(upload(("big-scan.png", page.getvalue())))
    assert (refused.state, refused.reason_code) == ("refused", "page_too_large")
    with translation.override("en"):
        assert refused.reason == "Page 1 of “big-scan.png” is 1200 × 1000 pixels, over the limit of 1 million pixels for a page."


def test_a_person_sending_a_file_over_the_limit_gets_a_page_that_leads_back_to_the_form(staff_client, settings, nothing_stored):
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 4096
    big = SimpleUploadedFile("big.txt", seed_text("000").encode("utf-8") * 2)
    response = staff_client.post(ADD_URL, {"upload": big}, HTTP_ACCEPT="text/html,application/xhtml+xml")
    page = response.content.decode()
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "The upload is too large" in page or "上传的文件太大" in page
    assert f'href="{ADD_URL}"' in page


@pytest.mark.parametrize("language, heading, said", [
    ("en", "Too many files at once", "At most 2 files can be uploaded at once; this upload had more."),
    ("zh-hans", "一次上传的文件太多", "一次最多上传 2 个文件；这次上传超过了。"),
    ("zh-hant", "一次上傳的文件太多", "一次最多上傳 2 個文件；這次上傳超過了。"),
])
def test_a_person_sending_more_files_than_one_upload_takes_is_told_the_limit_in_their_language(
        staff_client, settings, nothing_stored, language, heading, said):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [SimpleUploadedFile(f"{n}.txt", seed_text("000").encode("utf-8")) for n in range(3)]
    with translation.override("en"):   # what the request activates ends with it
        response = staff_client.post(ADD_URL, {"upload": files}, HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE=language)
    page = html.unescape(response.content.decode())

    assert response.status_code == 400
    assert heading in page and said in page
    assert f'href="{ADD_URL}"' in page   # back to the form, nothing stored


def test_the_files_one_upload_takes_are_a_setting_read_from_the_environment():
    import subprocess
    import sys
    from pathlib import Path

    code = "from archive import settings as s; print(s.DATA_UPLOAD_MAX_NUMBER_FILES)"

    def files_with(**env):
        return subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], capture_output=True,
                              text=True, env={**{k: v for k, v in os.environ.items() if k != "ARCHIVE_MAX_UPLOAD_FILES"}, **env})

    assert files_with().stdout.split() == ["100"]
    assert files_with(ARCHIVE_MAX_UPLOAD_FILES="500").stdout.split() == ["500"]
    refused = files_with(ARCHIVE_MAX_UPLOAD_FILES="0")
    assert refused.returncode != 0 and "ARCHIVE_MAX_UPLOAD_FILES must be between 1" in refused.stderr


def test_the_form_itself_refuses_a_file_over_the_limit_without_reading_it(db):
    data = seed_text("000").encode("utf-8")
    form = ReportUploadForm({}, {"upload": [SimpleUploadedFile("big.txt", data)]}, max_bytes=1024)

    assert not form.is_valid()
    assert form.errors["upload"] == [f"“big.txt” is {len(data) / 1024:.1f} KB, over the limit of 1.0 KB for one file."]


def test_the_same_report_in_another_encoding_is_refused_with_a_link_to_the_stored_one(upload, staff_client):
    first = upload(("hebei-gb18030.txt", seed_text("000").encode("gb18030")))
    assert batch_uploads(first)[0].state == "done"
    stored = Report.objects.get()

    again = upload(("hebei-utf8.txt", seed_text("000").encode("utf-8-sig")))

    (refused,) = batch_uploads(again)
    assert (refused.state, refused.reason_code, refused.report) == ("refused", "duplicate", stored)
    page = status_page(staff_client, again)
    assert "“hebei-utf8.txt” is already in the archive" in html.unescape(page)
    assert f'<a href="{change_url(stored)}">' in page  # rendered as a link, not escaped
    assert Report.objects.count() == 1


def test_the_same_text_twice_in_one_upload_stores_the_first_and_refuses_the_second(upload):
    response = upload(("a.txt", seed_text("001").encode("utf-8")), ("b.txt", seed_text("001").encode("utf-16")))

    first, second = batch_uploads(response)
    assert (first.state, second.state, second.reason_code) == ("done", "refused", "duplicate")
    assert second.report == first.report == Report.objects.get()


def test_one_bad_file_does_not_stop_the_others(upload):
    response = upload(("good.txt", seed_text("001").encode("utf-8")), ("empty.txt", b""))

    good, bad = batch_uploads(response)
    assert (good.state, bad.state, bad.reason_code) == ("done", "refused", "empty")
    assert Report.objects.get().source_name == "good.txt"


def test_a_file_named_like_a_stored_one_is_a_new_report_not_a_replacement(upload):
    upload(("工作总结.txt", seed_text("000").encode("utf-8")))
    upload(("工作总结.txt", seed_text("001").encode("utf-8")))

    assert sorted(Report.objects.values_list("title", flat=True)) == sorted([
        "历久弥坚 继承创新——以党建工作为引领,加强河北省医学会自身发展", "党建引领 久久为功——天津市医学会党建工作纪实",
    ])


def test_no_file_at_all_is_refused(staff_client, nothing_stored):
    response = staff_client.post(ADD_URL, {})
    assert response.status_code == 200 and response.context["form"].errors["upload"]


def test_only_staff_reach_the_upload_page(db):
    anonymous = Client()
    assert anonymous.get(ADD_URL).status_code == 302  # to the login page

    reader = get_user_model().objects.create(username="reader")
    client = Client()
    client.force_login(reader)
    response = client.post(ADD_URL, {"upload": SimpleUploadedFile("a.txt", seed_text("001").encode())})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Report.objects.exists()


def test_staff_without_the_add_permission_are_refused(db):
    clerk = get_user_model().objects.create(username="clerk", is_staff=True)
    client = Client()
    client.force_login(clerk)
    assert client.get(ADD_URL).status_code == 403


def test_staff_download_a_refused_files_kept_original_from_its_upload_page(upload, staff_client, no_report_stored):
    data = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"
    (refused,) = batch_uploads(upload(("报告.svg", data)))
    assert refused.state == "refused"
    page = staff_client.get(f"/admin/reports/upload/{refused.pk}/change/").content.decode()
    download = f"/admin/reports/upload/{refused.pk}/original/"
    assert f'href="{download}"' in page

    response = staff_client.get(download)

    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/octet-stream"   # never run as the SVG it names itself
    assert response["Content-Disposition"].startswith("attachment;") and "%E6%8A%A5%E5%91%8A.svg" in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_an_uploads_original_is_for_staff_who_may_see_uploads(upload, no_report_stored):
    (refused,) = batch_uploads(upload(("empty.txt", b"")))
    download = f"/admin/reports/upload/{refused.pk}/original/"
    outsider = get_user_model().objects.create(username="names-only", is_staff=True)

    assert Client().get(download).status_code == 302   # to the login page
    client = Client()
    client.force_login(outsider)
    assert client.get(download).status_code == 403
