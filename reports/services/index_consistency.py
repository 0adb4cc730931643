"""Does the search index hold exactly what the database says it should? And if not, fix it.

The expected documents are built the way indexing builds them (the section
index's ``full_prepare``), so "the same" means field for field, not merely "a
document with that id exists": a section whose text changed after it was
indexed counts as stale. Repairs go through ``reports.search.index_report`` and
``unindex_report``, one report at a time, like every other index write.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from dataclasses import dataclass, field

from haystack import connections
from haystack.constants import DJANGO_ID

from reports.models import Report, Section
from reports.search import index_report, unindex_report

REPORT_FIELD = "report_id"
# Sections whose expected documents are made and compared at a time.
SECTION_BATCH = 500


@dataclass
class IndexReport:
    sections_in_database: int = 0
    documents_in_index: int = 0
    missing: set[int] = field(default_factory=set)     # section ids the index lacks
    orphaned: set[int] = field(default_factory=set)    # section ids the database no longer has
    stale: set[int] = field(default_factory=set)       # indexed, but not as the database holds them now
    duplicated: set[int] = field(default_factory=set)  # indexed more than once
    pending: set[int] = field(default_factory=set)     # report ids still flagged index_pending
    reports_to_fix: set[int] = field(default_factory=set)
    unreadable: str = ""                               # why the index could not be read at all

    @property
    def consistent(self) -> bool:
        return not (self.unreadable or self.missing or self.orphaned or self.stale or self.duplicated or self.pending)

    def lines(self) -> list[str]:
        if self.unreadable:
            return [f"The search index cannot be read: {self.unreadable}"]
        lines = [f"{self.sections_in_database} section(s) in the database, {self.documents_in_index} document(s) in the index."]
        for label, ids in (
            ("missing from the index", self.missing),
            ("in the index but deleted from the database", self.orphaned),
            ("indexed with out-of-date content", self.stale),
            ("indexed more than once", self.duplicated),
        ):
            if ids:
                lines.append(f"{len(ids)} section(s) {label}: {_sample(ids)}")
        if self.pending:
            lines.append(f"{len(self.pending)} report(s) still waiting for the index: {_sample(self.pending)}")
        return lines


def _sample(ids: set[int], limit: int = 10) -> str:
    shown = ", ".join(str(i) for i in sorted(ids)[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _section_index():
    return connections["default"].get_unified_index().get_index(Section)


def _indexed_documents(backend) -> list[dict]:
    if not backend.setup_complete:
        backend.setup()
    backend.index = backend.index.refresh()
    backend.refuse_outdated()   # written by an older version: unreadable to search, so to be redone
    with backend.index.searcher() as searcher:
        return list(searcher.all_stored_fields())


def check_index() -> IndexReport:
    """Compare every section the database holds with the document the index holds for it."""
    backend = connections["default"].get_backend()
    index = _section_index()
    result = IndexReport()
    try:
        stored = _indexed_documents(backend)
    except Exception as error:  # a damaged index raises whatever its parser trips on
        result.unreadable = f"{type(error).__name__}: {error}"
        result.reports_to_fix = set(Report.objects.values_list("pk", flat=True))
        return result

    indexed: dict[int, list[dict]] = defaultdict(list)
    for doc in stored:
        indexed[int(doc[DJANGO_ID])].append(doc)
    # The expected documents are made a batch of sections at a time and compared at
    # once: holding them all would hold the text of the whole archive.
    sections = index.index_queryset().iterator(chunk_size=SECTION_BATCH)
    report_of: dict[int, int] = {}
    for want in backend.documents(index, sections):
        pk = int(want[DJANGO_ID])
        report_of[pk] = int(want[REPORT_FIELD])
        have = indexed.get(pk)
        if have and any(have[0].get(name) != value for name, value in want.items() if name in have[0]):
            result.stale.add(pk)
    result.sections_in_database = len(report_of)
    result.documents_in_index = len(stored)
    result.duplicated = {pk for pk, docs in indexed.items() if len(docs) > 1}
    result.missing = set(report_of) - set(indexed)
    result.orphaned = set(indexed) - set(report_of)
    result.pending = set(Report.objects.waiting_for_index().values_list("pk", flat=True))

    fix = {report_of[pk] for pk in result.missing | result.stale | result.duplicated}
    for pk in result.orphaned:
        fix.add(int(indexed[pk][0].get(REPORT_FIELD) or 0))
    result.reports_to_fix = (fix | result.pending) - {0}
    return result


def repair_index(report: IndexReport) -> tuple[int, int]:
    """Reindex each report the check found wrong, unindex those that are gone: (reindexed, removed)."""
    if report.unreadable:
        _recreate_index(connections["default"].get_backend())
    reindexed = removed = 0
    existing = Report.objects.only("pk").in_bulk(report.reports_to_fix)
    for report_id in sorted(report.reports_to_fix):
        if report_id in existing:
            index_report(existing[report_id])
            reindexed += 1
        else:
            unindex_report(report_id)
            removed += 1
    return reindexed, removed


def _recreate_index(backend) -> None:
    """Nothing in a damaged index can be trusted: replace it with an empty one, under the write lock.

    Not ``backend.delete_index()``: that opens the old index first, which is what fails.
    """
    with backend.write_lock():
        shutil.rmtree(backend.path, ignore_errors=True)
        backend.setup_complete = False
        backend.setup()
