"""Periodic upkeep queued by the workers themselves: django-tasks has no scheduler.

Each worker calls ``queue_due_tasks`` between tasks and while idle. A run is
claimed by moving the task's ``next_run`` forward with a conditional UPDATE,
which the database lets exactly one worker win, in the same transaction as the
enqueue: several workers queue it once between them, and a crash never loses a
claimed run. A run still waiting in the queue (the workers are busy with
uploads) is not queued a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reports.models import PeriodicRun
from reports.processing import tasks


@dataclass(frozen=True)
class Periodic:
    name: str
    task: object
    every: timedelta


def periodic_tasks() -> list[Periodic]:
    return [
        Periodic("catch_up_index", tasks.catch_up_index_task, timedelta(seconds=settings.ARCHIVE_CATCH_UP_SECONDS)),
        Periodic("sweep", tasks.sweep_task, timedelta(seconds=settings.ARCHIVE_SWEEP_SECONDS)),
    ]


def queue_reindex(report_ids: list[int], *, batch: int = 100) -> int:
    """Queue the reindexing of these reports for the worker, ``batch`` to a task; how many were queued."""
    for start in range(0, len(report_ids), batch):
        tasks.reindex_reports_task.enqueue(report_ids[start:start + batch])
    return len(report_ids)


def queue_due_tasks(*, now: datetime | None = None) -> list[str]:
    """Queue each periodic task that is due and not already waiting; the names queued."""
    now = now or timezone.now()
    queued = []
    for periodic in periodic_tasks():
        _ensure_row(periodic.name, now)
        with transaction.atomic():
            claimed = PeriodicRun.objects.filter(name=periodic.name, next_run__lte=now).update(next_run=now + periodic.every)
            if claimed and not _waiting(periodic.task):
                periodic.task.enqueue()
                queued.append(periodic.name)
    return queued


def _ensure_row(name: str, now: datetime) -> None:
    if PeriodicRun.objects.filter(name=name).exists():
        return
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=name, next_run=now)   # due at once: the first start catches up
    except IntegrityError:
        pass   # another worker made it at the same moment


def _waiting(task) -> bool:
    return DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY).exists()
