"""The served site itself: gunicorn with the repo's config, through real sockets."""

import secrets
import socket
import sys
from pathlib import Path

import pytest
from gunicorn.app.wsgiapp import WSGIApplication

from tests.server.gunicorn import HOST, running_gunicorn

pytestmark = pytest.mark.server

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture(scope="module")
def bare_server(tmp_path_factory):
    # No seeds: what is checked here does not depend on content.
    with running_gunicorn(tmp_path_factory.mktemp("bare"), seeds=False, workers=2) as server:
        yield server


def test_the_served_site_answers_with_security_headers(bare_server):
    for path in ("/api/reports/", "/admin/login/", "/static/css/site.css"):
        response = bare_server.get(path)
        assert response.status == 200, (path, response.status)
        assert "content-security-policy" in response.headers
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_static_files_are_served_by_whitenoise(bare_server):
    response = bare_server.get("/static/css/site.css")
    assert response.headers["content-type"].startswith("text/css")
    assert response.body


def test_a_huge_upload_is_refused_before_its_body_is_sent(bare_server):
    # Declare a gigabyte and send none of it: a server that read the body would wait
    # for it past the socket's 10 s timeout; ours answers 413 at once.
    with socket.create_connection((HOST, bare_server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000000000\r\n\r\n"
        )
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert "content-security-policy" in answer.lower()


def test_the_too_large_page_never_links_off_the_site(bare_server):
    # The path is the client's to choose: "//evil.example/x" as a link is another site.
    for path, back in ((b"//evil.example/x", "/"), (b"/admin/reports/report/add/", "/admin/reports/report/add/")):
        with socket.create_connection((HOST, bare_server.port), timeout=10) as sock:
            sock.sendall(
                b"POST " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
                b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000000000\r\n\r\n"
            )
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        page = answer.decode("utf-8", errors="replace")
        assert page.startswith("HTTP/1.1 413"), page[:200]
        assert "evil.example" not in page
        assert f'href="{back}"' in page


def test_gunicorn_started_from_its_config_binds_to_loopback_only(monkeypatch):
    # What gunicorn itself makes of gunicorn.conf.py when nothing overrides it (the test
    # servers pass a --bind of their own, so they cannot show what the file says).
    for name in ("GUNICORN_BIND", "GUNICORN_CMD_ARGS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "argv", ["gunicorn", "--config", str(CONFIG), "archive.wsgi"])
    configured = WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg
    assert configured.address and all(host in ("127.0.0.1", "::1") for host, _port in configured.address)


def test_the_test_servers_listen_on_loopback_only(bare_server):
    with open(f"/proc/{bare_server.process.pid}/net/tcp") as table:
        listening = [line.split()[1] for line in table.readlines()[1:] if line.split()[3] == "0A"]
    ours = [address for address in listening if int(address.split(":")[1], 16) == bare_server.port]
    assert ours == ["0100007F:%04X" % bare_server.port]


def test_the_production_configuration_serves_https_behind_a_proxy(tmp_path):
    production = {
        "ARCHIVE_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "archive.test",
        "CSRF_TRUSTED_ORIGINS": "https://archive.test",
    }
    with running_gunicorn(tmp_path, seeds=False, workers=1, env=production) as server:
        # What the proxy forwards from an HTTPS client: served, with HSTS and secure cookies.
        via_proxy = {"Host": "archive.test", "X-Forwarded-Proto": "https"}
        page = server.get("/admin/login/", headers=via_proxy)
        assert page.status == 200
        assert page.headers["strict-transport-security"].startswith("max-age=")
        cookie = page.headers["set-cookie"]
        assert "csrftoken=" in cookie and "Secure" in cookie
        # Plain HTTP is sent to HTTPS; an unknown host is refused.
        plain = server.get("/admin/login/", headers={"Host": "archive.test"})
        assert plain.status == 301 and plain.headers["location"].startswith("https://archive.test/")
        assert server.get("/api/reports/", headers={"Host": "evil.test", "X-Forwarded-Proto": "https"}).status == 400
