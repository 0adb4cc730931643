"""Bytes in, a stored report out.

``parse_bytes`` is pure: bytes to a ``ParsedReport``, or an ``IngestError``
that says what is wrong. ``ingest_bytes`` stores the result: the original
bytes, the report and its sections in one transaction. The search index
follows after the commit (reports.signals), so a failed index update never
loses a stored report.
"""

import hashlib
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from reports.ingest.clean import DAMAGE_MARK, clean_text, join_broken_paragraphs, mark_damage
from reports.ingest.decode import decode
from reports.ingest.errors import IngestError
from reports.ingest.extract import DEFAULT_TIMEOUT_SECONDS, Extraction, extract
from reports.ingest.extract.ocr import OcrPage, Progress
from reports.ingest.metadata import extract_metadata, split_header
from reports.ingest.limits import ParseLimits, parse_limits_from_settings
from reports.ingest.names import display_name, storage_name
from reports.ingest.sections import find_sections
from reports.models import Association, Report, ScannedPage, Section, original_in_use
from reports.text import script_key

log = logging.getLogger(__name__)


@dataclass
class ParsedSection:
    order: int
    level: int          # 0 for the text before the first heading, 1 for top-level headings, ...
    heading: str
    text: str
    anchor: str


@dataclass
class ParsedReport:
    title: str
    published: date | None
    year: int | None
    document_number: str          # 文号 of an official document, as written ("川医协〔2022〕1号"), or ""
    source: str
    authors: str
    language: str                 # "zh-Hans", "zh-Hant" or "en"
    association_name: str
    association_region: str
    association_kind: str
    body: str                     # the cleaned text, damaged spans shown as U+FFFD
    sections: list[ParsedSection]
    warnings: list[dict]          # {"kind": "damaged"|"undecodable"|"uncertain"|"guessed"|..., "message": str, ...}
    content_hash: str             # sha256 of the decoded text, the same whatever the encoding
    scanned_pages: list[OcrPage] = field(default_factory=list)   # pages read by OCR, with their images


@dataclass
class IngestResult:
    source_name: str
    status: str                   # "created", "updated", "unchanged", "duplicate", "failed"
    report: Report | None = None
    warnings: list[dict] = field(default_factory=list)
    error: str = ""


def parse_bytes(data: bytes, *, filename: str, limits: ParseLimits = ParseLimits(), progress: Progress | None = None,
                convert_timeout: float = DEFAULT_TIMEOUT_SECONDS) -> ParsedReport:
    """Decode, clean and structure one file. Raises IngestError with a message for people.

    ``limits``: what the file may make the parser do, each checked before the
    work it bounds (see ``reports.ingest.limits``); the callers that read
    uploads pass the settings' (``parse_limits_from_settings``).
    Scanned pages are read by OCR, seconds a page: ``progress(done, total)``
    is told of each page as it is read (the upload's status page shows it).
    ``convert_timeout``: the seconds LibreOffice may take over a .doc, .wps or .odt file.
    """
    try:
        extraction = extract(data, filename=filename, limits=limits, progress=progress, convert_timeout=convert_timeout)
    except (IngestError, MemoryError):
        raise   # MemoryError: the reader's memory cap was reached, not damage in the file
    except Exception as error:
        # A document reader choking on a malformed file (a broken .docx, an odd PDF) is
        # that file's problem, not the run's: the person gets a message, the log the details.
        log.warning("Could not read %s", filename, exc_info=True)
        raise IngestError("damaged", name=filename, error=type(error).__name__) from error
    if extraction is None:
        # No encoding takes more than four bytes a character (and a BOM): more bytes than that
        # is over the limit whatever they decode to, and is refused without decoding them.
        if len(data) > 4 * limits.characters + 4:
            raise IngestError("too_many_characters", name=filename, limit=limits.characters)
        decoded = decode(data, filename=filename)
        _check_characters(decoded.text, filename=filename, limits=limits)
        return parse_text(decoded.text, undecodable=decoded.undecodable, filename=filename, max_sections=limits.sections)
    _check_characters(extraction.text, filename=filename, limits=limits)
    if extraction.scanned:
        return parse_scanned(extraction, filename=filename, max_sections=limits.sections)
    return parse_text(extraction.text, undecodable=extraction.text.count(DAMAGE_MARK), filename=filename,
                      max_sections=limits.sections)


def _check_characters(text: str, *, filename: str, limits: ParseLimits) -> None:
    # Before cleaning, whose passes over the text are the costly part of reading a long one.
    if len(text) > limits.characters:
        raise IngestError("too_many_characters", name=filename, limit=limits.characters)


def parse_scanned(extraction: Extraction, *, filename: str = "", max_sections: int | None = None) -> ParsedReport:
    """Text that OCR read: its unsure words are already marked, each with a warning that names the page."""
    warnings = [uncertain_warning(page.number, note) for page in extraction.scanned for note in page.uncertain]
    parsed = parse_text(extraction.text, warnings=warnings, marks_reported=True, filename=filename,
                        max_sections=max_sections)
    parsed.scanned_pages = extraction.scanned
    return parsed


def uncertain_warning(page: int, note) -> dict:
    return {
        "kind": "uncertain",
        "page": page,
        "line": note.line,
        "original": note.guess,
        "context": note.context,
        "message": f"Text recognition was unsure on page {page}, line {note.line}: read “{note.guess}” in “{note.context}”.",
    }


def parse_text(raw: str, *, undecodable: int = 0, warnings: list[dict] | None = None, marks_reported: bool = False,
               filename: str = "", max_sections: int | None = None) -> ParsedReport:
    """Clean and structure a text; ``marks_reported``: the damage marks already in it have their warnings.

    ``max_sections``: more headings than that are a list, not a structure; the
    deepest are kept as paragraphs (``reports.ingest.sections``), with a warning.
    """
    warnings = list(warnings or [])
    if undecodable:
        warnings.append({
            "kind": "undecodable",
            "count": undecodable,
            "message": f"{undecodable} character(s) could not be decoded and are marked as damaged.",
        })
    content_hash = content_hash_of(raw)
    text, damages = mark_damage(clean_text(raw))
    for damage in damages:
        if marks_reported and not damage.original.strip(DAMAGE_MARK):
            continue
        warnings.append({
            "kind": "damaged",
            "original": damage.original,
            "context": damage.context,
            "line": damage.line,
            "message": f"Damaged text in the source at line {damage.line}: “{damage.original}” in “{damage.context}”.",
        })
    header = split_header(text)
    if not header.title:
        raise IngestError("no_title", name=filename)
    body = join_broken_paragraphs("\n".join(header.body_lines)).strip()
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    if not paragraphs:
        raise IngestError("no_body", name=filename)
    metadata = extract_metadata(header, "\n".join(paragraphs))
    for guess in metadata.guessed:
        warnings.append({"kind": "guessed", **guess})
    if not metadata.association_name:
        warnings.append({"kind": "guessed", "field": "association", "value": "",
                         "message": "No association could be found in the text; please set it."})
    found = find_sections(paragraphs, max_sections=max_sections)
    if found.demoted:
        warnings.append({
            "kind": "sections",
            "reason": "headings_demoted",
            "demoted": found.demoted,
            "limit": max_sections,
            "message": f"More than {max_sections} headings: the {found.demoted} deepest were kept as paragraphs "
                       "(a long list, not a structure).",
        })
    sections = [
        ParsedSection(order=i, level=s.level, heading=s.heading, text=s.text, anchor=s.anchor)
        for i, s in enumerate(found.sections)
    ]
    return ParsedReport(
        title=metadata.title,
        published=metadata.published,
        year=metadata.year,
        document_number=metadata.document_number,
        source=metadata.source,
        authors=metadata.authors,
        language=metadata.language,
        association_name=metadata.association_name or UNKNOWN_ASSOCIATION,
        association_region=metadata.association_region,
        association_kind=metadata.association_kind,
        body=compose_body(sections),
        sections=sections,
        warnings=warnings,
        content_hash=content_hash,
    )


UNKNOWN_ASSOCIATION = "未注明的学会"


def compose_body(sections) -> str:
    """The report's whole text from its sections: one definition, for the parser and for edits."""
    parts = []
    for section in sections:
        parts += [part for part in (section.heading, section.text) if part]
    return "\n\n".join(parts)


def content_hash_of(text: str) -> str:
    """The same report in any encoding, with any line endings or BOM, hashes the same."""
    normalised = unicodedata.normalize("NFC", text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    normalised = "\n".join(line.rstrip() for line in normalised.strip().split("\n"))
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def ingest_bytes(data: bytes, *, filename: str, dry_run: bool = False, match_by_name: bool = True,
                 parse: Callable[..., ParsedReport] | None = None) -> IngestResult:
    """Parse and store one file in one transaction; the index follows after the commit.

    ``match_by_name=False`` always stores a new report, never updating one that
    came from a file of the same name: the admin's upload page, where two
    associations' "工作总结.docx" are different reports. ``parse`` reads the
    bytes: by default ``parse_bytes`` in this process with what the settings
    give parsing; ``manage.py ingest`` passes the same in a capped child process.
    The original is stored under a name cut to ``ARCHIVE_MAX_NAME_BYTES`` of UTF-8.
    """
    name_bytes = parse_limits_from_settings().name_bytes
    source_name = display_name(filename)
    try:
        parsed = (parse or _parse_with_settings)(data, filename=source_name)
    except IngestError as error:
        return IngestResult(source_name, "failed", error=str(error))
    duplicate = Report.objects.filter(content_hash=parsed.content_hash).first()
    if duplicate is not None:
        status = "unchanged" if duplicate.source_name == source_name else "duplicate"
        error = "" if status == "unchanged" else f"The same text is already stored as “{duplicate.title}”."
        return IngestResult(source_name, status, report=duplicate, warnings=parsed.warnings, error=error)
    existing = _earlier_version(parsed, source_name) if match_by_name else None
    status = "updated" if existing else "created"
    if dry_run:
        return IngestResult(source_name, status, report=existing, warnings=parsed.warnings)
    try:
        report = store(parsed, data=data, source_name=source_name, replacing=existing, name_bytes=name_bytes)
    except IntegrityError:
        duplicate = Report.objects.filter(content_hash=parsed.content_hash).first()
        if duplicate is None:
            raise
        # Another writer stored the same text between our check and our insert.
        return IngestResult(source_name, "duplicate", report=duplicate, warnings=parsed.warnings,
                            error="The same text was stored by another upload at the same moment.")
    return IngestResult(source_name, status, report=report, warnings=parsed.warnings)


def _parse_with_settings(data: bytes, *, filename: str) -> ParsedReport:
    # The settings become parsing's arguments in one place, which the capped child uses too.
    from reports.processing.caps import parse_keywords

    return parse_bytes(data, filename=filename, **parse_keywords())


def _earlier_version(parsed: ParsedReport, source_name: str) -> Report | None:
    """The stored report this file is a new version of: same file name, association and year.

    The name alone is not enough: every association has a "工作总结.txt".
    """
    candidates = Report.objects.filter(source_name=source_name, year=parsed.year).select_related("association")
    key = script_key(parsed.association_name)
    return next((r for r in candidates.order_by("id") if r.association.name_key == key), None)


def ingest_path(path: Path, *, dry_run: bool = False, parse: Callable[..., ParsedReport] | None = None) -> IngestResult:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return IngestResult(path.name, "failed", error=f"Cannot read the file: {error.strerror}.")
    return ingest_bytes(data, filename=path.name, dry_run=dry_run, parse=parse)


def store(parsed: ParsedReport, *, data: bytes | None = None, original: str = "", source_name: str,
          replacing: Report | None = None, name_bytes: int = ParseLimits.name_bytes) -> Report:
    """Write the original, the report, its sections and its scanned pages; all or nothing.

    The original is either ``data`` (written here) or the name of a file already
    in the originals storage (an upload's): that file becomes the report's, it
    is not copied, and a failed store leaves it where it was.
    """
    report = replacing or Report()
    old_file = report.original.name if replacing else ""
    report.content_hash = parsed.content_hash
    if original:
        report.original.name = original
    else:
        report.original.save(storage_name(source_name, max_bytes=name_bytes), ContentFile(data), save=False)
    new_file = report.original.name
    pages = _page_rows(report, parsed.scanned_pages)
    new_files = ([] if original else [new_file]) + [page.image.name for page in pages]
    try:
        with transaction.atomic():
            report.association = find_or_create_association(
                parsed.association_name, region=parsed.association_region, kind=parsed.association_kind
            )
            for name in ("title", "published", "year", "document_number", "source", "authors", "language", "body", "warnings"):
                setattr(report, name, getattr(parsed, name))
            report.source_name = source_name
            report.index_pending = True
            report.save()
            report.sections.all().delete()
            Section.objects.bulk_create(
                Section(report=report, order=s.order, level=s.level, heading=s.heading, text=s.text, anchor=s.anchor)
                for s in parsed.sections
            )
            # The old pages' files go with their rows (reports.services.originals), after the commit.
            for old_page in report.scanned_pages.all():
                old_page.delete()
            for page in pages:
                page.report = report
            ScannedPage.objects.bulk_create(pages)
            if old_file and old_file != new_file:
                storage = report.original.storage
                # An upload may keep the old file too (it was the report's original).
                transaction.on_commit(lambda: original_in_use(old_file) or storage.delete(old_file))
    except Exception:
        for name in new_files:
            report.original.storage.delete(name)
        raise
    return report


def _page_rows(report: Report, scanned: list[OcrPage]) -> list[ScannedPage]:
    """Unsaved rows for the scanned pages, their images already written to storage."""
    rows = []
    for page in scanned:
        row = ScannedPage(report=report, number=page.number, width=page.width, height=page.height, text=page.text,
                          language=page.language, confidence=round(page.confidence, 1))
        row.image.save(f"page-{page.number:04d}.jpg", ContentFile(page.image), save=False)
        rows.append(row)
    return rows


def find_or_create_association(name: str, *, region: str = "", kind: str = "") -> Association:
    """The association of that name in either script, created if it does not exist yet."""
    existing = Association.objects.matching_name(name).first()
    if existing:
        return existing
    association = Association(name=name, region=region, kind=kind, slug=_unique_slug(name))
    try:
        # A savepoint: two uploads may create the same new association at the same moment.
        with transaction.atomic():
            association.save()
    except IntegrityError:
        existing = Association.objects.matching_name(name).first()
        if existing is None:
            raise
        return existing
    return association


def _unique_slug(name: str) -> str:
    base = slugify(script_key(name), allow_unicode=True)[:180] or "association"
    slug, counter = base, 2
    while Association.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug
