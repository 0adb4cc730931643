"""gunicorn.conf.py: safe defaults, everything overridable from the environment."""

import multiprocessing
import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_TIMEOUT", "GUNICORN_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_defaults_bind_to_loopback_with_workers_from_the_cpu_count(monkeypatch):
    config = load(monkeypatch)
    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert 0 < config["timeout"] <= 120
    assert config["accesslog"] == "-"
    assert config["control_socket_disable"] is True  # one fixed path per user otherwise: instances collide


def test_the_environment_overrides_the_defaults(monkeypatch):
    config = load(monkeypatch, GUNICORN_BIND="0.0.0.0:9000", GUNICORN_WORKERS="2", GUNICORN_TIMEOUT="15",
                  GUNICORN_CONTROL_SOCKET="/run/archive/gunicorn.ctl")
    assert (config["bind"], config["workers"], config["timeout"]) == ("0.0.0.0:9000", 2, 15)
    assert config["control_socket"] == "/run/archive/gunicorn.ctl"
    assert "control_socket_disable" not in config
