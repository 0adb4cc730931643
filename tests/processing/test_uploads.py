"""An upload from stored bytes to a report (or a reason), through the worker's functions in this process."""

import io
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from PIL import Image
from pypdf import PdfReader

from reports.models import Report, Upload
from reports.processing import ReadingInterrupted, accept_uploads, process_upload, retry_uploads, run_queued_tasks
from tests.admin.seeds import seed_lines, seed_text
from tests.documents import make_pdf

pytestmark = pytest.mark.django_db


def accept(*files: tuple[str, bytes]) -> list[Upload]:
    batch = accept_uploads([SimpleUploadedFile(name, data) for name, data in files])
    return list(Upload.objects.filter(batch=batch).order_by("id"))


def files_in(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_accepting_stores_the_bytes_and_queues_a_task_in_one_go(media_root):
    data = seed_text("001").encode("gb18030")
    (upload,) = accept(("天津.txt", data))

    assert (upload.state, upload.size, upload.name) == ("queued", len(data), "天津.txt")
    with upload.original.open("rb") as original:
        assert original.read() == data
    task = DBTaskResult.objects.get(id=upload.task_id)
    assert task.status == TaskResultStatus.READY and task.args_kwargs["args"] == [upload.pk]
    assert not Report.objects.exists()


def test_a_read_upload_becomes_a_report_whose_original_is_the_same_file(media_root, django_capture_on_commit_callbacks):
    (upload,) = accept(("天津.txt", seed_text("001").encode("utf-8")))

    with django_capture_on_commit_callbacks(execute=True):
        assert run_queued_tasks() == 1

    upload.refresh_from_db()
    report = Report.objects.get()
    assert (upload.state, upload.report, upload.reason) == ("done", report, "")
    assert report.original.name == upload.original.name   # not copied
    assert len(files_in(media_root)) == 1
    assert 0 < upload.peak_memory_kb < 1024 * 1024
    assert not report.index_pending   # done means searchable


def test_a_pdfs_pages_are_counted_as_it_is_read(settings):
    lines = seed_lines("003")
    data = make_pdf([lines[:12], lines[12:24], lines[24:]])
    pages = len(PdfReader(io.BytesIO(data)).pages)
    (upload,) = accept(("sichuan.pdf", data))

    process_upload(upload_id=upload.pk)

    upload.refresh_from_db()
    assert upload.state == "done" and pages > 3
    assert (upload.progress_done, upload.progress_total) == (pages, pages)


def watch_progress(monkeypatch, staff_client) -> list[tuple]:
    """What the API and the batch's status page say each time the child reports a page (every report written)."""
    import reports.processing.uploads as uploads

    seen = []
    real_writer = uploads._progress_writer
    monkeypatch.setattr(uploads, "_PROGRESS_EVERY", 0)

    def watching_writer(upload_id: int):
        write = real_writer(upload_id)

        def write_and_look(done: int, total: int) -> None:
            write(done, total)
            shown = staff_client.get(f"/api/uploads/{upload_id}/").json()
            page = staff_client.get(f"/admin/reports/upload/batch/{shown['batch']}/").content.decode()
            said = f"processing: page {min(done + 1, total)} of {total}"   # the page being read
            seen.append((shown["state"], shown["progress"], said if said in page else page))

        return write_and_look

    monkeypatch.setattr(uploads, "_progress_writer", watching_writer)
    return seen


def test_each_page_the_child_reports_is_shown_while_the_file_is_read(monkeypatch, staff_client):
    import reports.processing.reading as reading

    real_parse = reading.parse_bytes

    def paged(data, *, filename, progress, **kwargs):
        # Runs in the capped child: its calls reach the worker through the pipe.
        for page in (1, 2, 3):
            progress(page, 3)
        return real_parse(data, filename=filename, **kwargs)

    monkeypatch.setattr(reading, "parse_bytes", paged)
    seen = watch_progress(monkeypatch, staff_client)
    (upload,) = accept(("天津.txt", seed_text("001").encode("utf-8")))

    assert process_upload(upload_id=upload.pk) == "done"

    assert seen == [("processing", {"done": n, "total": 3}, f"processing: page {min(n + 1, 3)} of 3") for n in (1, 2, 3)]
    upload.refresh_from_db()
    assert (upload.progress_done, upload.progress_total) == (3, 3)


def test_a_scanned_pdf_is_counted_page_by_page_as_ocr_reads_it(monkeypatch, staff_client):
    # Two nearly blank scanned pages: OCR is quick on them and finds nothing, which is refused.
    pages = [Image.new("L", (400, 560), 255) for _ in range(2)]
    pdf = io.BytesIO()
    pages[0].save(pdf, "PDF", resolution=72, save_all=True, append_images=pages[1:])
    seen = watch_progress(monkeypatch, staff_client)
    (upload,) = accept(("scan.pdf", pdf.getvalue()))

    assert process_upload(upload_id=upload.pk) == "refused"

    assert seen[-1][:2] == ("processing", {"done": 2, "total": 2})
    # Told before OCR starts (no page has a text layer), then after each page.
    assert [progress for _, progress, _ in seen] == [{"done": n, "total": 2} for n in (0, 1, 2)]
    assert all(said.startswith("processing: page") for _, _, said in seen)
    upload.refresh_from_db()
    assert (upload.reason_code, upload.progress_done, upload.progress_total) == ("no_text_on_pages", 2, 2)


def test_a_refused_file_keeps_its_original_until_the_upload_is_deleted(media_root, django_capture_on_commit_callbacks):
    (upload,) = accept(("empty.txt", b"   "))
    process_upload(upload_id=upload.pk)
    upload.refresh_from_db()
    assert (upload.state, upload.reason_code) == ("refused", "empty")
    assert len(files_in(media_root)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        upload.delete()

    assert files_in(media_root) == []


def test_deleting_a_done_upload_keeps_the_reports_file_and_deleting_the_report_removes_it(media_root, django_capture_on_commit_callbacks):
    (upload,) = accept(("天津.txt", seed_text("001").encode("utf-8")))
    process_upload(upload_id=upload.pk)
    upload.refresh_from_db()
    report = upload.report

    with django_capture_on_commit_callbacks(execute=True):
        Upload.objects.filter(pk=upload.pk).delete()
    assert len(files_in(media_root)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        report.delete()
    assert files_in(media_root) == []


def test_a_failed_upload_is_read_again_on_retry(monkeypatch, settings):
    import reports.processing.reading as reading

    settings.ARCHIVE_PARSE_SECONDS = 1
    real_parse = reading.parse_bytes
    monkeypatch.setattr(reading, "parse_bytes", lambda data, **kwargs: time.sleep(30))
    (upload,) = accept(("天津.txt", seed_text("001").encode("utf-8")))
    process_upload(upload_id=upload.pk)
    upload.refresh_from_db()
    assert (upload.state, upload.reason_code, upload.reason_params) == ("failed", "too_slow", {"name": "天津.txt", "seconds": 1})

    monkeypatch.setattr(reading, "parse_bytes", real_parse)
    settings.ARCHIVE_PARSE_SECONDS = 60
    assert retry_uploads(Upload.objects.all()) == 1
    upload.refresh_from_db()
    assert (upload.state, upload.reason_code) == ("queued", "")
    run_queued_tasks()

    upload.refresh_from_db()
    assert upload.state == "done" and upload.report.title == "党建引领 久久为功——天津市医学会党建工作纪实"
    assert retry_uploads([upload]) == 0   # a done upload is not read again


def test_a_file_being_read_when_the_worker_stops_goes_back_to_the_queue(monkeypatch):
    import reports.processing.uploads as uploads

    def interrupted(data, **kwargs):
        raise ReadingInterrupted("a.txt")

    monkeypatch.setattr(uploads, "read_capped", interrupted)
    (upload,) = accept(("a.txt", seed_text("001").encode("utf-8")))
    first_task = upload.task_id

    assert process_upload(upload_id=upload.pk) == "queued"

    upload.refresh_from_db()
    assert upload.state == "queued" and upload.task_id != first_task
    assert DBTaskResult.objects.get(id=upload.task_id).status == TaskResultStatus.READY


def test_an_upload_is_read_once_even_if_its_task_runs_twice():
    (upload,) = accept(("天津.txt", seed_text("001").encode("utf-8")))
    process_upload(upload_id=upload.pk)

    assert process_upload(upload_id=upload.pk) == "not queued"
    assert Report.objects.count() == 1


def test_a_long_chinese_file_name_is_kept_and_stored_within_255_bytes(media_root):
    name = "河北省医学会" * 15 + ".txt"   # 90 characters, 270 bytes in UTF-8
    (upload,) = accept((name, seed_text("000").encode("utf-8")))
    process_upload(upload_id=upload.pk)

    upload.refresh_from_db()
    assert upload.state == "done" and upload.report.source_name == name
    (stored,) = files_in(media_root)
    assert len(stored.name.encode("utf-8")) <= 255 and stored.suffix == ".txt"


def test_an_upload_deleted_while_it_is_read_stores_no_report_and_ends_quietly(monkeypatch, media_root, django_capture_on_commit_callbacks):
    import reports.processing.uploads as uploads

    real_read = uploads.read_capped

    def read_while_staff_delete_it(data, **kwargs):
        parsed = real_read(data, **kwargs)
        Upload.objects.get().delete()   # the admin's delete page, between reading and storing
        return parsed

    monkeypatch.setattr(uploads, "read_capped", read_while_staff_delete_it)
    (upload,) = accept(("天津.txt", seed_text("001").encode("utf-8")))

    with django_capture_on_commit_callbacks(execute=True):
        assert process_upload(upload_id=upload.pk) == "deleted"

    assert not Report.objects.exists()   # not a report whose original went with its upload
    assert files_in(media_root) == []


def test_an_upload_deleted_while_it_is_refused_ends_quietly(monkeypatch, media_root, django_capture_on_commit_callbacks):
    import reports.processing.uploads as uploads

    real_read = uploads.read_capped

    def read_while_staff_delete_it(data, **kwargs):
        Upload.objects.get().delete()
        return real_read(data, **kwargs)

    monkeypatch.setattr(uploads, "read_capped", read_while_staff_delete_it)
    (upload,) = accept(("empty.txt", b""))

    with django_capture_on_commit_callbacks(execute=True):
        assert process_upload(upload_id=upload.pk) == "deleted"

    assert not Upload.objects.exists() and files_in(media_root) == []
