"""A stored original's file name, short enough for the file system.

Placeholder until the ``limits`` branch's name-cutting function (in
``reports.ingest``) is on main; this then calls it.
"""

from pathlib import PurePosixPath

# 255 bytes is the file system's limit for one name; the storage may add "_" and 7
# characters to keep two files of the same name apart.
MAX_NAME_BYTES = 255 - 8


def fit_file_name(name: str, *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``name`` cut to ``max_bytes`` in UTF-8, keeping its extension and whole characters."""
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    path = PurePosixPath(name)
    suffix = path.suffix if len(path.suffix.encode("utf-8")) <= 16 else ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    room = max_bytes - len(suffix.encode("utf-8"))
    return stem.encode("utf-8")[:room].decode("utf-8", errors="ignore") + suffix
