"""`make serve`: gunicorn and the background worker together; Ctrl-C (or TERM) stops both.

A small supervisor with the standard library only: it starts both processes
and passes a stop signal on to both. A worker that exits by itself is started
again, as systemd's Restart= does in production (an upload it was reading goes
back in the queue), so the site stays up; one that keeps exiting (RESTARTS
times within RESTART_WINDOW seconds: it cannot start) stops everything, and so
does gunicorn exiting, with that one's status, so nothing is left half running.

    python scripts/serve.py .venv/bin/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:8000 archive.wsgi

The arguments are the web server's command line; the worker is `manage.py worker`
(or `--worker "COMMAND"`).
"""

import argparse
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESTARTS = 5
RESTART_WINDOW = 60.0
# Seconds the two have to stop once told to, before they are killed.
STOP_GRACE = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", help="the worker's command line (default: manage.py worker)")
    parser.add_argument("web", nargs=argparse.REMAINDER, help="the web server's command line")
    args = parser.parse_args()
    if not args.web:
        parser.error("give the web server's command line")
    worker = shlex.split(args.worker) if args.worker else [sys.executable, "manage.py", "worker"]
    # Sessions of their own: a terminal's Ctrl-C reaches this supervisor only, which
    # passes one stop signal to each (the worker takes a second one as "stop now").
    children = {
        "gunicorn": subprocess.Popen(args.web, cwd=REPO, start_new_session=True),
        "worker": subprocess.Popen(worker, cwd=REPO, start_new_session=True),
    }
    stopping = False
    deadline = float("inf")
    restarts: list[float] = []

    def stop(signum, frame):
        nonlocal stopping, deadline
        if not stopping:
            stopping, deadline = True, time.monotonic() + STOP_GRACE
            for child in children.values():
                if child.poll() is None:
                    # gunicorn's quick stop is INT; the worker puts a file it was reading back in the queue.
                    child.send_signal(signal.SIGINT if child is children["gunicorn"] else signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    status = 0
    # Until both have stopped, or the grace is over: then whatever did not heed the signal is killed.
    while any(child.poll() is None for child in children.values()) and time.monotonic() < deadline:
        for name, child in list(children.items()):
            if child.poll() is None or stopping:
                continue
            now = time.monotonic()
            restarts[:] = [at for at in restarts if now - at < RESTART_WINDOW]
            if name == "worker" and len(restarts) < RESTARTS:
                print(f"serve: the worker exited with status {child.returncode}; starting it again.", file=sys.stderr)
                restarts.append(now)
                children["worker"] = subprocess.Popen(worker, cwd=REPO, start_new_session=True)
                continue
            print(f"serve: {name} exited with status {child.returncode}; stopping the rest.", file=sys.stderr)
            status = child.returncode or 1
            stop(None, None)
        time.sleep(0.2)
    for child in children.values():
        if child.poll() is None:
            child.kill()
            child.wait()
    return status


if __name__ == "__main__":
    os.chdir(REPO)
    sys.exit(main())
