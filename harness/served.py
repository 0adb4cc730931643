"""A real gunicorn on 127.0.0.1 (and, when asked, the background worker), for tests and benchmarks.

Shared by the test suite (tests/server/gunicorn.py adds the pytest fixtures)
and bench/, which must not import the tests. Reuse it rather than starting
servers by hand:

* ``running_gunicorn(data_dir)``: a prepared, started server of one's own::

      with running_gunicorn(tmp_path, worker=True) as server:
          server.manage("rebuild_index", "--noinput")

* ``worker=True`` also starts ``manage.py worker`` on the same data and database,
  as ``make serve`` does, so uploads are read in the background.

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

REPO = Path(__file__).resolve().parents[1]
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


def _stop(process: subprocess.Popen | None, stop_signal: int) -> None:
    """Ask a process to stop with ``stop_signal``; KILL if it hangs."""
    if process and process.poll() is None:
        process.send_signal(stop_signal)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@dataclass
class GunicornServer:
    data_dir: Path
    # Not gunicorn.conf.py's 2 x CPUs + 1: on a many-core runner that is dozens of workers
    # per test server, each with its own database connection.
    workers: int | None = 3
    extra_env: dict[str, str] = field(default_factory=dict, repr=False)
    # Also run the background worker (`manage.py worker`) on the same data, as `make serve` does.
    worker: bool = False
    port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)
    worker_process: subprocess.Popen | None = field(default=None, repr=False)
    env: dict[str, str] = field(default_factory=dict, repr=False)  # long, and noise in a failure report
    _database: ScratchDatabase | None = field(default=None, repr=False)
    staff_password: str | None = field(default=None, repr=False)  # set by harness.staff.staff_session

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
                if self.worker:
                    self.start_worker()
                return
            self.stop()
        raise RuntimeError("gunicorn did not start:\n" + self.log_tail())

    def start_worker(self) -> None:
        """`manage.py worker` on this server's data: reads uploads, runs the periodic upkeep."""
        log = open(self.data_dir / "worker.log", "ab")
        self.worker_process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.2"],
            cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()

    def stop_worker(self) -> None:
        # TERM: the worker puts a file it is reading back in the queue and exits.
        _stop(self.worker_process, signal.SIGTERM)
        self.worker_process = None

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
        self.stop_worker()
        # INT is gunicorn's quick shutdown (TERM waits for keep-alive clients).
        _stop(self.process, signal.SIGINT)
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

    def log_tail(self, lines: int = 40, *, name: str = "gunicorn.log") -> str:
        log = self.data_dir / name
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""

    def worker_log_tail(self, lines: int = 40) -> str:
        return self.log_tail(lines, name="worker.log")


@contextlib.contextmanager
def running_gunicorn(data_dir: Path, *, seeds: bool = True, workers: int | None = 3, env: dict[str, str] | None = None,
                     worker: bool = False):
    """A prepared, started server on a free loopback port; stopped (and its database dropped) on exit."""
    server = GunicornServer(data_dir=Path(data_dir), workers=workers, extra_env=env or {}, worker=worker)
    try:
        server.prepare(seeds=seeds)
        server.start()
        yield server
    finally:
        server.close()
