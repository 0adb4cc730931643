"""Point the search at an index directory of a test's own."""

from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.test import override_settings
from haystack import connections


@contextmanager
def index_at(path: Path):
    """Point haystack's default connection at the index in ``path``.

    Haystack's engines read ``settings.HAYSTACK_CONNECTIONS`` when built, while its
    connection handler keeps the dict it was created with and caches engines per
    thread: all three are swapped, and put back afterwards.
    """
    original = connections.connections_info
    swapped = {**original, "default": {**original["default"], "PATH": str(path)}}
    with override_settings(HAYSTACK_CONNECTIONS=swapped):
        connections.connections_info = settings.HAYSTACK_CONNECTIONS
        connections.reload("default")
        try:
            yield path
        finally:
            connections.connections_info = original
            connections.reload("default")
