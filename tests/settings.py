"""Settings for the test run: the real settings, on a data directory of the run's own."""

import atexit
import os
import shutil
import tempfile

# Never the real database, index or originals. Subprocesses (gunicorn) inherit this.
os.environ["ARCHIVE_DATA_DIR"] = tempfile.mkdtemp(prefix="archive-test-")
# Removed when the run ends (by the process that made it, not by gunicorn children).
_owner = os.getpid()
atexit.register(lambda: os.getpid() == _owner and shutil.rmtree(os.environ["ARCHIVE_DATA_DIR"], ignore_errors=True))
os.environ.pop("DJANGO_DEBUG", None)

from archive.settings import *  # noqa: E402,F401,F403

# Uploads read in this process's own children (run_queued_tasks) inherit what the test
# process holds by then (browsers' clients, OCR, earlier tests): room above the default.
# Servers the tests start read their settings from the environment, not from here.
ARCHIVE_PARSE_MEMORY_MB = 3072
