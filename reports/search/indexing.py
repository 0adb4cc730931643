"""Keeping the index in step with the database, one report at a time.

Writers queue on a cross-process lock and retry when it stays busy; a failure is
raised to the caller (the signal handler logs it and leaves ``index_pending`` set,
so :func:`catch_up` retries later). Nothing here ever deletes the index itself.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from haystack import connections
from whoosh.index import LockError

from reports.models import Report, Section
from reports.search.locking import IndexLockTimeout

log = logging.getLogger(__name__)

ATTEMPTS = 3
BACKOFF_SECONDS = 0.5
REPORT_FIELD = "report_id"


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


def index_report(report: Report) -> int:
    """Replace the report's sections in the index with what the database holds now.

    The sections are read while holding the write lock, so two processes indexing
    the same report write in the order they read. Returns the number of sections.
    """
    backend = _backend()

    def write() -> int:
        with backend.write_lock():
            sections = list(
                _section_index().index_queryset().filter(report_id=report.pk)
            )
            docs = backend.documents(_section_index(), sections)
            backend.replace(field=REPORT_FIELD, value=str(report.pk), docs=docs)
            Report.objects.filter(pk=report.pk).update(index_pending=False)
            return len(docs)

    return _with_retries(write, what=f"indexing report {report.pk}")


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
    for report in Report.objects.waiting_for_index().order_by("pk"):
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
