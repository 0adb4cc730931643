"""Staff uploads: store each file's bytes at once and queue it; a worker reads it later.

``accept_uploads`` is all the web request does: the original goes to the
originals storage, an ``Upload`` row and its task are written in one
transaction (the task queue is a table of the same database, so neither is
ever written without the other). ``process_upload`` runs in the worker: it
reads the file in a capped child, then stores the report, whose original is
the upload's own file (not a copy), or ends the upload ``refused`` (the file
cannot be a report) or ``failed`` (reading had to be stopped, or the server
lacks a tool: reading it again may work).
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from reports.ingest import IngestError, ParsedReport
from reports.ingest.limits import parse_limits_from_settings
from reports.ingest.names import display_name, storage_name
from reports.ingest.pipeline import store
from reports.models import Report, Upload
from reports.processing.reading import ReadingInterrupted, ReadingStopped, read_capped

log = logging.getLogger(__name__)

State = Upload.State
# What ``process_upload`` says of an upload staff deleted before it was read to the end.
DELETED = "deleted"
# Progress is written to the row at most this often (a 5,000-page PDF reports every page).
_PROGRESS_EVERY = 0.5


def accept_uploads(files: Iterable[UploadedFile], *, user=None) -> uuid.UUID:
    """Store the files' bytes and queue each for reading; the batch id for the status page."""
    from reports.processing.tasks import process_upload_task

    batch = uuid.uuid4()
    name_bytes = parse_limits_from_settings().name_bytes
    written: list[Upload] = []
    try:
        with transaction.atomic():
            for file in files:
                upload = Upload(name=display_name(file.name), size=file.size, sha256=_sha256(file),
                                batch=batch, uploaded_by=user)
                file.seek(0)
                upload.original.save(storage_name(upload.name, max_bytes=name_bytes), file, save=False)
                written.append(upload)
                upload.save()
                upload.task_id = str(process_upload_task.enqueue(upload.pk).id)
                upload.save(update_fields=["task_id"])
    except BaseException:
        # The rows are rolled back: their files go too (the orphan sweep catches a crash here).
        for upload in written:
            upload.original.storage.delete(upload.original.name)
        raise
    return batch


def _sha256(file: UploadedFile) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def process_upload(*, upload_id: int) -> str:
    """Read one queued upload and store its report; the state it ends in (or why nothing was done)."""
    now = timezone.now()
    claimed = Upload.objects.filter(pk=upload_id, state=State.QUEUED).update(
        state=State.PROCESSING, started=now, heartbeat=now, finished=None, attempts=F("attempts") + 1,
        progress_done=None, progress_total=None, reason_code="", reason_params={},
    )
    if not claimed:
        return "not queued"   # deleted, or already read by another worker
    upload = Upload.objects.get(pk=upload_id)
    try:
        with upload.original.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):
        return _finish(upload, State.FAILED, "original_missing", {"name": upload.name})

    outcome: list = []
    try:
        parsed = read_capped(data, filename=upload.name, progress=_progress_writer(upload.pk), outcome=outcome)
    except ReadingInterrupted:
        requeue(upload)
        return State.QUEUED
    except ReadingStopped as error:
        return _finish(upload, State.FAILED, error.code, error.params, outcome=outcome)
    except IngestError as error:
        state = State.FAILED if error.not_the_file else State.REFUSED
        return _finish(upload, state, error.code, error.params, outcome=outcome)
    try:
        return _store(upload, parsed, outcome=outcome)
    except Exception as error:   # MemoryError past the worker's own bound, a database error
        log.exception("Storing upload %s (%s) failed", upload.pk, upload.name)
        del parsed
        return _finish(upload, State.FAILED, "store_failed", {"name": upload.name, "error": type(error).__name__}, outcome=outcome)


def _store(upload: Upload, parsed: ParsedReport, *, outcome: list) -> str:
    existing = Report.objects.filter(content_hash=parsed.content_hash).first()
    if existing is None:
        try:
            with transaction.atomic():
                # Held until the report is committed: staff deleting the upload meanwhile
                # wait, and their delete then leaves the file to the report that keeps it.
                if not _hold(upload):
                    return DELETED   # deleted while it was read: its file is gone with it
                report = store(parsed, original=upload.original.name, source_name=upload.name)
            # Done once the commit's index update has run: staff can search for it right away.
            return _finish(upload, State.DONE, report=report, outcome=outcome)
        except IntegrityError:
            # Another upload stored the same text between our check and our insert.
            existing = Report.objects.filter(content_hash=parsed.content_hash).first()
            if existing is None:
                raise
    if existing.original.name == upload.original.name:
        # Stored by an earlier attempt whose worker stopped before it could say so.
        return _finish(upload, State.DONE, report=existing, outcome=outcome)
    return _finish(upload, State.REFUSED, "duplicate", {"name": upload.name}, report=existing, outcome=outcome)


def _finish(upload: Upload, state: str, code: str = "", params: dict | None = None, *,
            report: Report | None = None, outcome: list | None = None) -> str:
    now = timezone.now()
    ended = Upload.objects.filter(pk=upload.pk, state=State.PROCESSING).update(
        state=state, reason_code=code, reason_params=params or {}, report=report, finished=now, heartbeat=now,
        peak_memory_kb=outcome[0].peak_kb if outcome else upload.peak_memory_kb,
    )
    if not ended:
        log.info("Upload %s (%s) was deleted while it was read", upload.pk, upload.name)
        return DELETED
    log.info("Upload %s (%s): %s %s", upload.pk, upload.name, state, code)
    return state


def _hold(upload: Upload) -> bool:
    """Lock the upload's row for the transaction, if it is still being read; whether it is."""
    return bool(Upload.objects.filter(pk=upload.pk, state=State.PROCESSING).update(heartbeat=timezone.now()))


def _progress_writer(upload_id: int):
    last = [0.0]

    def write(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < _PROGRESS_EVERY and done < total:
            return
        last[0] = now
        Upload.objects.filter(pk=upload_id).update(progress_done=done, progress_total=total, heartbeat=timezone.now())

    return write


def requeue(upload: Upload) -> bool:
    """Back to the queue with a fresh task, if it is still being read (its worker stopped); whether it went."""
    from reports.processing.tasks import process_upload_task

    with transaction.atomic():
        # Only from processing: a worker thought dead may have finished it since it was looked at.
        again = Upload.objects.filter(pk=upload.pk, state=State.PROCESSING).update(
            state=State.QUEUED, progress_done=None, progress_total=None, heartbeat=timezone.now(),
        )
        if again:
            Upload.objects.filter(pk=upload.pk).update(task_id=str(process_upload_task.enqueue(upload.pk).id))
    return bool(again)


def retry_uploads(uploads: Iterable[Upload]) -> int:
    """Queue refused and failed uploads to be read again from their kept originals; how many were."""
    from reports.processing.tasks import process_upload_task

    count = 0
    for upload in uploads:
        with transaction.atomic():
            again = Upload.objects.filter(pk=upload.pk, state__in=[State.FAILED, State.REFUSED]).update(
                state=State.QUEUED, reason_code="", reason_params={}, report=None, attempts=0,
                progress_done=None, progress_total=None, started=None, finished=None, heartbeat=None,
                peak_memory_kb=None,
            )
            if again:
                Upload.objects.filter(pk=upload.pk).update(task_id=str(process_upload_task.enqueue(upload.pk).id))
                count += 1
    return count
