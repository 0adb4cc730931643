"""`manage.py check_index [--repair]`: compare the search index with the database."""

from django.core.management.base import BaseCommand, CommandError

from reports.services.index_consistency import check_index, repair_index


class Command(BaseCommand):
    help = (
        "Compare the search index with the database, section by section, and say what differs. "
        "With --repair, reindex the reports that differ and drop what the database no longer has."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="fix what the check finds")

    def handle(self, *args, repair: bool, **options):
        found = check_index()
        for line in found.lines():
            self.stdout.write(line)
        if found.consistent:
            self.stdout.write(self.style.SUCCESS("The index and the database agree."))
            return
        if not repair:
            raise CommandError("The index and the database differ; run `manage.py check_index --repair`.")
        reindexed, removed = repair_index(found)
        self.stdout.write(f"Reindexed {reindexed} report(s), removed {removed} from the index.")
        after = check_index()
        if not after.consistent:
            for line in after.lines():
                self.stderr.write(line)
            raise CommandError("The index still differs from the database after the repair.")
        self.stdout.write(self.style.SUCCESS("The index and the database agree."))
