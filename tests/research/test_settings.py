"""The research tools' bounds are settings read from the environment, refused when absurd."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NAMES = ("ARCHIVE_TRENDS_MAX_QUERIES", "ARCHIVE_CONCORDANCE_SORT_LINES", "ARCHIVE_CONCORDANCE_EXPORT_LINES",
         "ARCHIVE_RELATED_TEXT_CHARS", "ARCHIVE_COMPARE_MAX_CHARS")


def read_settings(tmp_path, **environment) -> subprocess.CompletedProcess:
    code = "import archive.settings as s; print(*(getattr(s, name) for name in %r))" % (NAMES,)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings", "ARCHIVE_DATA_DIR": str(tmp_path),
           **environment}
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)


def test_defaults_and_values_from_the_environment(tmp_path):
    assert read_settings(tmp_path).stdout.split() == ["6", "1000", "2000", "50000", "200000"]
    changed = read_settings(tmp_path, ARCHIVE_TRENDS_MAX_QUERIES="3", ARCHIVE_COMPARE_MAX_CHARS="5000")
    assert changed.stdout.split()[0] == "3" and changed.stdout.split()[4] == "5000"


@pytest.mark.parametrize("name,value", [("ARCHIVE_TRENDS_MAX_QUERIES", "0"), ("ARCHIVE_CONCORDANCE_SORT_LINES", "x")])
def test_a_value_out_of_bounds_stops_the_start_with_a_message(tmp_path, name, value):
    answer = read_settings(tmp_path, **{name: value})
    assert answer.returncode != 0 and name in answer.stderr


@pytest.mark.django_db
def test_the_pages_use_them(client, settings):
    settings.ARCHIVE_TRENDS_MAX_QUERIES = 2
    page = client.get("/trends/?q=甲&q=乙&q=丙", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "At most 2 queries" in page.content.decode()
