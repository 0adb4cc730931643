"""ARCHIVE_SEARCH_ENGINE switches the index between Whoosh files and Elasticsearch 7 (docs/scaling.md).

The settings module is read in a fresh interpreter for each environment, as a
server reads it when it starts.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def settings_in(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("ARCHIVE_", "DJANGO_"))}
    environment.update(ARCHIVE_DATA_DIR=str(tmp_path), **env)
    code = "import json, archive.settings as s; print(json.dumps(s.HAYSTACK_CONNECTIONS['default']))"
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=environment,
                          capture_output=True, text=True, timeout=60)


def connection(tmp_path, **env) -> dict:
    result = settings_in(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_whoosh_in_the_data_directory_is_the_default(tmp_path):
    default = connection(tmp_path)
    assert default["ENGINE"] == "reports.search.backend.CrossScriptWhooshEngine"
    assert default["PATH"] == str(tmp_path / "whoosh_index")


def test_elasticsearch7_is_chosen_by_the_environment(tmp_path):
    default = connection(tmp_path, ARCHIVE_SEARCH_ENGINE="elasticsearch7",
                         ARCHIVE_ELASTICSEARCH_URL="http://search.internal:9200/",
                         ARCHIVE_ELASTICSEARCH_INDEX="archive_test")
    assert default == {
        "ENGINE": "reports.search.elasticsearch.CrossScriptElasticsearchEngine",
        "URL": "http://search.internal:9200/",
        "INDEX_NAME": "archive_test",
        "TIMEOUT": 10,
    }


@pytest.mark.parametrize("env,message", [
    ({"ARCHIVE_SEARCH_ENGINE": "elasticsearch7"}, "ARCHIVE_ELASTICSEARCH_URL"),
    ({"ARCHIVE_SEARCH_ENGINE": "solr"}, "must be 'whoosh' or 'elasticsearch7'"),
])
def test_an_incomplete_or_unknown_engine_stops_the_start(tmp_path, env, message):
    result = settings_in(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
