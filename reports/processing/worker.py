"""The worker's loop: periodic upkeep queued when due, stalled uploads put back, then the next task, one at a time.

A task is claimed as django-tasks-db's own ``db_worker`` claims it (a locked
row, skipped by other workers, in an exclusive transaction on SQLite) and run
by that worker's ``run_task``, which records its result. The loop is ours so
that between tasks and while idle it can queue the periodic upkeep
(reports/processing/schedule.py) without a thread: the reading child is forked
from this process, and forking is only safe without other threads.

Stopping (SIGTERM, Ctrl-C): the file being read is put back in the queue and
the worker exits; a second signal exits at once.
"""

from __future__ import annotations

import logging
import resource
import signal
import sys
import time

from django.db import close_old_connections
from django.db.utils import OperationalError
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from reports.processing import capped
from reports.processing.caps import worker_memory_bytes
from reports.processing.schedule import queue_due_tasks
from reports.processing.upkeep import recover_stalled_uploads

log = logging.getLogger(__name__)

# How often each worker looks for uploads left processing by a worker that died (an indexed query).
RECOVER_EVERY_SECONDS = 60


def run_next_task(*, worker_id: str = "inline", queue_names: list[str] | None = None) -> bool:
    """Claim and run the next ready task, if any; whether there was one."""
    queue_names = queue_names or ["default"]
    tasks = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS, queue_name__in=queue_names)
    try:
        with exclusive_transaction(tasks.db):
            claimed = tasks.get_locked()
            if claimed is not None:
                claimed.claim(worker_id)
    except OperationalError as error:
        if is_locked_database_exception(error):
            return False   # another worker holds the queue; look again later
        raise
    if claimed is None:
        return False
    log.info("Running %s %s", claimed.task_path, claimed.args_kwargs.get("args", []))
    runner = Worker(
        queue_names=queue_names, interval=0, batch=True, backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
    )
    runner.run_task(claimed)
    return True


def run_queued_tasks(*, limit: int = 1000) -> int:
    """Run ready tasks until none is left (tests, ``make`` targets); how many ran."""
    count = 0
    while count < limit and run_next_task():
        count += 1
    return count


class WorkerLoop:
    def __init__(self, *, interval: float = 1.0, queue_names: list[str] | None = None, schedule: bool = True):
        self.interval = interval
        self.queue_names = queue_names or ["default"]
        self.schedule = schedule
        self.worker_id = get_random_string(32)
        self.stopping = False
        self.next_recovery = 0.0   # at once: a worker restarted after a crash finds its upload

    def stop(self, signum=None, frame=None) -> None:
        if self.stopping:
            log.warning("Stopping now.")
            sys.exit(1)
        log.warning("Stopping: the file being read goes back to the queue.")
        self.stopping = True
        capped.stop_children()

    def run(self) -> None:
        for name in ("SIGINT", "SIGTERM"):
            signal.signal(getattr(signal, name), self.stop)
        bound = worker_memory_bytes()
        if bound:
            # Soft only: the reading children set their own (lower) caps. Past it, the
            # upload being stored fails with MemoryError and the worker takes the next.
            _, hard = resource.getrlimit(resource.RLIMIT_DATA)
            resource.setrlimit(resource.RLIMIT_DATA, (bound if hard == resource.RLIM_INFINITY else min(bound, hard), hard))
        log.info("Worker %s started (queues: %s)", self.worker_id, ",".join(self.queue_names))
        while not self.stopping:
            ran = self.tick()
            if not ran and not self.stopping:
                self._sleep(self.interval)
        log.info("Worker %s stopped", self.worker_id)

    def tick(self) -> bool:
        """One turn of the loop: the upkeep that is due, then the next task; whether there was one."""
        close_old_connections()
        if self.schedule:
            try:
                queue_due_tasks()
            except Exception:
                log.exception("Could not queue the periodic tasks; trying again later")
        if time.monotonic() >= self.next_recovery:
            # Not only in the hourly sweep: a file whose worker was killed would show
            # "processing" for up to an hour, with nothing staff can do about it.
            self.next_recovery = time.monotonic() + RECOVER_EVERY_SECONDS
            try:
                recover_stalled_uploads()
            except Exception:
                log.exception("Could not look for stalled uploads; trying again later")
        return run_next_task(worker_id=self.worker_id, queue_names=self.queue_names)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, deadline - time.monotonic()))
