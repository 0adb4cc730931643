"""gunicorn settings for the archive (`gunicorn --config gunicorn.conf.py archive.wsgi`).

Every value can be changed from the environment without editing this file, so
the same file serves a laptop (`make serve`), the tests and a server behind a
reverse proxy. gunicorn also reads GUNICORN_CMD_ARGS, and command-line flags
such as `--bind` win over what is set here.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# Loopback unless told otherwise: the public side is the reverse proxy's job.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers, the usual 2 x cores + 1: requests are short (a search, a page,
# a small upload) and mostly wait on SQLite/PostgreSQL or the Whoosh files.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# A request slower than this is stuck, not busy: the worker is replaced.
# Large uploads are capped by ARCHIVE_MAX_UPLOAD_BYTES, so 60 s is ample.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then so a slow leak (Whoosh searchers, parser caches)
# never grows without bound; the jitter keeps them from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Headers are small on this site; refuse absurd ones early.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Access log and errors to stdout/stderr by default, where systemd or the
# container runtime collects them; set a path to write a file instead.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The usual combined format plus the time taken in microseconds (%(D)s).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus'

# Which proxies may set X-Forwarded-Proto (and so tell Django a request came
# over TLS). Only the proxy on this machine by default.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Heartbeat files in memory, not on a disk that may stall under load.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

proc_name = "archive"


def post_worker_init(worker):
    # Each worker opens the search index and builds its script converters before its
    # first request, not during it (the converters alone take some 40 ms).
    from reports.search import warm_up

    warm_up()


# gunicorn 25+ opens a control socket at one fixed path per user ($HOME/.gunicorn/gunicorn.ctl),
# so two instances (a second site, the tests' servers) would take it from each other. Signals
# (HUP to reload, TERM to stop) do the same job; set GUNICORN_CONTROL_SOCKET to a path of
# this instance's own to have it anyway.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
