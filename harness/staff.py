"""A staff member's visit to a served site, over real HTTP: log in, upload files, watch them being read.

Plain urllib with a cookie jar, so two of them are two independent browsers'
worth of sessions and CSRF tokens. Shared by tests and bench/ (harness/).
"""

import http.cookiejar
import json
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request

FINISHED = {"done", "refused", "failed"}
_BATCH = re.compile(r"/admin/reports/upload/batch/([0-9a-f-]+)/$")

ADD_PATH = "/admin/reports/report/add/"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # The admin answers a stored upload with a redirect: keep it to read where it points.
    def redirect_request(self, *args, **kwargs):
        return None


class StaffSession:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def _open(self, request: urllib.request.Request, timeout: float = 60) -> tuple[int, dict, str]:
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx alike
            return error.code, dict(error.headers), error.read().decode("utf-8", "replace")

    def _csrf_token(self, path: str) -> str:
        status, _, page = self._open(urllib.request.Request(self.base_url + path))
        assert status == 200, (path, status)
        return _CSRF_INPUT.search(page).group(1)

    def log_in(self, username: str, password: str) -> None:
        token = self._csrf_token("/admin/login/")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"})
        request = urllib.request.Request(self.base_url + "/admin/login/", data=body.encode(), headers={"Referer": self.base_url + "/admin/login/"})
        status, headers, _ = self._open(request)
        assert status == 302 and headers["Location"].endswith("/admin/"), ("login failed", status)

    def upload(self, *files: tuple[str, bytes]) -> tuple[int, str]:
        """POST the files to the add page; returns the status and where it redirected to (or the page)."""
        token = self._csrf_token(ADD_PATH)
        boundary = "----archive" + secrets.token_hex(12)
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'.encode()]
        for name, data in files:
            header = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            )
            parts.append(header.encode("utf-8") + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        request = urllib.request.Request(
            self.base_url + ADD_PATH,
            data=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.base_url + ADD_PATH},
        )
        status, headers, page = self._open(request)
        return status, headers.get("Location", page)

    def get(self, path: str, timeout: float = 60) -> tuple[int, str]:
        status, _, page = self._open(urllib.request.Request(self.base_url + path), timeout=timeout)
        return status, page

    def post(self, path: str, fields: dict[str, str], *, form_path: str) -> tuple[int, str]:
        """POST a form (with the CSRF token of the page at ``form_path``); the status and redirect target."""
        token = self._csrf_token(form_path)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        request = urllib.request.Request(self.base_url + path, data=body, headers={"Referer": self.base_url + form_path})
        status, headers, page = self._open(request)
        return status, headers.get("Location", page)

    def batch_uploads(self, location: str) -> list[dict]:
        """The uploads of the batch the add page redirected to, as /api/uploads/ gives them (oldest first)."""
        batch = _BATCH.search(location).group(1)
        uploads, path = [], f"/api/uploads/?batch={batch}"
        while path:
            status, page = self.get(path)
            assert status == 200, (status, page[:300])
            answer = json.loads(page)
            uploads += answer["results"]
            path = urllib.parse.urlsplit(answer["next"])._replace(scheme="", netloc="").geturl() if answer["next"] else ""
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
