"""Bytes in, a stored report out (being written: the signatures are the contract)."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reports.models import Report


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
    source: str
    authors: str
    language: str                 # "zh-Hans", "zh-Hant" or "en"
    association_name: str
    association_region: str
    association_kind: str
    body: str                     # the cleaned text, damaged spans shown as U+FFFD
    sections: list[ParsedSection]
    warnings: list[dict]          # {"kind": "damaged"|"undecodable"|"guessed"|..., "message": str, ...}
    content_hash: str             # sha256 of the decoded text, the same whatever the encoding


@dataclass
class IngestResult:
    source_name: str
    status: str                   # "created", "updated", "unchanged", "duplicate", "failed"
    report: Report | None = None
    warnings: list[dict] = field(default_factory=list)
    error: str = ""


def parse_bytes(data: bytes, *, filename: str) -> ParsedReport:
    """Decode, clean and structure one file. Raises IngestError with a message for people."""
    raise NotImplementedError


def ingest_bytes(data: bytes, *, filename: str, dry_run: bool = False) -> IngestResult:
    """Parse and store one file in one transaction; the index follows after the commit."""
    raise NotImplementedError


def ingest_path(path: Path, *, dry_run: bool = False) -> IngestResult:
    raise NotImplementedError
