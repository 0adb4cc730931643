"""The served site itself: gunicorn with the repo's config, through real sockets."""

import secrets
import socket

import pytest

from tests.server.gunicorn import HOST, running_gunicorn

pytestmark = pytest.mark.server


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


def test_the_server_is_bound_to_loopback_only(bare_server):
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
