"""Interchange: what libraries, reference managers and scripts take from the archive.

One public face: the rest of the code imports from here, not from the modules.

OAI-PMH 2.0 (``oai/``): ``Repository`` describes this archive as a repository
and ``respond`` answers one protocol request with its XML.

Citations: ``cited_report`` makes a report's bibliographic record; ``cite``
writes it in one of ``CITATION_FORMATS`` (GB/T 7714-2015 and APA through
citeproc-py, BibTeX, RIS, CSL-JSON), ``text_citations`` those a page shows;
``highwire_tags`` and ``json_ld`` describe it to machines reading its page.

Exports: ``export_pieces`` writes every result of a search as CSV, JSON Lines,
BibTeX or RIS, a batch at a time.
"""

from reports.interop.citations import CITATION_FILES, CITATION_FORMATS, CitationFormat, cite, text_citations
from reports.interop.embedded import highwire_tags, json_ld, json_ld_script
from reports.interop.exports import (
    EXPORT_FORMATS,
    ExportFormat,
    ExportTooLarge,
    check_export_size,
    export_file_name,
    export_pieces,
)
from reports.interop.oai import Repository, respond
from reports.interop.records import CitedReport, Name, cited_report, split_names

__all__ = [
    "CITATION_FILES",
    "CITATION_FORMATS",
    "EXPORT_FORMATS",
    "CitationFormat",
    "CitedReport",
    "ExportFormat",
    "ExportTooLarge",
    "Name",
    "Repository",
    "check_export_size",
    "cite",
    "cited_report",
    "export_file_name",
    "export_pieces",
    "highwire_tags",
    "json_ld",
    "json_ld_script",
    "respond",
    "split_names",
    "text_citations",
]
