"""One writer at a time, across processes, for the Whoosh index.

Whoosh allows a single writer and answers a second one with ``LockError`` at once.
Web workers, the ingest command and ``rebuild_index`` all write, so writers queue on
an ``flock`` next to the index directory (beside it, not inside: haystack's
``rebuild_index`` may recreate the directory). The lock is re-entrant within a
thread, so a service holding it can call backend methods that take it too.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path


class IndexLockTimeout(TimeoutError):
    """Another process kept the index for longer than we were willing to wait."""


_held = threading.local()


def lock_path_for(index_path: str | os.PathLike) -> Path:
    path = Path(index_path)
    return path.with_name(path.name + ".lock")


@contextmanager
def index_write_lock(index_path: str | os.PathLike, *, timeout: float = 30.0, poll: float = 0.05):
    lock_path = lock_path_for(index_path)
    key = str(lock_path)
    depth = getattr(_held, "depth", {})
    _held.depth = depth
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return

    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLockTimeout(f"The search index at {index_path} stayed locked for {timeout:.0f}s.")
                time.sleep(poll)
        depth[key] = 1
        try:
            yield
        finally:
            depth[key] = 0
            fcntl.flock(handle, fcntl.LOCK_UN)
