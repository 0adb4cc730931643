"""The reading caps come from settings, with sane defaults, and a nonsensical one is refused at start."""

import os
import subprocess
import sys
from pathlib import Path

from reports.ingest.limits import ParseLimits
from reports.processing import parse_keywords, reading_caps

ROOT = Path(__file__).resolve().parents[2]


def settings_of(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("ARCHIVE_PARSE") and k not in ("ARCHIVE_WORKER_MEMORY_MB", "ARCHIVE_CONVERT_TIMEOUT_SECONDS")}
    code = ("from archive import settings as s; "
            "print(s.ARCHIVE_PARSE_MEMORY_MB, s.ARCHIVE_PARSE_SECONDS, s.ARCHIVE_WORKER_MEMORY_MB)")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True)


def test_the_defaults_fit_ocr_of_twenty_pages_in_a_gigabyte():
    assert settings_of().stdout.split() == ["1024", "300", "2048"]


def test_a_cap_below_what_the_child_inherits_is_refused_with_its_name():
    result = settings_of(ARCHIVE_PARSE_MEMORY_MB="100")
    assert result.returncode != 0
    assert "ARCHIVE_PARSE_MEMORY_MB must be between 256" in result.stderr


def test_the_caps_follow_the_settings(settings):
    settings.ARCHIVE_PARSE_MEMORY_MB, settings.ARCHIVE_PARSE_SECONDS = 512, 30
    caps = reading_caps()
    assert (caps.memory_bytes, caps.seconds) == (512 * 1024 * 1024, 30)


def test_a_time_cap_that_would_stop_libreoffice_before_its_own_limit_is_refused_at_start():
    result = settings_of(ARCHIVE_PARSE_SECONDS="60")   # LibreOffice's default limit is 60 s
    assert result.returncode != 0
    assert "ARCHIVE_CONVERT_TIMEOUT_SECONDS (60) must be at least 5 seconds shorter than ARCHIVE_PARSE_SECONDS (60)" in result.stderr
    assert settings_of(ARCHIVE_PARSE_SECONDS="60", ARCHIVE_CONVERT_TIMEOUT_SECONDS="55").returncode == 0


def test_parsing_is_given_the_libreoffice_time_limit_and_the_parse_limits_of_the_settings(settings):
    settings.ARCHIVE_CONVERT_TIMEOUT_SECONDS = 42
    settings.ARCHIVE_MAX_PAGE_PIXELS = 2_000_000
    assert parse_keywords() == {"convert_timeout": 42, "limits": ParseLimits(page_pixels=2_000_000)}
