"""Read one file into a ``ParsedReport`` in a capped child process.

A refusal of the file is an ``IngestError`` as ever; a child that had to be
stopped (memory, time, a crash) raises ``ReadingStopped``, an ``IngestError``
too, so ``manage.py ingest`` reports it like any other failed file, while the
worker tells the two apart (``refused`` and ``failed``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from functools import partial

from reports.ingest import IngestError, ParsedReport, parse_bytes
from reports.processing.capped import CappedChild, ChildOutcome, run_capped
from reports.processing.caps import ReadingCaps, parse_keywords, reading_caps

log = logging.getLogger(__name__)


class ReadingStopped(IngestError):
    """Reading was stopped from outside (a cap, a crash): the file may be fine with more room."""


class ReadingInterrupted(Exception):
    """The worker is stopping: the file was not read and should go back to the queue."""


def read_capped(
    data: bytes,
    *,
    filename: str,
    caps: ReadingCaps | None = None,
    progress: Callable[[int, int], None] | None = None,
    outcome: list | None = None,
    child: CappedChild | None = None,
) -> ParsedReport:
    """``parse_bytes`` in a child with the caps of the settings (or ``caps``).

    A child of its own, unless ``child`` (see ``capped_reading``) is given.
    ``outcome``, if given, receives the child's ``ChildOutcome`` (peak memory, time).
    """
    caps = caps or reading_caps()
    if child is None:
        result = run_capped(
            parse_bytes, data, filename=filename, memory_bytes=caps.memory_bytes, seconds=caps.seconds,
            progress=progress, **parse_keywords(),
        )
    else:
        result = child.run(data, filename=filename, progress=progress, **parse_keywords())
    if outcome is not None:
        outcome.append(result)
    return _parsed_or_raise(result, filename=filename, caps=caps)


@contextmanager
def capped_reading(*, files_per_child: int = 100):
    """A ``parse`` for many files in a row (``manage.py ingest``): each child reads up to ``files_per_child``.

    A fork costs a few milliseconds, as much as parsing a small report: spread
    over many files it is nothing, and a file that hits a cap still kills only
    the child that was reading it.
    """
    caps = reading_caps()
    child = CappedChild(parse_bytes, memory_bytes=caps.memory_bytes, seconds=caps.seconds, calls=files_per_child)
    try:
        yield partial(read_capped, caps=caps, child=child)
    finally:
        child.close()


def _parsed_or_raise(result: ChildOutcome, *, filename: str, caps: ReadingCaps) -> ParsedReport:
    if result.stopped == "interrupted":
        raise ReadingInterrupted(filename)
    if result.stopped == "memory":
        log.warning("Reading %s needed more than %d MB (peak %d KiB)", filename, caps.memory_mb, result.peak_kb)
        raise ReadingStopped("too_much_memory", name=filename, megabytes=caps.memory_mb)
    if result.stopped == "time":
        log.warning("Reading %s took longer than %d s", filename, caps.seconds)
        raise ReadingStopped("too_slow", name=filename, seconds=caps.seconds)
    if result.stopped == "crashed":
        log.warning("Reading %s crashed: %s", filename, result.detail)
        raise ReadingStopped("reader_crashed", name=filename, error=result.detail)
    if isinstance(result.error, IngestError):
        raise result.error
    if result.error is not None:
        # parse_bytes turns a reader's error into a refusal; anything else is a bug in ours.
        log.error("Reading %s failed: %r", filename, result.error)
        raise ReadingStopped("reader_crashed", name=filename, error=type(result.error).__name__)
    return result.value
