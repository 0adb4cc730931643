"""A staff member's visit to a served site, over real HTTP: log in, upload files to the add page.

Plain urllib with a cookie jar, so two of them are two independent browsers'
worth of sessions and CSRF tokens.
"""

import http.cookiejar
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request

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
