"""Other formats turned into text before the text pipeline sees them.

One public function, :func:`extract_text`. Plain text is not touched here: it
returns None and the caller's decoder, which knows the encodings and counts
what it cannot decode, reads the bytes.
"""

from django.utils.translation import gettext as _

from reports.ingest.errors import IngestError
from reports.ingest.extract.docx import docx_to_text
from reports.ingest.extract.html import html_to_text
from reports.ingest.extract.pdf import pdf_to_text
from reports.ingest.extract.sniff import SUPPORTED_SUFFIXES, Format, detect_format

__all__ = ["SUPPORTED_SUFFIXES", "Format", "check_size", "check_upload", "detect_format", "extract_text"]


def check_size(size: int, *, filename: str, max_bytes: int | None) -> None:
    """Refuse a file over the caller's size limit (None: no limit)."""
    if max_bytes is not None and size > max_bytes:
        raise IngestError(
            _("“%(name)s” is %(size)s, over the limit of %(limit)s for one file.")
            % {"name": filename, "size": _size(size), "limit": _size(max_bytes)}
        )


def check_upload(data: bytes, *, filename: str, max_bytes: int | None = None) -> None:
    """Refuse what no format can make a report of: an empty file or one over the size limit."""
    check_size(len(data), filename=filename, max_bytes=max_bytes)
    # A BOM, spaces or line breaks alone are empty too, in any of the encodings.
    if not data.strip(b" \t\r\n\x00\x0b\x0c\xef\xbb\xbf\xff\xfe"):
        raise IngestError(_("“%(name)s” is empty.") % {"name": filename})


def extract_text(data: bytes, *, filename: str, max_bytes: int | None = None) -> str | None:
    """The text of an HTML, .docx or PDF file; None for plain text, which the decoder reads.

    Raises IngestError, with a message for the person who uploaded the file,
    for an empty or oversized file, a format we do not read, or a PDF without
    a text layer. ``max_bytes`` is the caller's limit (settings are not read here).
    """
    check_upload(data, filename=filename, max_bytes=max_bytes)
    kind = detect_format(data, filename=filename)
    if kind is Format.TEXT:
        return None
    if kind is Format.HTML:
        text = html_to_text(data)
    elif kind is Format.DOCX:
        text = docx_to_text(data, filename=filename)
    else:
        text = pdf_to_text(data, filename=filename)
    if not text.strip():
        raise IngestError(_("“%(name)s” has no text in it.") % {"name": filename})
    return text


def _size(n: int) -> str:
    # Not filesizeformat: that one is translated and would mix languages in an untranslated message.
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"
