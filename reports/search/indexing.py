"""Keeping the index in step with the database, one report at a time.

Writers queue on a cross-process lock and retry when it stays busy; a failure is
raised to the caller (the signal handler logs it and leaves ``index_pending`` set,
so :func:`catch_up` retries later). Nothing here ever deletes the index itself.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from haystack import connections
from whoosh.index import LockError

from reports.models import Report, Section
from reports.search.locking import IndexLockTimeout

log = logging.getLogger(__name__)

ATTEMPTS = 3
BACKOFF_SECONDS = 0.5
REPORT_FIELD = "report_id"
# Reports per commit in a bulk load. Every commit adds a segment and searches open
# every segment, so fewer, larger commits are better for both; a thousand reports'
# postings still sort in the bulk writer's memory (backend.BULK_WRITER_MB).
BULK_BATCH = 1000
# Sections read from the database at a time while a report is written.
SECTION_BATCH = 200


def _backend():
    return connections["default"].get_backend()


def _section_index():
    return connections["default"].get_unified_index().get_index(Section)


def _with_retries(action, *, what: str):
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return action()
        except (LockError, IndexLockTimeout):
            if attempt == ATTEMPTS:
                raise
            log.warning("Search index busy while %s; retry %d of %d", what, attempt, ATTEMPTS - 1)
            time.sleep(BACKOFF_SECONDS * attempt)


def _write_reports(report_ids: list[int]) -> int:
    """Replace these reports' sections in the index with what the database holds now.

    The sections are read while holding the write lock, so two processes indexing
    the same report write in the order they read. One commit for all of them.
    They are read and written ``SECTION_BATCH`` at a time, never all at once, so a
    report of thousands of sections costs the memory of a batch (and the writer's
    pool), not of the report. Returns the number of sections written.
    """
    backend = _backend()
    index = _section_index()
    with backend.write_lock():
        sections = index.index_queryset().filter(report_id__in=report_ids).iterator(chunk_size=SECTION_BATCH)
        written = _Counter(backend.documents(index, sections))
        backend.replace_many(field=REPORT_FIELD, values=[str(report_id) for report_id in report_ids],
                             docs=written, bulk=len(report_ids) > 1)
        Report.objects.filter(pk__in=report_ids).update(index_pending=False)
        return written.count


class _Counter:
    """An iterable that counts what passed through it."""

    def __init__(self, items):
        self.items = items
        self.count = 0

    def __iter__(self):
        for item in self.items:
            self.count += 1
            yield item


def index_report(report: Report) -> int:
    """Index one report as the database holds it now; returns its number of sections."""
    return _with_retries(lambda: _write_reports([report.pk]), what=f"indexing report {report.pk}")


def index_reports(report_ids, *, batch_size: int = BULK_BATCH) -> int:
    """Index many reports, ``batch_size`` to a commit; returns how many could not be.

    A batch that fails is logged and its reports stay ``index_pending`` for
    :func:`catch_up`; the other batches are still written.
    """
    report_ids = list(dict.fromkeys(report_ids))
    failed = 0
    for start in range(0, len(report_ids), batch_size):
        batch = report_ids[start:start + batch_size]
        try:
            _with_retries(lambda: _write_reports(batch), what=f"indexing {len(batch)} reports")
        except Exception:
            log.exception("Could not index reports %s", batch)
            failed += len(batch)
    return failed


_deferred = threading.local()


@contextmanager
def deferred_indexing(*, batch_size: int = BULK_BATCH):
    """Collect a bulk load's index updates and write them when the block ends.

    Each Whoosh commit costs far more than the documents in it, so ``ingest`` of
    a folder indexes its reports a batch per commit instead of one commit per
    report. Inside the block a committed change only records its report (which
    stays ``index_pending`` until written); a nested block joins the outer one.
    """
    if getattr(_deferred, "report_ids", None) is not None:
        yield
        return
    _deferred.report_ids = {}
    try:
        yield
    finally:
        report_ids = list(_deferred.report_ids)
        _deferred.report_ids = None
        index_reports(report_ids, batch_size=batch_size)


def defer(report_id: int) -> bool:
    """Record the report for the surrounding :func:`deferred_indexing` block, if there is one."""
    pending = getattr(_deferred, "report_ids", None)
    if pending is None:
        return False
    pending[report_id] = None
    return True


def unindex_report(report_id: int) -> None:
    backend = _backend()
    _with_retries(
        lambda: backend.replace(field=REPORT_FIELD, value=str(report_id), docs=[]),
        what=f"removing report {report_id}",
    )


@dataclass
class CatchUpResult:
    indexed: int = 0
    removed: int = 0
    failed: int = 0


def catch_up() -> CatchUpResult:
    """Index every report still waiting, and drop reports the database no longer has."""
    result = CatchUpResult()
    # Only the ids: the reports themselves (their whole text) are not needed to index them.
    for report in Report.objects.waiting_for_index().order_by("pk").only("pk"):
        try:
            index_report(report)
            result.indexed += 1
        except Exception:
            log.exception("Could not index report %s", report.pk)
            result.failed += 1
    indexed_ids = {int(value) for value in _backend().indexed_values(REPORT_FIELD) if value.isdigit()}
    existing = set(Report.objects.filter(pk__in=indexed_ids).values_list("pk", flat=True))
    for report_id in sorted(indexed_ids - existing):
        unindex_report(report_id)
        result.removed += 1
    return result
