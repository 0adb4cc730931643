"""Staff uploads: check a batch of files, then store them through the ingestion pipeline.

Checking comes first and writes nothing, so a batch with one bad file is
refused whole and the archive is left as it was; only a batch that passed is
stored. The pipeline itself (reports.ingest) decides everything about the text.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from reports.ingest import IngestError, IngestResult, ingest_bytes, parse_bytes
from reports.ingest.extract import check_upload
from reports.models import Report


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Refusal:
    filename: str
    message: str
    existing: Report | None = None  # the stored report with the same text, for a duplicate


def find_refusals(uploads: list[Upload], *, max_bytes: int) -> list[Refusal]:
    """Why each refused file of the batch cannot be stored; empty when all of them can."""
    refusals: list[Refusal] = []
    first_with_hash: dict[str, str] = {}
    for upload in uploads:
        try:
            check_upload(upload.data, filename=upload.filename, max_bytes=max_bytes)
            parsed = parse_bytes(upload.data, filename=upload.filename,
                                 convert_timeout=settings.ARCHIVE_CONVERT_TIMEOUT_SECONDS,
                                 max_page_pixels=settings.ARCHIVE_MAX_PAGE_PIXELS)
        except IngestError as exc:
            refusals.append(Refusal(upload.filename, str(exc)))
            continue
        # The hash is of the decoded text, so the same report in another encoding is caught too.
        existing = Report.objects.filter(content_hash=parsed.content_hash).first()
        if existing is not None:
            refusals.append(Refusal(upload.filename, duplicate_message(upload.filename), existing))
        elif parsed.content_hash in first_with_hash:
            refusals.append(Refusal(
                upload.filename,
                _("“%(name)s” has the same text as “%(other)s” in this upload.")
                % {"name": upload.filename, "other": first_with_hash[parsed.content_hash]},
            ))
        else:
            first_with_hash[parsed.content_hash] = upload.filename
    return refusals


def store_uploads(uploads: list[Upload]) -> list[IngestResult]:
    """Store each file (one transaction each, inside the pipeline); a file that fails does not stop the others.

    A file can still be refused here when another upload stored the same text
    since the check: its result then has the status "duplicate" or "failed".
    """
    results = []
    for upload in uploads:
        try:
            result = ingest_bytes(upload.data, filename=upload.filename, match_by_name=False)
        except IngestError as exc:
            result = IngestResult(source_name=upload.filename, status="failed", error=str(exc))
        results.append(result)
    return results


def duplicate_message(filename: str) -> str:
    return _("“%(name)s” is already in the archive (the same text, whatever its encoding).") % {"name": filename}
