"""`make serve`: gunicorn and the background worker together; Ctrl-C (or TERM) stops both.

A small supervisor with the standard library only: it starts both processes,
passes a stop signal on to both, and if either one exits by itself it stops
the other and exits with that one's status, so nothing is left half running.

    python scripts/serve.py .venv/bin/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:8000 archive.wsgi

The arguments are the web server's command line; the worker is `manage.py worker`.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("web", nargs=argparse.REMAINDER, help="the web server's command line")
    args = parser.parse_args()
    if not args.web:
        parser.error("give the web server's command line")
    python = sys.executable
    # Sessions of their own: a terminal's Ctrl-C reaches this supervisor only, which
    # passes one stop signal to each (the worker takes a second one as "stop now").
    children = {
        "gunicorn": subprocess.Popen(args.web, cwd=REPO, start_new_session=True),
        "worker": subprocess.Popen([python, "manage.py", "worker"], cwd=REPO, start_new_session=True),
    }
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        if not stopping:
            stopping = True
            for child in children.values():
                if child.poll() is None:
                    # gunicorn's quick stop is INT; the worker puts a file it was reading back in the queue.
                    child.send_signal(signal.SIGINT if child is children["gunicorn"] else signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    status = 0
    while any(child.poll() is None for child in children.values()):
        for name, child in children.items():
            if child.poll() is not None and not stopping:
                print(f"serve: {name} exited with status {child.returncode}; stopping the rest.", file=sys.stderr)
                status = child.returncode or 1
                stop(None, None)
        time.sleep(0.2)
    deadline = time.monotonic() + 30
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    return status


if __name__ == "__main__":
    os.chdir(REPO)
    sys.exit(main())
