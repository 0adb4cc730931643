"""What kind of file a byte string is, judged by its content first and its name second.

Staff rename files and sites mislabel them, so the magic bytes win over the
extension; the extension only breaks ties (an ``.html`` file without a doctype)
and explains refusals ("named .pdf but is not a PDF").
"""

import re
from enum import Enum
from pathlib import PurePath

from django.utils.translation import gettext as _

from reports.ingest.errors import IngestError


class Format(Enum):
    TEXT = "text"
    HTML = "html"
    DOCX = "docx"
    PDF = "pdf"
    IMAGE = "image"     # a scan or photo of pages, read by OCR


# Formats that are certainly not a report we can read, by their first bytes.
_FOREIGN_MAGIC: list[tuple[bytes, str]] = [
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "program"),
    (b"MZ", "Windows program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document (.doc/.xls/.ppt)"),
    (b"{\\rtf", "RTF document"),
]

# Scans and photos: PNG, JPEG, TIFF (little- and big-endian).
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
_HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
# Every file name ending that a folder ingest picks up and the upload form offers.
TEXT_SUFFIXES = {".txt", ".text"}
SUPPORTED_SUFFIXES = frozenset(TEXT_SUFFIXES | _HTML_EXTENSIONS | IMAGE_SUFFIXES | {".docx", ".pdf"})
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I | re.S)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def detect_format(data: bytes, *, filename: str) -> Format:
    """The format of ``data``; raises IngestError for anything that is not a report we can read."""
    ext = PurePath(filename).suffix.lower()
    head = data[:4096]

    if b"%PDF-" in head[:1024]:
        return Format.PDF
    if head.startswith(b"PK\x03\x04"):
        # The part names sit uncompressed in the ZIP directory.
        if b"word/document.xml" in data:
            return Format.DOCX
        raise IngestError(_("“%(name)s” is a ZIP archive, not a Word .docx file: upload the report itself.") % {"name": filename})
    if head.startswith(_IMAGE_MAGIC):
        return Format.IMAGE
    kind = _foreign_kind(head)
    if kind:
        raise IngestError(
            _("“%(name)s” is a %(kind)s, not a report we can read. Upload the report as text, HTML, Word .docx, PDF, or scanned pages as PNG, JPEG or TIFF.")
            % {"name": filename, "kind": kind}
        )
    if ext == ".pdf":
        raise IngestError(_("“%(name)s” is named .pdf but is not a PDF file.") % {"name": filename})
    if ext == ".docx":
        raise IngestError(_("“%(name)s” is named .docx but is not a Word document.") % {"name": filename})
    if ext == ".doc":
        raise IngestError(_("“%(name)s”: old Word .doc files are not supported; save it as .docx or PDF.") % {"name": filename})

    sniff = _ascii_view(head)
    if ext in _HTML_EXTENSIONS or _HTML_START.match(sniff) or (sniff.lstrip().startswith(b"<?xml") and b"<html" in sniff.lower()):
        return Format.HTML
    if _looks_binary(head):
        raise IngestError(
            _("“%(name)s” is not text in any supported encoding (UTF-8, UTF-16, GB18030, Big5).") % {"name": filename}
        )
    return Format.TEXT


def _foreign_kind(head: bytes) -> str | None:
    for magic, kind in _FOREIGN_MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP image"
    if head[4:8] == b"ftyp":
        return "video or HEIC image"
    if head.startswith(b"BM") and len(head) > 14 and int.from_bytes(head[2:6], "little") > 0 and head[6:10] == b"\0\0\0\0":
        return "BMP image"
    return None


def _ascii_view(head: bytes) -> bytes:
    """The start of the file with BOM and UTF-16 zero bytes gone, enough to spot ``<html``."""
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    return head.replace(b"\x00", b"")[:1024]


def _looks_binary(head: bytes) -> bool:
    """True for bytes no text encoding we accept would produce.

    Control bytes never occur in UTF-8, GB18030 or Big5 text; they do in
    UTF-16, so a file full of them is binary unless it reads as UTF-16.
    """
    if head.startswith(_BOMS[1:]):
        return False
    controls = sum(1 for b in head if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))
    if controls <= max(2, len(head) // 100):
        return False
    return not _reads_as_utf16(head)


def _reads_as_utf16(head: bytes) -> bool:
    # Random bytes hit an unpaired surrogate within a few hundred characters;
    # real UTF-16 text decodes strictly (the cut may split the last pair: drop it).
    even = head[: len(head) // 2 * 2]
    for encoding in ("utf-16-le", "utf-16-be"):
        for cut in (0, 2):
            try:
                text = even[: len(even) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
            printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
            if printable >= 0.95 * len(text):
                return True
    return False
