"""The kept files follow their rows: a file goes when the last report or upload keeping it is deleted.

This is the one place that does it, as post_delete receivers, so the admin's
delete page, its bulk action, the API and the shell all behave the same. An
upload's file becomes its report's (it is not copied): once the upload is done
the report keeps it (``originals_in_use``), so deleting the report deletes the
file and deleting the done upload does not. A report's scanned page images go
with their pages. Files go only after the transaction commits: a rolled-back
delete keeps them.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from reports.models import Report, ScannedPage, Upload, original_in_use


def delete_original_after_commit(field_file) -> None:
    """Delete this stored original once the transaction commits, unless a row still keeps it."""
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name

    def delete_file() -> None:
        # Checked after the commit, when the rows that stay are the ones that count.
        if not original_in_use(name):
            storage.delete(name)

    transaction.on_commit(delete_file, robust=True)


@receiver(post_delete, sender=Report, dispatch_uid="reports.delete_original_after_commit")
def report_deleted(sender, instance: Report, **kwargs) -> None:
    delete_original_after_commit(instance.original)


@receiver(post_delete, sender=Upload, dispatch_uid="reports.delete_upload_original_after_commit")
def upload_deleted(sender, instance: Upload, **kwargs) -> None:
    delete_original_after_commit(instance.original)


@receiver(post_delete, sender=ScannedPage, dispatch_uid="reports.delete_page_image_after_commit")
def delete_page_image_after_commit(sender, instance: ScannedPage, **kwargs) -> None:
    if not instance.image:
        return
    storage, name = instance.image.storage, instance.image.name
    transaction.on_commit(lambda: storage.delete(name), robust=True)
