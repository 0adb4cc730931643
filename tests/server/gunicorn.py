"""A real gunicorn on 127.0.0.1, for tests and benchmarks that need a served site.

Reuse it rather than starting servers by hand:

* the ``gunicorn_server`` fixture (session scope, imported in ``tests/conftest.py``):
  one server with the seeds ingested and indexed, shared by every test that only
  reads, or adds its own uploads::

      def test_search_answers(gunicorn_server):
          response = gunicorn_server.get("/search/?q=医学会")
          assert response.status == 200

* ``running_gunicorn(data_dir)``: a server of the test's own, for tests that
  break things (delete the index, kill workers)::

      with running_gunicorn(tmp_path) as server:
          server.manage("rebuild_index", "--noinput")

Each server gets its own ``ARCHIVE_DATA_DIR`` (SQLite database, Whoosh index,
originals) and a free port. When ``DATABASE_URL`` is set (the PostgreSQL run in
CI), each server gets a fresh database of its own on that cluster instead of
SQLite, dropped when it stops. Only loopback is ever used.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
HOST = "127.0.0.1"
START_TIMEOUT = 60  # seconds for migrate + boot; ingest has its own bound
COMMAND_TIMEOUT = 300


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def free_port() -> int:
    # The kernel picks an unused port; the tiny race until gunicorn binds it is
    # covered by start() retrying on a bind failure.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def base_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The environment of a server process: the real settings, on this server's data only."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ARCHIVE_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="archive.settings",
        ARCHIVE_ENV="local",
        ARCHIVE_DATA_DIR=str(data_dir),
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


class ScratchDatabase:
    """A PostgreSQL database of one server's own, next to the one DATABASE_URL names."""

    def __init__(self, url: str):
        self.admin_url = url
        self.name = f"archive_srv_{secrets.token_hex(4)}"
        parts = urlsplit(url)
        self.url = urlunsplit(parts._replace(path="/" + quote(self.name)))

    def _execute(self, sql: str) -> None:
        import dj_database_url
        import psycopg

        config = dj_database_url.parse(self.admin_url)
        with psycopg.connect(
            dbname=config["NAME"], user=config["USER"] or None, password=config["PASSWORD"] or None,
            host=config["HOST"] or None, port=config["PORT"] or None, autocommit=True,
        ) as connection:
            connection.execute(sql)

    def create(self) -> str:
        self._execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    def drop(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@dataclass
class GunicornServer:
    data_dir: Path
    # Not gunicorn.conf.py's 2 x CPUs + 1: on a many-core runner that is dozens of workers
    # per test server, each with its own database connection.
    workers: int | None = 3
    extra_env: dict[str, str] = field(default_factory=dict, repr=False)
    port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)
    env: dict[str, str] = field(default_factory=dict, repr=False)  # long, and noise in a failure report
    _database: ScratchDatabase | None = field(default=None, repr=False)
    staff_password: str | None = field(default=None, repr=False)  # set by browser_session.staff_session

    # -- set-up -------------------------------------------------------------

    def prepare(self, *, seeds: bool = True) -> None:
        """Migrate, and ingest the seed corpus (indexed as it is stored), as `make serve` does."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "static").mkdir(exist_ok=True)  # WhiteNoise warns when STATIC_ROOT is missing
        database_url = None
        if os.environ.get("DATABASE_URL"):
            self._database = ScratchDatabase(os.environ["DATABASE_URL"])
            database_url = self._database.create()
        self.env = {**base_env(self.data_dir, database_url), **self.extra_env}
        self.manage("migrate", "--noinput")
        if seeds:
            self.manage("ingest", str(SEEDS))

    def manage(self, *args: str, timeout: float = COMMAND_TIMEOUT, check: bool = True,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """Run `manage.py ARGS` against this server's data; raise with its output on failure."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=REPO, env={**self.env, **(env or {})},
            capture_output=True, text=True, timeout=timeout,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def start(self) -> None:
        for attempt in range(3):
            self.port = free_port()
            log = open(self.data_dir / "gunicorn.log", "ab")
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                    "--bind", f"{HOST}:{self.port}",
                    *(["--workers", str(self.workers)] if self.workers else []),
                    "--access-logfile", str(self.data_dir / "access.log"), "archive.wsgi",
                ],
                cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )
            log.close()
            if self._wait_ready():
                return
            self.stop()
        raise RuntimeError("gunicorn did not start:\n" + self.log_tail())

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False  # exited: port taken or a settings error; the log says which
            try:
                if self.get("/api/reports/", timeout=5).status < 500:
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # INT is gunicorn's quick shutdown (TERM waits for keep-alive clients); KILL if it hangs.
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        self.stop()
        if self._database:
            self._database.drop()
            self._database = None

    # -- use ----------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def request(self, method: str, path: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None, timeout: float = 30) -> Response:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def worker_pids(self) -> list[int]:
        """The workers' process ids (children of the master), for fault tests."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def log_tail(self, lines: int = 40) -> str:
        log = self.data_dir / "gunicorn.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


@contextlib.contextmanager
def running_gunicorn(data_dir: Path, *, seeds: bool = True, workers: int | None = 3, env: dict[str, str] | None = None):
    """A prepared, started server on a free loopback port; stopped (and its database dropped) on exit."""
    server = GunicornServer(data_dir=Path(data_dir), workers=workers, extra_env=env or {})
    try:
        server.prepare(seeds=seeds)
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def gunicorn_server(tmp_path_factory):
    """One shared server with the seeds loaded; tests may add reports but must not break it."""
    with running_gunicorn(tmp_path_factory.mktemp("gunicorn")) as server:
        yield server
