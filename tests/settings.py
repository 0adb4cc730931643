"""Settings for the test run: the real settings, on a data directory of the run's own."""

import os
import tempfile

# Never the real database, index or originals. Subprocesses (gunicorn) inherit this.
os.environ["ARCHIVE_DATA_DIR"] = tempfile.mkdtemp(prefix="archive-test-")
os.environ.pop("DJANGO_DEBUG", None)

from archive.settings import *  # noqa: E402,F401,F403
