"""The settings that bound reading a file, turned into the values the code below takes.

The one place that reads them: the capped child (memory and time), and the
parse limits the parser checks before expensive work (``reports.ingest``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from reports.ingest.limits import parse_limits_from_settings

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadingCaps:
    memory_mb: int
    seconds: int

    @property
    def memory_bytes(self) -> int:
        return self.memory_mb * MB


def worker_memory_bytes() -> int:
    """``ARCHIVE_WORKER_MEMORY_MB``: the worker's own bound (0: none)."""
    return settings.ARCHIVE_WORKER_MEMORY_MB * MB


def reading_caps() -> ReadingCaps:
    """``ARCHIVE_PARSE_MEMORY_MB`` and ``ARCHIVE_PARSE_SECONDS``, as they are now."""
    return ReadingCaps(memory_mb=settings.ARCHIVE_PARSE_MEMORY_MB, seconds=settings.ARCHIVE_PARSE_SECONDS)


def parse_keywords() -> dict:
    """What ``parse_bytes`` is given besides the file, from the settings (parsers never read them).

    The one hook through which the settings reach parsing, in the capped child and out of it:
    the parse limits (``ARCHIVE_MAX_*``) and LibreOffice's time.
    """
    return {"limits": parse_limits_from_settings(), "convert_timeout": settings.ARCHIVE_CONVERT_TIMEOUT_SECONDS}
