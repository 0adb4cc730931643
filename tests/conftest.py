from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Tests check behaviour, never timings: Hypothesis's default deadline (200 ms an example)
# fails property tests at random on a loaded machine (eight engineers share two cores).
hypothesis_settings.register_profile("archive", deadline=None)
hypothesis_settings.load_profile("archive")

# A real gunicorn on loopback, shared by the server and security tests (see tests/server/gunicorn.py).
from tests.server.gunicorn import gunicorn_server  # noqa: E402,F401

from tests.search_index import index_at

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def own_search_index(tmp_path):
    """An empty index for this test alone: its database rows roll back, so must its documents."""
    with index_at(tmp_path / "whoosh_index") as path:
        yield path


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture
def seed_bytes():
    """The raw bytes of a seed file, by its number prefix ('000' ... '004')."""

    def read(prefix: str) -> bytes:
        (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
        return path.read_bytes()

    return read


@pytest.fixture(scope="session")
def word_files() -> dict[str, bytes]:
    """.doc, .wps, .rtf and .odt of one official document, written by LibreOffice once per test run."""
    from tests.documents import word_processor_files

    return word_processor_files()
