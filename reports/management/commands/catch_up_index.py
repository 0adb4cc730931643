from django.core.management.base import BaseCommand, CommandError

from reports.search import catch_up


class Command(BaseCommand):
    help = "Index reports still waiting for the search index and drop deleted ones."

    def handle(self, *args, **options):
        result = catch_up()
        self.stdout.write(
            f"Indexed {result.indexed} report(s), removed {result.removed}, failed {result.failed}."
        )
        if result.failed:
            raise CommandError(f"{result.failed} report(s) could not be indexed; they stay pending.")
