import logging
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations
from tqdm import tqdm

from reports.ingest import IngestResult, ingest_path
from reports.ingest.extract import SUPPORTED_SUFFIXES
from reports.models import Report
from reports.processing import capped_reading
from reports.search import deferred_indexing, index_reports


log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Load report files (or every report file in the given folders) into the archive. Each file is "
        "read in a child process with the memory and time caps of ARCHIVE_PARSE_MEMORY_MB and "
        "ARCHIVE_PARSE_SECONDS, as uploads are."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files or folders.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report, store nothing.")

    @no_translations   # the messages as written (English), like the rest of its output
    def handle(self, *args, paths, dry_run, **options):
        files = collect_files(paths)
        if not files:
            raise CommandError("No report files found in: " + ", ".join(map(str, paths)))
        counts: dict[str, int] = {}
        # The bar is for long runs at a terminal; the per-file summary always goes to stdout.
        show_bar = len(files) > 20 and sys.stderr.isatty()
        # One index commit per batch of reports, not one per report: commits dominate a bulk load.
        # Each file is read in a capped child, as uploads are (a child reads up to 100 files).
        with deferred_indexing(), capped_reading() as parse:
            for path in tqdm(files, unit="file", disable=not show_bar, file=sys.stderr):
                result = self.ingest_one(path, dry_run, parse)
                counts[result.status] = counts.get(result.status, 0) + 1
                tqdm.write(self.summary(result, dry_run), file=self.stdout, end="")
        if not dry_run:
            # Reports an interrupted earlier run stored but never indexed.
            index_reports(list(Report.objects.waiting_for_index().values_list("pk", flat=True)))
        totals = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
        prefix = "Dry run, nothing stored: " if dry_run else ""
        self.stdout.write(f"{prefix}{len(files)} file(s): {totals}.")
        if counts.get("failed"):
            raise CommandError(f"{counts['failed']} file(s) failed; the others are stored.")

    def ingest_one(self, path: Path, dry_run: bool, parse) -> IngestResult:
        try:
            return ingest_path(path, dry_run=dry_run, parse=parse)
        except Exception as error:
            # One file's unexpected failure must not stop the run: report it, go on, exit non-zero.
            log.exception("Ingesting %s failed", path)
            return IngestResult(path.name, "failed", error=f"unexpected error: {type(error).__name__}: {error}")

    def summary(self, result, dry_run: bool) -> str:
        verb = {"created": "would create", "updated": "would update"}.get(result.status, result.status) if dry_run else result.status
        line = f"{verb:>12}  {result.source_name}"
        if result.report is not None and result.report.pk:
            line += f"  → report {result.report.pk}: {result.report.title}"
        if result.error:
            line += f"  ({result.error})"
        details = [f"{'':>14}! {warning['kind']}: {warning['message']}" for warning in result.warnings]
        return "\n".join([line, *details])


def collect_files(paths: list[Path]) -> list[Path]:
    """Named files as given; folders searched for files with a supported suffix, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            files.append(path)
    return files
