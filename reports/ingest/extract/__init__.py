"""Other formats turned into text before the text pipeline sees them.

:func:`extract` gives the text and, for scanned pages, what OCR made of each
page; :func:`extract_text` the text alone. Plain text is not touched here: both
return None and the caller's decoder, which knows the encodings and counts
what it cannot decode, reads the bytes. One module per format; the formats and
their file name endings are one table, ``sniff.FORMATS``.
"""

from reports.ingest.errors import IngestError
from reports.ingest.extract.doc import doc_to_text
from reports.ingest.extract.docx import docx_to_text
from reports.ingest.extract.extraction import Extraction
from reports.ingest.extract.html import html_to_text
from reports.ingest.extract.images import image_to_pages
from reports.ingest.extract.libreoffice import DEFAULT_TIMEOUT_SECONDS
from reports.ingest.extract.ocr import Progress
from reports.ingest.extract.odt import odt_to_text
from reports.ingest.extract.ofd import ofd_to_text
from reports.ingest.extract.pdf import read_pdf
from reports.ingest.extract.rtf import rtf_to_text
from reports.ingest.extract.sniff import FORMATS, SUPPORTED_SUFFIXES, Format, detect_format
from reports.ingest.extract.wps import wps_to_text
from reports.ingest.limits import ParseLimits

__all__ = [
    "DEFAULT_TIMEOUT_SECONDS", "FORMATS", "SUPPORTED_SUFFIXES", "Extraction", "Format", "check_size", "check_upload",
    "detect_format", "extract", "extract_text",
]


def check_size(size: int, *, filename: str, max_bytes: int | None) -> None:
    """Refuse a file over the caller's size limit (None: no limit)."""
    if max_bytes is not None and size > max_bytes:
        raise IngestError("too_large", name=filename, size=_size(size), limit=_size(max_bytes))


def check_upload(data: bytes, *, filename: str, max_bytes: int | None = None) -> None:
    """Refuse what no format can make a report of: an empty file or one over the size limit."""
    check_size(len(data), filename=filename, max_bytes=max_bytes)
    # A BOM, spaces or line breaks alone are empty too, in any of the encodings.
    if not data.strip(b" \t\r\n\x00\x0b\x0c\xef\xbb\xbf\xff\xfe"):
        raise IngestError("empty", name=filename)


def extract(data: bytes, *, filename: str, max_bytes: int | None = None, limits: ParseLimits = ParseLimits(),
            progress: Progress | None = None, convert_timeout: float = DEFAULT_TIMEOUT_SECONDS) -> Extraction | None:
    """The text of a file in any format we read; None for plain text, which the decoder reads.

    Raises IngestError, with a message for the person who uploaded the file,
    for an empty or oversized file or a format we do not read. Pages without a
    text layer (scans, photos) are read by OCR, which takes seconds a page:
    ``progress(done, total)`` is told of each page. ``max_bytes`` and
    ``limits`` are the caller's limits, each checked before the work it bounds
    (zips before inflating, pages before reading any, HTML as it is built);
    ``convert_timeout`` the seconds a LibreOffice conversion (.doc, .wps, .odt)
    may take. Settings are not read here.
    """
    check_upload(data, filename=filename, max_bytes=max_bytes)
    kind = detect_format(data, filename=filename)
    if kind is Format.TEXT:
        return None
    if kind is Format.HTML:
        extraction = Extraction(html_to_text(data, filename=filename, limits=limits))
    elif kind is Format.DOCX:
        extraction = Extraction(docx_to_text(data, filename=filename, limits=limits))
    elif kind is Format.RTF:
        extraction = Extraction(rtf_to_text(data, filename=filename))
    elif kind is Format.ODT:
        extraction = Extraction(odt_to_text(data, filename=filename, limits=limits, timeout=convert_timeout))
    elif kind in _LIBREOFFICE:
        extraction = Extraction(_LIBREOFFICE[kind](data, filename=filename, timeout=convert_timeout))
    elif kind is Format.OFD:
        extraction = Extraction(ofd_to_text(data, filename=filename, limits=limits))
    elif kind is Format.IMAGE:
        extraction = Extraction.from_ocr(image_to_pages(data, filename=filename, max_pixels=limits.page_pixels,
                                                        max_pages=limits.pages, progress=progress))
    else:
        extraction = read_pdf(data, filename=filename, max_pages=limits.pages, max_pixels=limits.page_pixels,
                              progress=progress)
    if not extraction.text.strip():
        if extraction.scanned:
            raise IngestError("no_text_on_pages", name=filename)
        raise IngestError("no_text", name=filename)
    return extraction


def extract_text(data: bytes, *, filename: str, max_bytes: int | None = None, limits: ParseLimits = ParseLimits(),
                 convert_timeout: float = DEFAULT_TIMEOUT_SECONDS) -> str | None:
    """The text alone (see :func:`extract`)."""
    extraction = extract(data, filename=filename, max_bytes=max_bytes, limits=limits, convert_timeout=convert_timeout)
    return None if extraction is None else extraction.text


_LIBREOFFICE = {Format.DOC: doc_to_text, Format.WPS: wps_to_text}


def _size(n: int) -> str:
    # Not filesizeformat: that one is translated and would mix languages in an untranslated message.
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"
