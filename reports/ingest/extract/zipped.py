"""Zip-based documents (.docx; OFD and .odt alike) opened only when they cannot inflate past the limits.

A zip says in its central directory how big each member is once inflated, and a
zip bomb says so too, or lies. So the declared sizes are checked first (each
member, all of them, and each against what it takes stored), which refuses an
honest bomb without inflating a byte. Then every member is inflated once, in
chunks that are thrown away, through a counter held to the same limits: Python's
zipfile stops a member at its declared size and fails its checksum, so a member
whose entry understates it is found damaged here, before a reader is given the
archive. Inflating twice costs a little time, never memory: the readers
(python-docx loads every part into memory) see only members known to fit.

One function for every zip-based format: :func:`checked_zip`.
"""

from __future__ import annotations

import io
import zipfile

from reports.ingest.errors import IngestError
from reports.ingest.limits import MB, ZIP_RATIO_FROM, ParseLimits

_CHUNK = 1 * MB


def checked_zip(data: bytes, *, filename: str, limits: ParseLimits) -> zipfile.ZipFile:
    """The archive in ``data``, once it is known to stay within ``limits`` inflated.

    Raises ``IngestError`` for a zip over a limit; ``zipfile.BadZipFile`` (and
    ``zlib.error``, ``EOFError``) for one that is damaged, for the format's reader
    to word as it words its other read errors.
    """
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = archive.infolist()
    if len(members) > limits.zip_members:
        raise IngestError("zip_too_many_members", name=filename, members=len(members), limit=limits.zip_members)
    declared = 0
    for member in members:
        _check_member(member, member.file_size, filename=filename, limits=limits)
        declared += member.file_size
        _check_total(declared, filename=filename, limits=limits)
    inflated = 0
    for member in members:
        size = 0
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                inflated += len(chunk)
                _check_member(member, size, filename=filename, limits=limits)
                _check_total(inflated, filename=filename, limits=limits)
    return archive


def _check_member(member: zipfile.ZipInfo, size: int, *, filename: str, limits: ParseLimits) -> None:
    if size > limits.zip_member_bytes:
        raise IngestError("zip_member_too_large", name=filename, member=member.filename,
                          limit_mb=limits.zip_member_bytes // MB)
    if size > ZIP_RATIO_FROM and size > limits.zip_ratio * max(member.compress_size, 1):
        raise IngestError("zip_ratio", name=filename, member=member.filename, ratio=limits.zip_ratio)


def _check_total(size: int, *, filename: str, limits: ParseLimits) -> None:
    if size > limits.zip_total_bytes:
        raise IngestError("zip_too_large", name=filename, limit_mb=limits.zip_total_bytes // MB)
