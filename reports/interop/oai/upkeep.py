"""Datestamps and deleted records, kept as reports are saved and deleted (wired in ReportsConfig.ready).

A record's datestamp (``Report.metadata_changed``) moves when what a harvester
receives changes, and only then: each save compares the fingerprint of the
record (dublin_core.fingerprint) with the one stored. An admin edit of the
title, a renamed association, a new year, a changed opening of the text date the
record afresh; a reindex or a second click on Save does not.

The new datestamp is written just after the commit, not inside the transaction:
a harvest that starts while the transaction is still open cannot see the change,
so its date must fall after the harvest's start, where the next incremental
harvest (``from`` = this one's responseDate) finds it.

A deleted report leaves a ``DeletedReport`` with its identifier, its sets and the
time of the deletion, written in the same transaction as the deletion. This is
the one place it is written: the admin's delete page and bulk action, the API and
the shell all pass through it.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Substr
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from reports.interop.oai import dublin_core, records
from reports.models import Association, DeletedReport, Report


def record_fingerprint(report: Report, *, opening: str) -> str:
    """The fingerprint of the record ``report`` would give, from the opening of its text."""
    limit = settings.ARCHIVE_OAI_DESCRIPTION_CHARS
    return dublin_core.fingerprint(
        report,
        description=dublin_core.describe(opening, limit=limit),
        set_specs=records.set_specs(association_slug=report.association.slug, year=records.covered_year(report)),
    )


def _opening_of(report: Report) -> str:
    return report.body[: dublin_core.opening_length(settings.ARCHIVE_OAI_DESCRIPTION_CHARS)]


def _date_when_changed(report: Report, *, opening: str, using: str) -> None:
    current = record_fingerprint(report, opening=opening)
    if current == report.metadata_fingerprint:
        return
    report.metadata_fingerprint = current  # a second save in this transaction compares with this one

    def stamp() -> None:
        Report.objects.using(using).filter(pk=report.pk).update(metadata_fingerprint=current, metadata_changed=timezone.now())

    transaction.on_commit(stamp, using=using)


@receiver(post_save, sender=Report, dispatch_uid="oai_report_saved")
def report_saved(sender, instance: Report, raw=False, using="default", **kwargs):
    if not raw:
        _date_when_changed(instance, opening=_opening_of(instance), using=using)


@receiver(post_save, sender=Association, dispatch_uid="oai_association_saved")
def association_saved(sender, instance: Association, created=False, raw=False, using="default", **kwargs):
    # Its name is each report's dc:creator and its slug their set: their records may have changed.
    if raw or created:
        return
    reports = (
        Report.objects.using(using).filter(association=instance).defer("body")
        .annotate(opening=Substr("body", 1, dublin_core.opening_length(settings.ARCHIVE_OAI_DESCRIPTION_CHARS)))
    )
    for report in reports.iterator(chunk_size=500):
        report.association = instance
        _date_when_changed(report, opening=report.opening or "", using=using)
    # Deleted records keep the date of their deletion; their set follows the new slug.
    DeletedReport.objects.using(using).filter(association=instance).exclude(association_slug=instance.slug).update(
        association_slug=instance.slug
    )


@receiver(pre_delete, sender=Report, dispatch_uid="oai_report_deleted")
def report_deleted(sender, instance: Report, using="default", **kwargs):
    # Before the row goes, so that its sets can still be read; the same transaction as the deletion.
    DeletedReport.objects.using(using).update_or_create(
        report_id=instance.pk,
        defaults={
            "deleted": timezone.now(),
            "association": instance.association,
            "association_slug": instance.association.slug,
            "year": records.covered_year(instance),
        },
    )

    def stamp() -> None:
        DeletedReport.objects.using(using).filter(pk=instance.pk).update(deleted=timezone.now())

    transaction.on_commit(stamp, using=using)
