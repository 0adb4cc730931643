"""`manage.py worker`: run the background tasks (uploads, reindexing, periodic upkeep) until stopped."""

import logging

from django.core.management.base import BaseCommand

from reports.processing import WorkerLoop


class Command(BaseCommand):
    help = (
        "Run queued background tasks (reading uploads, reindexing) one at a time, and queue the "
        "periodic upkeep (index catch-up, orphan sweep) when it is due. Stop with Ctrl-C or SIGTERM: "
        "a file being read goes back to the queue."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at an empty queue")
        parser.add_argument("--no-schedule", action="store_true", help="do not queue the periodic upkeep")

    def handle(self, *args, interval: float, no_schedule: bool, verbosity: int, **options):
        if verbosity:
            handler = logging.StreamHandler(self.stdout)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            for name in ("reports", "django_tasks", "django_tasks_db"):
                logger = logging.getLogger(name)
                logger.setLevel(logging.INFO if verbosity == 1 else logging.DEBUG)
                logger.addHandler(handler)
                logger.propagate = False
        WorkerLoop(interval=interval, schedule=not no_schedule).run()
