"""Keeps the search index in step with the database (wired in ReportsConfig.ready).

A report saved or changed (or one of its sections) is reindexed after the
transaction commits, so the index never shows what a rollback undid and the
sections are all there when it reads them. A deleted report is removed. The
report's ``index_pending`` flag is set in the same transaction and cleared only
once the index holds it, so a failure leaves work for ``catch_up_index``.
"""

import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reports.models import Association, Report, Section
from reports.search import defer, index_report, unindex_report

log = logging.getLogger(__name__)

_queued = threading.local()


def sync_report(report_id: int) -> None:
    """Make the index match the database for one report, whatever happened to it."""
    if defer(report_id):
        return   # a bulk load writes it with the others when it ends
    try:
        report = Report.objects.filter(pk=report_id).only("pk").first()
        if report is None:
            unindex_report(report_id)
        else:
            index_report(report)
    except Exception:
        # Never let the index break a save that already committed; catch_up retries.
        log.exception("Search index update failed for report %s; it stays pending", report_id)


def _schedule(report_id: int, using: str) -> None:
    # One reindex per report per transaction, however many of its sections were
    # saved. A callback dropped by a rollback is no longer queued on the
    # connection, so the next change schedules a fresh one.
    queued = getattr(_queued, "callbacks", None)
    if queued is None:
        queued = _queued.callbacks = {}
    key = (using, report_id)
    connection = transaction.get_connection(using)
    callback = queued.get(key)
    if callback is not None and connection.in_atomic_block and any(
        entry[1] is callback for entry in connection.run_on_commit
    ):
        return

    def run() -> None:
        if queued.get(key) is run:
            del queued[key]
        sync_report(report_id)

    queued[key] = run
    transaction.on_commit(run, using=using)


def _mark_pending(report_id: int, using: str) -> None:
    Report.objects.using(using).filter(pk=report_id, index_pending=False).update(index_pending=True)


@receiver(post_save, sender=Report, dispatch_uid="search_report_saved")
def report_saved(sender, instance: Report, raw=False, using="default", **kwargs):
    if raw:
        return
    if not instance.index_pending:
        _mark_pending(instance.pk, using)
    _schedule(instance.pk, using)


@receiver(post_delete, sender=Report, dispatch_uid="search_report_deleted")
def report_deleted(sender, instance: Report, using="default", **kwargs):
    _schedule(instance.pk, using)


@receiver(post_save, sender=Section, dispatch_uid="search_section_saved")
@receiver(post_delete, sender=Section, dispatch_uid="search_section_deleted")
def section_changed(sender, instance: Section, raw=False, using="default", **kwargs):
    if raw:
        return
    _mark_pending(instance.report_id, using)
    _schedule(instance.report_id, using)


@receiver(post_save, sender=Association, dispatch_uid="search_association_saved")
def association_changed(sender, instance: Association, created=False, raw=False, using="default", **kwargs):
    # The index keeps each section's association (name and slug, for facets and filters):
    # renaming an association must reach every one of its reports.
    if raw or created:
        return
    report_ids = list(Report.objects.using(using).filter(association=instance).values_list("pk", flat=True))
    Report.objects.using(using).filter(pk__in=report_ids, index_pending=False).update(index_pending=True)
    for report_id in report_ids:
        _schedule(report_id, using)
