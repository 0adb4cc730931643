"""The kept files follow their rows: a deleted report's original and page images are deleted too.

This is the one place that does it, as a post_delete receiver, so the admin's
delete page, its bulk action, the API and the shell all behave the same. The
file goes only after the transaction commits: a rolled-back delete keeps it.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from reports.models import Report, ScannedPage


@receiver(post_delete, sender=Report, dispatch_uid="reports.delete_original_after_commit")
def delete_original_after_commit(sender, instance: Report, **kwargs) -> None:
    if not instance.original:
        return
    storage, name = instance.original.storage, instance.original.name

    def delete_file() -> None:
        # Names carry the content hash, so normally no other row uses the file; a row
        # pointed at it by hand (shell, data fix) must not lose it.
        if not Report.objects.filter(original=name).exists():
            storage.delete(name)

    transaction.on_commit(delete_file, robust=True)


@receiver(post_delete, sender=ScannedPage, dispatch_uid="reports.delete_page_image_after_commit")
def delete_page_image_after_commit(sender, instance: ScannedPage, **kwargs) -> None:
    if not instance.image:
        return
    storage, name = instance.image.storage, instance.image.name
    transaction.on_commit(lambda: storage.delete(name), robust=True)
