"""The served-site fixtures: a real gunicorn (and worker) from harness/served.py, shared with bench/.

* ``gunicorn_server`` (session scope, imported in ``tests/conftest.py``): one
  server with the seeds ingested and indexed, shared by every test that only
  reads, or adds its own uploads::

      def test_search_answers(gunicorn_server):
          response = gunicorn_server.get("/search/?q=医学会")
          assert response.status == 200

* ``running_gunicorn(data_dir)``: a server of the test's own, for tests that
  break things (delete the index, kill workers).
"""

import pytest

from harness.served import (  # noqa: F401 - the names tests import from here
    HOST,
    REPO,
    SEEDS,
    GunicornServer,
    Response,
    running_gunicorn,
)


@pytest.fixture(scope="session")
def gunicorn_server(tmp_path_factory):
    """One shared server (and its background worker) with the seeds loaded; tests may add reports but must not break it."""
    with running_gunicorn(tmp_path_factory.mktemp("gunicorn"), worker=True) as server:
        yield server
