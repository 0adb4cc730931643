"""File names: the name a report is known by, and the name its original is kept under.

The name as uploaded is what staff and readers see, whole (up to the 255
characters its column holds). The file on disk is another matter: a file system
counts a name in bytes, not characters, 255 on ext4 and most others (143 on
eCryptfs, hence the setting ``ARCHIVE_MAX_NAME_BYTES``), and 90 Chinese
characters with ".txt" are 274 bytes of UTF-8. So the stored name is cut to a
number of bytes, at a whole character, keeping the extension, which says what
the file is. One module for both, used by ``manage.py ingest`` and the uploads.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename

# What Report.source_name and Upload.name hold.
NAME_CHARACTERS = 255
# Django's storage adds "_" and seven characters to a name that is already taken.
STORAGE_SUFFIX_BYTES = 8
# Longer than this, what follows the last dot is not an extension but part of the name.
_MAX_SUFFIX_BYTES = 16


def fit_name(name: str, *, max_bytes: int | None = None, max_characters: int | None = None) -> str:
    """``name`` cut to at most ``max_bytes`` of UTF-8 and ``max_characters``, at a whole character, keeping its extension."""
    def fits(text: str) -> bool:
        return (max_bytes is None or len(text.encode("utf-8")) <= max_bytes) and (
            max_characters is None or len(text) <= max_characters)

    if fits(name):
        return name
    suffix = PurePosixPath(name).suffix
    if len(suffix.encode("utf-8")) > _MAX_SUFFIX_BYTES:
        suffix = ""
    stem = name[: len(name) - len(suffix)]
    if max_characters is not None:
        stem = stem[: max_characters - len(suffix)]
    if max_bytes is not None:
        stem = stem.encode("utf-8")[: max_bytes - len(suffix.encode("utf-8"))].decode("utf-8", errors="ignore")
    return stem.rstrip() + suffix


def display_name(filename: str) -> str:
    """The file's own name, without folders, as staff and readers see it."""
    name = Path(filename.replace("\\", "/")).name.strip() or "report.txt"
    return fit_name(name, max_characters=NAME_CHARACTERS)


def storage_name(source_name: str, *, max_bytes: int = 255) -> str:
    """A name the file storage accepts ("..", "." or punctuation alone are not), with room for its suffix."""
    try:
        name = get_valid_filename(source_name)
    except SuspiciousFileOperation:
        suffix = Path(source_name).suffix
        name = "original" + (suffix if suffix not in ("", ".") else ".txt")
    return fit_name(name, max_bytes=max_bytes - STORAGE_SUFFIX_BYTES)
