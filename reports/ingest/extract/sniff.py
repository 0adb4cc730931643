"""What kind of file a byte string is, judged by its content first and its name second.

Staff rename files and sites mislabel them, so the magic bytes win over the
extension; the extension only breaks ties (an ``.html`` file without a doctype)
and explains refusals ("named .pdf but is not a PDF").
"""

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePath

# Kinds of file are named in English and marked for translation: a refusal stores the English
# name with its code, and its message is worded in the reader's language when shown.
from django.utils.translation import gettext_noop as _

from reports.ingest.errors import IngestError


class Format(Enum):
    TEXT = "text"
    HTML = "html"
    DOCX = "docx"
    DOC = "doc"
    WPS = "wps"
    RTF = "rtf"
    ODT = "odt"
    PDF = "pdf"
    IMAGE = "image"     # a scan or photo of pages, read by OCR
    OFD = "ofd"


@dataclass(frozen=True)
class FileKind:
    format: Format
    suffixes: tuple[str, ...]    # the file name endings a folder ingest picks up and the upload form offers
    name: str                    # as staff know it, for messages (translated when shown)
    content_type: str            # what a kept original is sent back as


# The one table of what the archive reads.
FORMATS = (
    FileKind(Format.TEXT, (".txt", ".text"), _("plain text"), "text/plain"),
    FileKind(Format.HTML, (".html", ".htm", ".xhtml", ".shtml"), _("HTML"), "text/html"),
    FileKind(Format.DOCX, (".docx",), _("Word .docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    FileKind(Format.DOC, (".doc",), _("Word 97-2003 .doc"), "application/msword"),
    FileKind(Format.WPS, (".wps",), _("WPS .wps"), "application/vnd.ms-works"),
    FileKind(Format.RTF, (".rtf",), _("RTF"), "application/rtf"),
    FileKind(Format.ODT, (".odt",), _("OpenDocument .odt"), "application/vnd.oasis.opendocument.text"),
    FileKind(Format.PDF, (".pdf",), _("PDF"), "application/pdf"),
    FileKind(Format.OFD, (".ofd",), _("OFD"), "application/ofd"),
    FileKind(Format.IMAGE, (".png",), _("PNG image"), "image/png"),
    FileKind(Format.IMAGE, (".jpg", ".jpeg"), _("JPEG image"), "image/jpeg"),
    FileKind(Format.IMAGE, (".tif", ".tiff"), _("TIFF image"), "image/tiff"),
)
_KIND_BY_SUFFIX = {suffix: kind for kind in FORMATS for suffix in kind.suffixes}
SUPPORTED_SUFFIXES = frozenset(_KIND_BY_SUFFIX)


# Formats that are certainly not a report we can read, by their first bytes.
_FOREIGN_MAGIC: list[tuple[bytes, str]] = [
    (b"GIF87a", _("GIF image")),
    (b"GIF89a", _("GIF image")),
    (b"\x00\x00\x01\x00", _("icon image")),
    (b"\x1f\x8b", _("gzip archive")),
    (b"Rar!\x1a\x07", _("RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", _("7-Zip archive")),
    (b"\x7fELF", _("program")),
    (b"MZ", _("Windows program")),
]

# Scans and photos: PNG, JPEG, TIFF (little- and big-endian).
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# An OLE compound file (Office 97-2003, WPS, Works) names its streams in UTF-16 in its directory.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_WORKS_STREAM = "CONTENTS".encode("utf-16-le")
_ODF_TEXT = b"mimetypeapplication/vnd.oasis.opendocument.text"
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I | re.S)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def detect_format(data: bytes, *, filename: str) -> Format:
    """The format of ``data``; raises IngestError for anything that is not a report we can read."""
    ext = PurePath(filename).suffix.lower()
    head = data[:4096]

    if b"%PDF-" in head[:1024]:
        return Format.PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(data, filename=filename)
    if head.startswith(_OLE_MAGIC):
        return _ole_format(data, ext=ext, filename=filename)
    if head.startswith(b"{\\rtf"):
        return Format.RTF
    if head.startswith(_IMAGE_MAGIC):
        return Format.IMAGE
    kind = _foreign_kind(head)
    if kind:
        raise IngestError("foreign_format", name=filename, kind=kind)
    sniff = _ascii_view(head)
    if ext in _suffixes(Format.HTML) or _HTML_START.match(sniff) or (sniff.lstrip().startswith(b"<?xml") and b"<html" in sniff.lower()):
        return Format.HTML
    if ext in SUPPORTED_SUFFIXES and ext not in _suffixes(Format.TEXT):
        # Named as a document of a kind whose bytes it does not have.
        raise IngestError("misnamed", name=filename, suffix=ext, kind=_KIND_BY_SUFFIX[ext].name)
    if _looks_binary(head):
        raise IngestError("not_text", name=filename)
    return Format.TEXT


def _suffixes(fmt: Format) -> tuple[str, ...]:
    return tuple(suffix for kind in FORMATS if kind.format is fmt for suffix in kind.suffixes)


def _zip_format(data: bytes, *, filename: str) -> Format:
    # The part names sit uncompressed in the ZIP directory; ODF stores its type first, uncompressed.
    if b"word/document.xml" in data:
        return Format.DOCX   # also what WPS Office 2023 and later saves under the name .wps
    if data[30:30 + len(_ODF_TEXT)] == _ODF_TEXT:
        return Format.ODT
    if b"OFD.xml" in data:
        return Format.OFD
    raise IngestError("zip_not_a_document", name=filename)


def _ole_format(data: bytes, *, ext: str, filename: str) -> Format:
    if _WORD_STREAM in data:
        # Kingsoft WPS writes the Word 97 format (a WordDocument stream) under the name .wps.
        return Format.WPS if ext == ".wps" else Format.DOC
    if ext == ".wps" and _WORKS_STREAM in data:
        return Format.WPS   # Microsoft Works, which LibreOffice reads too
    raise IngestError("old_office_not_text", name=filename)


def _foreign_kind(head: bytes) -> str | None:
    for magic, kind in _FOREIGN_MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _("WebP image")
    if head[4:8] == b"ftyp":
        return _("video or HEIC image")
    if head.startswith(b"BM") and len(head) > 14 and int.from_bytes(head[2:6], "little") > 0 and head[6:10] == b"\0\0\0\0":
        return _("BMP image")
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
