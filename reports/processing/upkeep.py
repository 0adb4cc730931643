"""Periodic upkeep: stalled uploads back to the queue, orphan files removed, old task results let go.

An orphan is a file in the originals storage that no report and no upload
keeps: written for a row whose transaction never committed (a crash, a
rollback). Only files older than ``ARCHIVE_ORPHAN_AGE_SECONDS`` count, since a
file is written just before the row that keeps it is committed.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports.models import Upload, original_in_use, originals_in_use
from reports.processing.uploads import requeue

log = logging.getLogger(__name__)

# A worker that died while reading is noticed this long after the reading's own cap.
_STALL_GRACE = timedelta(minutes=5)
# An upload whose worker died this many times is not tried again by itself.
MAX_ATTEMPTS = 3


def sweep(*, now: datetime | None = None) -> dict:
    """The periodic upkeep: what it did, for the task's result."""
    stalled = recover_stalled_uploads(now=now)
    removed = remove_orphan_originals(find_orphan_originals(now=now))
    return {"requeued": stalled["requeued"], "failed": stalled["failed"], "orphans_removed": len(removed),
            "task_results_removed": prune_task_results(now=now)}


def prune_task_results(*, now: datetime | None = None) -> int:
    """Finished tasks' results older than ``ARCHIVE_TASK_RESULT_DAYS`` deleted; how many.

    The queue keeps one row per task run, and the workers queue a few hundred a
    day by themselves (the periodic upkeep): kept for ever, the table only grows.
    """
    before = (now or timezone.now()) - timedelta(days=settings.ARCHIVE_TASK_RESULT_DAYS)
    removed, _ = DBTaskResult.objects.finished().filter(finished_at__lte=before).delete()
    return removed


def recover_stalled_uploads(*, now: datetime | None = None) -> dict:
    """Uploads left ``processing`` by a worker that died go back to the queue (or fail after a few tries)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.ARCHIVE_PARSE_SECONDS) - _STALL_GRACE
    counts = {"requeued": 0, "failed": 0}
    for upload in Upload.objects.filter(state=Upload.State.PROCESSING, heartbeat__lt=cutoff):
        if upload.attempts >= MAX_ATTEMPTS:
            # Only if it is still as it was looked at: its worker may have finished it since.
            ended = Upload.objects.filter(pk=upload.pk, state=Upload.State.PROCESSING, heartbeat__lt=cutoff).update(
                state=Upload.State.FAILED, reason_code="worker_stopped",
                reason_params={"name": upload.name, "times": upload.attempts}, finished=now,
            )
            outcome = "failed" if ended else ""
        else:
            outcome = "requeued" if requeue(upload) else ""
        if outcome:
            counts[outcome] += 1
            log.warning("Upload %s (%s) was left processing by a stopped worker", upload.pk, upload.name)
    return counts


def find_orphan_originals(*, now: datetime | None = None, min_age_seconds: int | None = None) -> list[str]:
    """Names (in the originals storage) of files no report or upload keeps, older than the age threshold."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    age = settings.ARCHIVE_ORPHAN_AGE_SECONDS if min_age_seconds is None else min_age_seconds
    before = (now or timezone.now()).timestamp() - age
    candidates = []
    for folder, _dirs, files in os.walk(root):
        for file in files:
            path = Path(folder, file)
            try:
                if path.stat().st_mtime <= before:
                    candidates.append(path.relative_to(root).as_posix())
            except FileNotFoundError:
                continue   # removed meanwhile
    if not candidates:
        return []
    # Read after the listing: a row committed meanwhile keeps its file.
    kept = originals_in_use()
    return sorted(name for name in candidates if name not in kept)


def remove_orphan_originals(names: list[str]) -> list[str]:
    # Folders are left in place, empty or not: one may be getting a new file right now.
    removed = []
    for name in names:
        if original_in_use(name):
            continue   # adopted since it was found
        default_storage.delete(name)
        removed.append(name)
        log.warning("Removed the orphan original %s (no report or upload keeps it)", name)
    return removed
