"""OpenDocument ``.odt`` files, read by LibreOffice.

An .odt stores list structure, not the labels drawn for it (``一、``, ``1.``):
computing them means implementing ODF's list numbering (styles, levels,
continued and restarted lists), which LibreOffice, the format's reference
implementation, already does.
"""

from reports.ingest.extract.libreoffice import DEFAULT_TIMEOUT_SECONDS, convert_to_text
from reports.ingest.extract.zipped import checked_zip
from reports.ingest.limits import ParseLimits


def odt_to_text(data: bytes, *, filename: str, limits: ParseLimits = ParseLimits(), timeout: float = DEFAULT_TIMEOUT_SECONDS) -> str:
    # An .odt is a zip too: LibreOffice is given only one known to stay within the limits inflated.
    checked_zip(data, filename=filename, limits=limits)
    return convert_to_text(data, filename=filename, suffix=".odt", timeout=timeout)
