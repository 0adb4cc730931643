"""`make serve`'s supervisor (scripts/serve.py): a worker that dies is started again; one that cannot start stops all."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SERVE = [sys.executable, str(REPO / "scripts" / "serve.py")]
# Stand-ins: a "web server" and a "worker" that write their process ids and wait. They take
# Ctrl-C as gunicorn does, by their own handler: run from a background shell (nohup ... &),
# Python inherits SIGINT ignored and would otherwise sleep through it.
WAITS = ("import os, signal, sys, time; signal.signal(signal.SIGINT, signal.default_int_handler); "
         "open(sys.argv[1], 'a').write(f'{os.getpid()}\\n'); time.sleep(120)")


def pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def wait_for(condition, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_a_worker_killed_is_started_again_and_the_site_stays_up(tmp_path):
    web, worker = tmp_path / "web", tmp_path / "worker"
    serve = subprocess.Popen([*SERVE, "--worker", f"{sys.executable} -c \"{WAITS}\" {worker}",
                              sys.executable, "-c", WAITS, str(web)], stderr=subprocess.PIPE, text=True)
    try:
        (first,) = wait_for(lambda: pids(worker))
        os.kill(first, signal.SIGKILL)
        second = wait_for(lambda: pids(worker)[1:])[0]
        assert second != first
        (web_pid,) = pids(web)
        os.kill(web_pid, 0)      # the web server was never stopped
        assert serve.poll() is None
    finally:
        serve.send_signal(signal.SIGINT)
        _, errors = serve.communicate(timeout=30)
    assert "the worker exited with status -9; starting it again" in errors
    assert serve.returncode == 0


def test_a_worker_that_cannot_start_stops_everything_with_its_status(tmp_path):
    web = tmp_path / "web"
    serve = subprocess.run([*SERVE, "--worker", f"{sys.executable} -c \"raise SystemExit(3)\"",
                            sys.executable, "-c", WAITS, str(web)], capture_output=True, text=True, timeout=60)
    assert serve.returncode == 3
    assert serve.stderr.count("starting it again") == 5
    assert "serve: worker exited with status 3; stopping the rest." in serve.stderr
    (web_pid,) = pids(web)
    wait_for(lambda: not _alive(web_pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie of an exited child (reaped later by its parent) counts as gone.
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_a_server_that_does_not_heed_the_stop_signal_is_killed_after_the_grace(tmp_path):
    web, worker = tmp_path / "web", tmp_path / "worker"
    deaf = WAITS.replace("signal.default_int_handler", "signal.SIG_IGN")
    serve = subprocess.Popen([*SERVE, "--worker", f"{sys.executable} -c \"{WAITS}\" {worker}",
                              sys.executable, "-c", deaf, str(web)], stderr=subprocess.PIPE, text=True)
    (web_pid,) = wait_for(lambda: pids(web))
    wait_for(lambda: pids(worker))
    started = time.monotonic()
    serve.send_signal(signal.SIGINT)
    serve.communicate(timeout=60)
    assert 25 < time.monotonic() - started < 45   # the grace (30 s), not forever
    with pytest.raises(ProcessLookupError):
        os.kill(web_pid, 0)
