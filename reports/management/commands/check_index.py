"""`manage.py check_index [--repair]`: compare the search index with the database, and the originals with their rows."""

from django.core.management.base import BaseCommand, CommandError

from reports.processing import find_orphan_originals, remove_orphan_originals
from reports.services.index_consistency import check_index, repair_index


class Command(BaseCommand):
    help = (
        "Compare the search index with the database, section by section, and say what differs; also list "
        "original files that no report or upload keeps (older than ARCHIVE_ORPHAN_AGE_SECONDS). "
        "With --repair, reindex the reports that differ, drop what the database no longer has, "
        "and remove those files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="fix what the check finds")

    def handle(self, *args, repair: bool, **options):
        found = check_index()
        orphans = find_orphan_originals()
        for line in found.lines():
            self.stdout.write(line)
        if orphans:
            shown = ", ".join(orphans[:10]) + (f" and {len(orphans) - 10} more" if len(orphans) > 10 else "")
            self.stdout.write(f"{len(orphans)} original file(s) that no report or upload keeps: {shown}")
        if found.consistent and not orphans:
            self.stdout.write(self.style.SUCCESS("The index and the database agree."))
            return
        if not repair:
            raise CommandError("The index and the database differ; run `manage.py check_index --repair`.")
        if orphans:
            self.stdout.write(f"Removed {len(remove_orphan_originals(orphans))} orphan original file(s).")
        if found.consistent:
            self.stdout.write(self.style.SUCCESS("The index and the database agree."))
            return
        reindexed, removed = repair_index(found)
        self.stdout.write(f"Reindexed {reindexed} report(s), removed {removed} from the index.")
        after = check_index()
        if not after.consistent:
            for line in after.lines():
                self.stderr.write(line)
            raise CommandError("The index still differs from the database after the repair.")
        self.stdout.write(self.style.SUCCESS("The index and the database agree."))
