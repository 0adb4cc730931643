"""Bytes in, a stored report out.

The public face of the ingestion package; the rest of the code imports only these.
"""

from reports.ingest.errors import IngestError
from reports.ingest.pipeline import IngestResult, ParsedReport, ParsedSection, ingest_bytes, ingest_path, parse_bytes

__all__ = [
    "IngestError",
    "IngestResult",
    "ParsedReport",
    "ParsedSection",
    "ingest_bytes",
    "ingest_path",
    "parse_bytes",
]
