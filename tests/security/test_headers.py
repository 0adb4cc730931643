"""Security headers on every kind of response, and templates that need no inline script."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

# A page, an API answer, the admin, a static file, a 404 and a POST refused for CSRF.
PATHS = ["/", "/api/reports/", "/admin/login/", "/static/css/site.css", "/no-such-page/"]


def assert_security_headers(response):
    policy = response.headers["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    script_sources = directives.get("script-src", directives.get("default-src"))
    assert script_sources, policy
    assert "'unsafe-inline'" not in script_sources and "'unsafe-eval'" not in script_sources, policy
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(path):
    # Whatever the page answers (even an error page), the headers must be there.
    client = Client(raise_request_exception=False)
    assert_security_headers(client.get(path))


def test_a_refused_post_carries_the_security_headers_too():
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert_security_headers(response)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def project_templates():
    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "reports" / "templates"]
    return sorted(path for root in roots if root.exists() for path in root.rglob("*.html"))


def test_the_templates_need_no_inline_script_the_policy_would_block():
    # json_script output (type="application/json") is data, not script, and CSP allows it.
    offenders = []
    for path in project_templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL):
            for match in pattern.finditer(text):
                if "application/json" in match.group(0) or "application/ld+json" in match.group(0):
                    continue
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)[:80]}")
    assert project_templates(), "no templates found"
    assert offenders == []
