"""A staff member's visit to a served site, over real HTTP: log in, post forms and files, watch uploads being read.

Like a browser without JavaScript: it keeps its cookies (session, CSRF) in a
cookie jar, reads the CSRF token from the form it is about to post, sends the
Referer the CSRF check expects, and does not follow redirects (where the admin
sends it is part of what tests check). Two of them are two independent staff
members. Standard library only; shared by tests and bench/ (harness/).
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request

from harness.served import GunicornServer, Response

FINISHED = {"done", "refused", "failed"}
ADD_PATH = "/admin/reports/report/add/"
_BATCH = re.compile(r"/admin/reports/upload/batch/([0-9a-f-]+)/$")
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class StaffSession:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    # -- HTTP -----------------------------------------------------------------

    def request(self, method: str, path: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None, timeout: float = 60) -> Response:
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers or {}, method=method)
        try:
            with self.opener.open(request, timeout=timeout) as answer:
                return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx alike
            return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def csrf_token(self, form_path: str) -> str:
        page = self.get(form_path)
        match = _CSRF_INPUT.search(page.text)
        if not match:
            raise AssertionError(f"no CSRF token on {form_path} ({page.status})")
        return match.group(1)

    def post_form(self, path: str, fields: dict[str, str], *, form_path: str | None = None) -> Response:
        """POST a form with the CSRF token of the page it is on (``form_path``, by default ``path``)."""
        fields = {"csrfmiddlewaretoken": self.csrf_token(form_path or path), **fields}
        return self._post(path, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded",
                          referer=form_path or path)

    def post_files(self, path: str, field: str, files: list[tuple[str, bytes]],
                   fields: dict[str, str] | None = None) -> Response:
        """POST files as multipart/form-data, with the CSRF token of the page at ``path``."""
        boundary = "----archive" + secrets.token_hex(12)
        parts = []
        for name, value in {"csrfmiddlewaretoken": self.csrf_token(path), **(fields or {})}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for filename, data in files:
            header = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                      "Content-Type: application/octet-stream\r\n\r\n")
            parts.append(header.encode("utf-8") + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self._post(path, b"".join(parts), f"multipart/form-data; boundary={boundary}", referer=path)

    def _post(self, path: str, body: bytes, content_type: str, *, referer: str) -> Response:
        # The Referer is what a browser sends; Django checks it on HTTPS only.
        return self.request("POST", path, body=body, headers={"Content-Type": content_type, "Referer": self.base_url + referer})

    # -- what staff do --------------------------------------------------------

    def log_in(self, username: str, password: str) -> None:
        answer = self.post_form("/admin/login/?next=/admin/", {"username": username, "password": password},
                                form_path="/admin/login/")
        if answer.status != 302 or not answer.headers.get("location", "").endswith("/admin/"):
            raise AssertionError(f"admin login failed ({answer.status}): {answer.text[:300]}")

    def upload(self, *files: tuple[str, bytes]) -> tuple[int, str]:
        """Files given on the add page: the status, and where it redirected to (else the page itself)."""
        answer = self.post_files(ADD_PATH, "upload", list(files))
        return answer.status, answer.headers.get("location", answer.text)

    def batch_uploads(self, location: str) -> list[dict]:
        """The uploads of the batch the add page redirected to, as /api/uploads/ gives them (oldest first)."""
        batch = _BATCH.search(location).group(1)
        uploads, path = [], f"/api/uploads/?batch={batch}"
        while path:
            answer = self.get(path)
            assert answer.status == 200, (answer.status, answer.text[:300])
            page = json.loads(answer.body)
            uploads += page["results"]
            path = urllib.parse.urlsplit(page["next"])._replace(scheme="", netloc="").geturl() if page["next"] else ""
        return sorted(uploads, key=lambda upload: upload["id"])

    def wait_for_batch(self, location: str, *, timeout: float = 120, poll: float = 0.2) -> list[dict]:
        """Poll the batch until every file is done, refused or failed; its uploads."""
        deadline = time.monotonic() + timeout
        while True:
            uploads = self.batch_uploads(location)
            if all(upload["state"] in FINISHED for upload in uploads):
                return uploads
            if time.monotonic() > deadline:
                raise TimeoutError(f"uploads still unfinished after {timeout} s: {uploads}")
            time.sleep(poll)


def staff_session(server: GunicornServer, *, username: str = "admin") -> StaffSession:
    """A session logged in as a staff superuser made with ``ensure_staff`` (once per server)."""
    if server.staff_password is None:
        password = "test staff passphrase " + secrets.token_hex(6)
        server.manage("ensure_staff", env={"ARCHIVE_ADMIN_USER": username, "ARCHIVE_ADMIN_PASSWORD": password})
        server.staff_password = password
    session = StaffSession(server.base_url)
    session.log_in(username, server.staff_password)
    return session
