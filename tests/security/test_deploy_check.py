"""`manage.py check --deploy` in the production configuration, in a process of its own.

Settings are read once per process, so the production environment can only be
tried in a subprocess.
"""

import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "ARCHIVE_ENV": "production",
    "ALLOWED_HOSTS": "archive.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://archive.example.org",
    "DJANGO_SETTINGS_MODULE": "archive.settings",
}


def run_manage(*args, env_extra: dict, data_dir) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "ARCHIVE_"))}
    env.pop("DATABASE_URL", None)  # the checks need no database
    env.update(env_extra, ARCHIVE_DATA_DIR=str(data_dir))
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_passes_in_the_production_configuration(tmp_path):
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)}
    result = run_manage("check", "--deploy", env_extra=env, data_dir=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Warnings do not fail `check`, so look for the deployment ones by name:
    # security.W004 (HSTS), W008 (SSL redirect), W012/W016 (secure cookies), W018 (DEBUG)...
    for family in ("security.", "axes.", "csp."):
        assert family not in output, output


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage("check", env_extra=PRODUCTION_ENV, data_dir=tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert not (tmp_path / "secret_key").exists(), "production must never generate its own key"


def test_production_never_runs_with_debug_from_a_stray_default(tmp_path):
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)}
    result = run_manage(
        "shell", "-c",
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)",
        env_extra=env, data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    # The last line: Django 5.2's shell may first list what it imported.
    assert result.stdout.strip().splitlines()[-1].split() == ["False", "True", "True", "True", "True"]
