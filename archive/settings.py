"""Settings for the society work report archive.

Everything that differs between a laptop and a server comes from the
environment; the defaults give a safe local run (no debug, localhost only,
SQLite and Whoosh inside ``ARCHIVE_DATA_DIR``).
"""

import os
import re
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "local" generates what it needs; "production" refuses to start without it.
ARCHIVE_ENV = os.environ.get("ARCHIVE_ENV", "local").strip().lower()
PRODUCTION = ARCHIVE_ENV == "production"

DATA_DIR = Path(os.environ.get("ARCHIVE_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when ARCHIVE_ENV=production.")
    # A local run keeps a generated key in the data directory, never in the repo.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Written private from the start, then linked into place: of several workers
        # starting at once on a fresh data directory, one key wins and all read it.
        fd, temporary = tempfile.mkstemp(dir=DATA_DIR, prefix=".secret_key.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(temporary, key_file)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_flag("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "reports.apps.ArchiveAdminConfig",   # django.contrib.admin, with the archive's own site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "drf_spectacular",
    "haystack",
    "reports.apps.LoginThrottleConfig",  # django-axes, named for staff
    "django_tasks",
    "django_tasks_db",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost, so every response gets the headers: static files, 413s, errors.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before anything reads the body (CsrfViewMiddleware reads request.POST).
    "reports.upload_limit.UploadSizeLimitMiddleware",
    # NUL in an address or parameter: a 404/400 on every database, not a 500 on PostgreSQL.
    "reports.null_characters.NullCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "reports.middleware.ScriptPreferenceMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reports.context_processors.script_switch",
                "reports.context_processors.oai",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "archive.sqlite3",
            # Writers wait for each other instead of failing with "database is locked".
            # WAL lets readers (web workers) go on while the writer commits, and with
            # synchronous=NORMAL a commit no longer waits for an fsync: 20 ms per stored
            # report in rollback-journal mode, most of a bulk ingest's time. The database
            # stays consistent after a crash; at worst the last moments' commits are lost.
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Admin login throttling: five wrong passwords lock that user at that address out for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1   # hours
# The user at the address, not the address alone: staff share an office's address
# (one NAT), and one person's typos must not lock their colleagues out. Locking the
# user alone, whatever the address, would let anyone lock staff out by guessing. An
# address trying many user names still gets only four guesses at each.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy, the client's address comes from X-Forwarded-For, set by these proxies only.
ARCHIVE_TRUSTED_PROXIES = env_list("ARCHIVE_TRUSTED_PROXIES", "")
AXES_CLIENT_IP_CALLABLE = "reports.client_ip.client_ip"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
MEDIA_ROOT = DATA_DIR / "originals"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve from the source folders too, so a checkout works before collectstatic.
WHITENOISE_USE_FINDERS = True

# Uploads larger than this are refused before they are read into memory.
ARCHIVE_MAX_UPLOAD_BYTES = int(os.environ.get("ARCHIVE_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# The most reports one search export (/api/search/export/) may hold; a larger search is
# refused before anything is sent. An export must finish within gunicorn's timeout
# (GUNICORN_TIMEOUT, 60 s), which kills a worker mid-file: see bench/README.md for the rate.
ARCHIVE_EXPORT_MAX_REPORTS = int(os.environ.get("ARCHIVE_EXPORT_MAX_REPORTS", "20000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# OAI-PMH 2.0 at /oai/ (reports/interop/oai). Identify must name at least one address of
# the repository's administrators, and the archive invents none: the endpoint answers
# 503 until ARCHIVE_OAI_ADMIN_EMAIL (comma-separated) is set.
_OAI_EMAIL = re.compile(r"\S+@(\S+\.)+\S+")  # the emailType of OAI-PMH.xsd
# oai-identifier guidelines: a registered domain name of the repository.
_OAI_REPOSITORY_IDENTIFIER = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")


def _oai_admin_emails() -> list[str]:
    emails = env_list("ARCHIVE_OAI_ADMIN_EMAIL", "")
    for email in emails:
        if not _OAI_EMAIL.fullmatch(email):
            raise ImproperlyConfigured(f"ARCHIVE_OAI_ADMIN_EMAIL: {email!r} is not an e-mail address (name@domain.tld).")
    return emails


def _oai_repository_identifier() -> str:
    """The host part of every OAI identifier (oai:HOST:report/ID); it must never change once harvested."""
    configured = os.environ.get("ARCHIVE_OAI_REPOSITORY_IDENTIFIER", "").strip()
    if configured:
        if not _OAI_REPOSITORY_IDENTIFIER.fullmatch(configured):
            raise ImproperlyConfigured(
                f"ARCHIVE_OAI_REPOSITORY_IDENTIFIER: {configured!r} is not a domain name such as archive.example.org."
            )
        return configured
    # Otherwise the site's first public host name; a local run (localhost, addresses) gets "localhost".
    hosts = (host.lstrip(".") for host in ALLOWED_HOSTS)
    return next((host for host in hosts if _OAI_REPOSITORY_IDENTIFIER.fullmatch(host)), "localhost")


def env_int(name: str, default: int, *, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name} must be between {low} and {high}, not {value}.")
    return value


ARCHIVE_OAI_ADMIN_EMAILS = _oai_admin_emails()
ARCHIVE_OAI_REPOSITORY_IDENTIFIER = _oai_repository_identifier()
ARCHIVE_OAI_REPOSITORY_NAME = os.environ.get("ARCHIVE_OAI_REPOSITORY_NAME", "").strip() or "Society work report archive"
# Records (or headers, or sets) in one response; the rest follows with a resumption token.
ARCHIVE_OAI_PAGE_SIZE = env_int("ARCHIVE_OAI_PAGE_SIZE", 100, low=1, high=1000)
# dc:description is the opening of the text, at most this many characters.
ARCHIVE_OAI_DESCRIPTION_CHARS = env_int("ARCHIVE_OAI_DESCRIPTION_CHARS", 500, low=0, high=10_000)
# A scanned page (an image, or a PDF page to render) of more pixels than this is refused before
# its pixels are decoded: an A4 page at 600 dpi has 35 million; 60 million take about 180 MB as RGB.
# At most 170 million: past 179 million, Pillow refuses an image as a decompression bomb whatever we allow.
ARCHIVE_MAX_PAGE_PIXELS = env_int("ARCHIVE_MAX_PAGE_PIXELS", 60_000_000, low=1_000_000, high=170_000_000)

# Research tools (reports.research): each keeps a request bounded; docs/research.md.
# Queries one trends chart compares.
ARCHIVE_TRENDS_MAX_QUERIES = env_int("ARCHIVE_TRENDS_MAX_QUERIES", 6, low=1, high=20)
# Concordance lines sorted by their context (the first ones in report order), and
# lines in one CSV export: each line means reading and scanning its section's text.
ARCHIVE_CONCORDANCE_SORT_LINES = env_int("ARCHIVE_CONCORDANCE_SORT_LINES", 1000, low=1, high=100_000)
ARCHIVE_CONCORDANCE_EXPORT_LINES = env_int("ARCHIVE_CONCORDANCE_EXPORT_LINES", 2000, low=1, high=1_000_000)
# Characters of a report read to find its related reports (the first ones of a longer report).
ARCHIVE_RELATED_TEXT_CHARS = env_int("ARCHIVE_RELATED_TEXT_CHARS", 50_000, low=1000, high=10_000_000)
# Characters of each report compared sentence by sentence (the first ones of a longer report).
ARCHIVE_COMPARE_MAX_CHARS = env_int("ARCHIVE_COMPARE_MAX_CHARS", 200_000, low=1000, high=10_000_000)

# Background work (uploads, re-parses, reindexing, periodic upkeep) is queued in the
# database and run by `manage.py worker` (reports.processing): nothing else to install.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Files one upload may carry (Django's DATA_UPLOAD_MAX_NUMBER_FILES): the batch's status page
# lists them all. More are refused with a page that says how many (reports/upload_limit.py).
ARCHIVE_MAX_UPLOAD_FILES = env_int("ARCHIVE_MAX_UPLOAD_FILES", 100, low=1, high=1000)
DATA_UPLOAD_MAX_NUMBER_FILES = ARCHIVE_MAX_UPLOAD_FILES
# Each file is read in a child process of the worker with these caps; a file that needs
# more fails with a reason, and only that child dies (reports/processing/capped.py).
# The memory cap counts what the child inherits from the worker (about 140 MB).
ARCHIVE_PARSE_MEMORY_MB = env_int("ARCHIVE_PARSE_MEMORY_MB", 1024, low=256, high=1024 * 1024)
# OCR of 20 pages at up to 6 s a page, twice over, plus the rest of the reading.
ARCHIVE_PARSE_SECONDS = env_int("ARCHIVE_PARSE_SECONDS", 300, low=1, high=24 * 3600)
# Seconds LibreOffice may take to read one .doc, .wps or .odt file before it is given up.
# It runs inside the reading child, so it must give up (with its own message, and the upload
# left `failed` to try again) before the child's time cap stops the whole reading.
ARCHIVE_CONVERT_TIMEOUT_SECONDS = env_int("ARCHIVE_CONVERT_TIMEOUT_SECONDS", 60, low=1, high=24 * 3600)
_CONVERT_MARGIN_SECONDS = 5   # the rest of the reading before and after the conversion
if ARCHIVE_CONVERT_TIMEOUT_SECONDS + _CONVERT_MARGIN_SECONDS > ARCHIVE_PARSE_SECONDS:
    raise ImproperlyConfigured(
        f"ARCHIVE_CONVERT_TIMEOUT_SECONDS ({ARCHIVE_CONVERT_TIMEOUT_SECONDS}) must be at least "
        f"{_CONVERT_MARGIN_SECONDS} seconds shorter than ARCHIVE_PARSE_SECONDS ({ARCHIVE_PARSE_SECONDS}): "
        "LibreOffice runs inside the capped reading and must give up before it is stopped."
    )
# The worker itself (storing and indexing what its children read): a bound, so that nothing
# it is given can take the machine's memory; past it, that upload fails and the worker goes on.
ARCHIVE_WORKER_MEMORY_MB = env_int("ARCHIVE_WORKER_MEMORY_MB", 2048, low=0, high=1024 * 1024)
# How often the worker queues its periodic upkeep: index catch-up and the orphan sweep.
ARCHIVE_CATCH_UP_SECONDS = env_int("ARCHIVE_CATCH_UP_SECONDS", 300, low=1, high=7 * 24 * 3600)
ARCHIVE_SWEEP_SECONDS = env_int("ARCHIVE_SWEEP_SECONDS", 3600, low=1, high=7 * 24 * 3600)
# Finished tasks' results (the queue's rows) are deleted by the sweep once this many days old.
ARCHIVE_TASK_RESULT_DAYS = env_int("ARCHIVE_TASK_RESULT_DAYS", 14, low=1, high=3650)
# An original file no row owns is removed only once it is this old: it may be one being written.
ARCHIVE_ORPHAN_AGE_SECONDS = env_int("ARCHIVE_ORPHAN_AGE_SECONDS", 86400, low=0, high=365 * 24 * 3600)

# What one file may make the parser do (reports.ingest.limits.ParseLimits, same defaults):
# inflated zip members (.docx, .odt, OFD), pages (and ARCHIVE_MAX_PAGE_PIXELS above), characters, sections, HTML depth and elements, name bytes.
_MB = 1024 * 1024
ARCHIVE_MAX_ZIP_MEMBER_BYTES = env_int("ARCHIVE_MAX_ZIP_MEMBER_BYTES", 128 * _MB, low=_MB, high=4096 * _MB)
ARCHIVE_MAX_ZIP_TOTAL_BYTES = env_int("ARCHIVE_MAX_ZIP_TOTAL_BYTES", 256 * _MB, low=_MB, high=8192 * _MB)
ARCHIVE_MAX_ZIP_RATIO = env_int("ARCHIVE_MAX_ZIP_RATIO", 100, low=2, high=100_000)
ARCHIVE_MAX_ZIP_MEMBERS = env_int("ARCHIVE_MAX_ZIP_MEMBERS", 10_000, low=10, high=1_000_000)
ARCHIVE_MAX_PAGES = env_int("ARCHIVE_MAX_PAGES", 1000, low=1, high=100_000)
ARCHIVE_MAX_CHARACTERS = env_int("ARCHIVE_MAX_CHARACTERS", 2_000_000, low=1000, high=100_000_000)
ARCHIVE_MAX_SECTIONS = env_int("ARCHIVE_MAX_SECTIONS", 2000, low=10, high=1_000_000)
ARCHIVE_MAX_HTML_DEPTH = env_int("ARCHIVE_MAX_HTML_DEPTH", 256, low=16, high=10_000)
ARCHIVE_MAX_HTML_ELEMENTS = env_int("ARCHIVE_MAX_HTML_ELEMENTS", 200_000, low=1000, high=100_000_000)
ARCHIVE_MAX_NAME_BYTES = env_int("ARCHIVE_MAX_NAME_BYTES", 255, low=32, high=255)

# A report's page shows about this many characters; a longer report is read page by page.
ARCHIVE_REPORT_PAGE_CHARACTERS = env_int("ARCHIVE_REPORT_PAGE_CHARACTERS", 50_000, low=1_000, high=10_000_000)


def _haystack_connections(engine: str) -> dict:
    """Whoosh files beside the database on one machine; Elasticsearch 7 beyond it (docs/scaling.md)."""
    if engine == "whoosh":
        return {"default": {
            "ENGINE": "reports.search.backend.CrossScriptWhooshEngine",
            "PATH": os.environ.get("ARCHIVE_INDEX_DIR", str(DATA_DIR / "whoosh_index")),
        }}
    if engine == "elasticsearch7":
        url = os.environ.get("ARCHIVE_ELASTICSEARCH_URL", "").strip()
        if not url:
            raise ImproperlyConfigured("ARCHIVE_SEARCH_ENGINE=elasticsearch7 needs ARCHIVE_ELASTICSEARCH_URL.")
        return {"default": {
            "ENGINE": "reports.search.elasticsearch.CrossScriptElasticsearchEngine",
            "URL": url,
            "INDEX_NAME": os.environ.get("ARCHIVE_ELASTICSEARCH_INDEX", "archive_sections"),
            "TIMEOUT": int(os.environ.get("ARCHIVE_ELASTICSEARCH_TIMEOUT", "10")),
        }}
    raise ImproperlyConfigured(f"ARCHIVE_SEARCH_ENGINE must be 'whoosh' or 'elasticsearch7', not {engine!r}.")


ARCHIVE_SEARCH_ENGINE = os.environ.get("ARCHIVE_SEARCH_ENGINE", "whoosh").strip().lower()
HAYSTACK_CONNECTIONS = _haystack_connections(ARCHIVE_SEARCH_ENGINE)
# Index updates are wired explicitly in reports.signals (after commit), not here.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Society work report archive API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Security headers on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SESSION_COOKIE_HTTPONLY = True

# Behind TLS (a reverse proxy that sets X-Forwarded-Proto), everything is HTTPS-only.
if PRODUCTION or env_flag("ARCHIVE_BEHIND_TLS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("ARCHIVE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("ARCHIVE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ARCHIVE_LOG_LEVEL", "WARNING")},
}
