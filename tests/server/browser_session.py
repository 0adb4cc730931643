"""A cookie-keeping HTTP client for the real server: log in to the admin, post forms and files.

Like a browser without JavaScript: it keeps the session and CSRF cookies, reads
the CSRF token from the form it is about to post, and sends the Referer the
CSRF check expects. Standard library only; loopback only.
"""

from __future__ import annotations

import http.client
import re
import secrets
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.server.gunicorn import HOST, GunicornServer, Response

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class BrowserSession:
    def __init__(self, server: GunicornServer):
        self.server = server
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None, timeout: float = 60) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection(HOST, self.server.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            for header in answer.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def csrf_token(self, form_path: str) -> str:
        page = self.get(form_path)
        match = TOKEN.search(page.text)
        if not match:
            raise AssertionError(f"no CSRF token on {form_path} ({page.status})")
        return match.group(1)

    def _post(self, path: str, body: bytes, content_type: str) -> Response:
        return self.request("POST", path, body=body, headers={
            "Content-Type": content_type,
            "Referer": self.server.url(path),  # what a browser sends; Django checks it on HTTPS only
        })

    def post_form(self, path: str, fields: dict[str, str], *, form_path: str | None = None) -> Response:
        fields = {"csrfmiddlewaretoken": self.csrf_token(form_path or path), **fields}
        return self._post(path, urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def post_files(self, path: str, field: str, files: list[tuple[str, bytes]],
                   fields: dict[str, str] | None = None) -> Response:
        boundary = "----archive" + secrets.token_hex(8)
        parts = []
        all_fields = {"csrfmiddlewaretoken": self.csrf_token(path), **(fields or {})}
        for name, value in all_fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for filename, data in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                f"Content-Type: text/plain\r\n\r\n".encode() + data + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self._post(path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def log_in(self, username: str, password: str) -> None:
        answer = self.post_form("/admin/login/?next=/admin/", {"username": username, "password": password},
                                form_path="/admin/login/")
        if answer.status != 302:
            raise AssertionError(f"admin login failed ({answer.status}): {answer.text[:300]}")


def staff_session(server: GunicornServer, *, username: str = "admin") -> BrowserSession:
    """A session logged in as a staff superuser made with `ensure_staff` (created once per server)."""
    if server.staff_password is None:
        password = "test staff passphrase " + secrets.token_hex(6)
        server.manage("ensure_staff", env={"ARCHIVE_ADMIN_USER": username, "ARCHIVE_ADMIN_PASSWORD": password})
        server.staff_password = password
    session = BrowserSession(server)
    session.log_in(username, server.staff_password)
    return session
