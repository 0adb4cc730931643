"""OpenDocument ``.odt`` files, read by LibreOffice.

An .odt stores list structure, not the labels drawn for it (``一、``, ``1.``):
computing them means implementing ODF's list numbering (styles, levels,
continued and restarted lists), which LibreOffice, the format's reference
implementation, already does.
"""

from reports.ingest.extract.libreoffice import DEFAULT_TIMEOUT_SECONDS, convert_to_text


def odt_to_text(data: bytes, *, filename: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> str:
    return convert_to_text(data, filename=filename, suffix=".odt", timeout=timeout)
