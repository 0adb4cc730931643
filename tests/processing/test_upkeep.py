"""The periodic upkeep: queued once between workers, stalled uploads recovered, orphan originals removed."""

import os
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reports.models import Upload
from reports.processing import (
    accept_uploads,
    find_orphan_originals,
    queue_due_tasks,
    recover_stalled_uploads,
    remove_orphan_originals,
    run_queued_tasks,
    sweep,
)
from reports.processing.upkeep import MAX_ATTEMPTS
from tests.admin.seeds import seed_text

pytestmark = pytest.mark.django_db


def waiting(task_name: str) -> int:
    return DBTaskResult.objects.filter(task_path__endswith=task_name, status=TaskResultStatus.READY).count()


def test_periodic_tasks_are_queued_once_when_due_however_many_workers_ask(settings):
    settings.ARCHIVE_CATCH_UP_SECONDS = 300
    settings.ARCHIVE_SWEEP_SECONDS = 3600
    now = timezone.now()

    assert sorted(queue_due_tasks(now=now)) == ["catch_up_index", "sweep"]   # the first start catches up
    assert queue_due_tasks(now=now) == []                                       # a second worker, same moment
    assert queue_due_tasks(now=now + timedelta(seconds=299)) == []
    assert (waiting("catch_up_index_task"), waiting("sweep_task")) == (1, 1)

    run_queued_tasks()
    assert queue_due_tasks(now=now + timedelta(seconds=301)) == ["catch_up_index"]
    assert queue_due_tasks(now=now + timedelta(seconds=3601)) == ["sweep"]


def test_a_periodic_task_still_waiting_is_not_queued_again():
    now = timezone.now()
    queue_due_tasks(now=now)   # nobody runs them: the workers are busy

    assert queue_due_tasks(now=now + timedelta(days=1)) == []
    assert (waiting("catch_up_index_task"), waiting("sweep_task")) == (1, 1)


def stalled_upload(*, attempts: int) -> Upload:
    batch = accept_uploads([SimpleUploadedFile("a.txt", seed_text("001").encode())])
    upload = Upload.objects.get(batch=batch)
    long_ago = timezone.now() - timedelta(hours=2)
    Upload.objects.filter(pk=upload.pk).update(state="processing", heartbeat=long_ago, attempts=attempts)
    return upload


def test_an_upload_left_processing_by_a_dead_worker_goes_back_to_the_queue_then_fails_after_a_few_tries(settings):
    settings.ARCHIVE_PARSE_SECONDS = 60
    again = stalled_upload(attempts=1)
    given_up = stalled_upload(attempts=MAX_ATTEMPTS)
    busy = Upload.objects.create(name="b.txt", size=1, sha256="0" * 64, batch=again.batch, state="processing",
                                 heartbeat=timezone.now(), attempts=1)

    assert recover_stalled_uploads() == {"requeued": 1, "failed": 1}

    again.refresh_from_db(), given_up.refresh_from_db(), busy.refresh_from_db()
    assert again.state == "queued" and DBTaskResult.objects.get(id=again.task_id).status == TaskResultStatus.READY
    assert (given_up.state, given_up.reason_code) == ("failed", "worker_stopped")
    assert busy.state == "processing"   # its worker is still within the reading's time cap


def age(path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_the_sweep_removes_old_orphans_and_keeps_young_files_and_files_rows_keep(settings, media_root):
    settings.ARCHIVE_ORPHAN_AGE_SECONDS = 600
    batch = accept_uploads([SimpleUploadedFile("queued.txt", seed_text("001").encode())])
    queued = Upload.objects.get(batch=batch)
    kept = media_root / queued.original.name
    orphan = media_root / "zz" / "crashed-before-commit.txt"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x")
    young = media_root / "zz" / "being-written.txt"
    young.write_bytes(b"y")
    age(orphan, 700)
    age(kept, 700)

    assert find_orphan_originals() == ["zz/crashed-before-commit.txt"]
    assert sweep()["orphans_removed"] == 1
    assert not orphan.exists() and young.exists() and kept.exists()


def test_an_orphan_adopted_after_it_was_found_is_not_removed(settings, media_root):
    settings.ARCHIVE_ORPHAN_AGE_SECONDS = 0
    batch = accept_uploads([SimpleUploadedFile("late.txt", b"text")])
    upload = Upload.objects.get(batch=batch)
    Upload.objects.filter(pk=upload.pk).update(original="")
    found = find_orphan_originals()
    assert found == [upload.original.name]
    Upload.objects.filter(pk=upload.pk).update(original=upload.original.name)   # committed meanwhile

    assert remove_orphan_originals(found) == []
    assert (media_root / upload.original.name).exists()


def test_staff_can_queue_reports_for_reindexing_and_the_worker_does_it(staff_client, own_search_index):
    from reports.ingest import ingest_bytes
    from reports.models import Report
    from reports.search import SearchParams, matching_report_ids, unindex_report

    report = ingest_bytes(seed_text("001").encode(), filename="tianjin.txt").report
    unindex_report(report.pk)   # the index lost it
    assert report.pk not in matching_report_ids(SearchParams(q="天津市医学会"))

    response = staff_client.post("/admin/reports/report/", {"action": "reindex", "_selected_action": [report.pk]})
    assert response.status_code == 302
    assert waiting("reindex_reports_task") == 1
    run_queued_tasks()

    assert report.pk in matching_report_ids(SearchParams(q="天津市医学会"))
    assert not Report.objects.get(pk=report.pk).index_pending


def test_an_upload_its_worker_finishes_while_the_sweep_looks_is_not_queued_again(settings, monkeypatch):
    import reports.processing.upkeep as upkeep

    settings.ARCHIVE_PARSE_SECONDS = 60
    upload = stalled_upload(attempts=1)
    first_task = upload.task_id
    real_requeue = upkeep.requeue

    def finished_meanwhile(stalled):
        # The slow worker was alive after all: it stores the report between the sweep's look and its requeue.
        Upload.objects.filter(pk=stalled.pk).update(state="done")
        real_requeue(stalled)

    monkeypatch.setattr(upkeep, "requeue", finished_meanwhile)
    recover_stalled_uploads()

    upload.refresh_from_db()
    assert (upload.state, upload.task_id) == ("done", first_task)
    assert waiting("process_upload_task") == 1   # the first task only: it will find the upload not queued


def test_a_worker_puts_back_an_upload_a_dead_worker_left_long_before_the_hourly_sweep(settings, monkeypatch):
    from reports.processing import WorkerLoop

    # The test's transaction is the connection: the loop must not close it between turns.
    monkeypatch.setattr("reports.processing.worker.close_old_connections", lambda: None)
    settings.ARCHIVE_PARSE_SECONDS = 60
    settings.ARCHIVE_SWEEP_SECONDS = 3600
    queue_due_tasks()
    run_queued_tasks()   # the sweep has just run: the next is an hour away
    upload = stalled_upload(attempts=1)   # its worker was killed (SIGKILL) while reading it
    Upload.objects.filter(pk=upload.pk).update(task_id="")
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(status=TaskResultStatus.RUNNING)

    loop = WorkerLoop(interval=0)
    while loop.tick():
        pass

    upload.refresh_from_db()
    assert (upload.state, upload.report.title) == ("done", "党建引领 久久为功——天津市医学会党建工作纪实")


def test_the_sweep_lets_go_of_finished_task_results_after_a_fortnight(settings):
    settings.ARCHIVE_TASK_RESULT_DAYS = 14
    queue_due_tasks()
    run_queued_tasks()   # two finished results, one an hour from now
    old, recent = DBTaskResult.objects.order_by("enqueued_at")
    DBTaskResult.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=15))
    waiting_long = accept_uploads([SimpleUploadedFile("a.txt", seed_text("001").encode())])
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(enqueued_at=timezone.now() - timedelta(days=30))

    assert sweep()["task_results_removed"] == 1

    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
    assert DBTaskResult.objects.filter(pk=recent.pk).exists()
    assert DBTaskResult.objects.filter(id=Upload.objects.get(batch=waiting_long).task_id).exists()   # not run yet


def test_how_long_task_results_are_kept_is_a_setting_read_from_the_environment():
    import subprocess
    import sys
    from pathlib import Path

    def days_with(**env) -> subprocess.CompletedProcess:
        code = "from archive import settings as s; print(s.ARCHIVE_TASK_RESULT_DAYS)"
        clean = {k: v for k, v in os.environ.items() if k != "ARCHIVE_TASK_RESULT_DAYS"}
        return subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2],
                              env={**clean, **env}, capture_output=True, text=True)

    assert days_with().stdout.split() == ["14"]
    assert days_with(ARCHIVE_TASK_RESULT_DAYS="90").stdout.split() == ["90"]
    refused = days_with(ARCHIVE_TASK_RESULT_DAYS="0")
    assert refused.returncode != 0 and "ARCHIVE_TASK_RESULT_DAYS must be between 1" in refused.stderr
