"""How much one file may make the parser do: the limits, checked before the expensive work.

A ``ParseLimits`` value is given to ``parse_bytes`` and handed down to the
extractors as an argument; nothing in ``reports.ingest`` reads the settings.
The settings (``ARCHIVE_MAX_*``, in ``archive/settings.py``) build the value in
one place, :func:`parse_limits_from_settings`, for the callers that read files:
the worker's capped child and ``manage.py ingest``. The defaults here are the
settings' defaults, so a caller that passes nothing gets what a server gets.

Each limit is a refusal with a reason (an ``IngestError`` whose code names the
limit), except the number of sections: a text whose "headings" run into the
thousands is a list, not a structure, and is kept, with its deeper headings
turned back into paragraphs (``reports.ingest.sections``) and a warning.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class ParseLimits:
    # Zip-based documents (.docx; OFD and .odt too): what one may inflate to. Checked on the
    # sizes the zip declares first, then counted while inflating, whatever it declared.
    zip_member_bytes: int = 128 * MB      # one member, inflated
    zip_total_bytes: int = 256 * MB       # all members together, inflated
    zip_ratio: int = 100                  # inflated : stored, for a member over ZIP_RATIO_FROM
    zip_members: int = 10_000             # entries in the zip's directory
    pages: int = 1000                     # pages of a document (PDF, TIFF, OFD: counted before reading any)
    page_pixels: int = 60_000_000         # pixels of one scanned page (an A4 page at 600 dpi has 35 million)
    characters: int = 2_000_000           # characters of a report's text
    sections: int = 2000                  # sections of a report, before deeper headings become text
    html_depth: int = 256                 # elements inside one another in an HTML page
    html_elements: int = 200_000          # elements in an HTML page
    name_bytes: int = 255                 # a file name in UTF-8 (the file system's limit for one name)


# Small members may compress very well (a style sheet of repeated rules does 30:1);
# the ratio only counts for a member that inflates past this.
ZIP_RATIO_FROM = 1 * MB

# The settings that set each limit (one definition, for archive/settings.py and the README).
SETTINGS = {
    "zip_member_bytes": "ARCHIVE_MAX_ZIP_MEMBER_BYTES",
    "zip_total_bytes": "ARCHIVE_MAX_ZIP_TOTAL_BYTES",
    "zip_ratio": "ARCHIVE_MAX_ZIP_RATIO",
    "zip_members": "ARCHIVE_MAX_ZIP_MEMBERS",
    "pages": "ARCHIVE_MAX_PAGES",
    "page_pixels": "ARCHIVE_MAX_PAGE_PIXELS",
    "characters": "ARCHIVE_MAX_CHARACTERS",
    "sections": "ARCHIVE_MAX_SECTIONS",
    "html_depth": "ARCHIVE_MAX_HTML_DEPTH",
    "html_elements": "ARCHIVE_MAX_HTML_ELEMENTS",
    "name_bytes": "ARCHIVE_MAX_NAME_BYTES",
}


def parse_limits_from_settings() -> ParseLimits:
    """The limits as this server is configured (``ARCHIVE_MAX_*``): for callers, never for parsers."""
    from django.conf import settings

    return ParseLimits(**{name: getattr(settings, setting) for name, setting in SETTINGS.items()})
