"""CSRF is enforced on every form: each carries a token, and a post without one is refused.

The forms are found by crawling the site (the public pages and, as staff, the
admin), so forms added later are covered without listing them here.
"""

from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client

from reports.ingest import ingest_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_search_index")]

START_PAGES = ["/", "/search/?q=test", "/admin/login/", "/admin/"]
MAX_PAGES = 80
# Links that would end the session or that only read JSON/JS.
SKIP_LINK_PARTS = ("/logout/", "/jsi18n/", "/autocomplete/", "/api/", "/static/", "/i18n/")


@pytest.fixture
def staff_client(seed_bytes):
    # A stored report, so its change form (with the section inlines) is crawled too.
    assert ingest_bytes(seed_bytes("000"), filename="000.txt").status == "created"
    user = get_user_model().objects.create_superuser("keeper", "keeper@example.org", "a keeper's long password 5")
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(user)
    return client


def crawl(client):
    """{page path: [form, ...]} for the pages reachable from START_PAGES, bounded."""
    queue, seen, forms = list(START_PAGES), set(), {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or urlsplit(path).path in seen:
            continue
        seen.add(path)
        seen.add(urlsplit(path).path)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        soup = BeautifulSoup(response.content, "html.parser")
        forms[path] = [form for form in soup.find_all("form") if (form.get("method") or "get").lower() == "post"]
        for link in soup.find_all("a", href=True):
            target = urljoin(path, link["href"])
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/") or any(s in parts.path for s in SKIP_LINK_PARTS):
                continue
            if "/delete/" in parts.path:
                continue  # its form is the same kind as the change form's; keep the crawl short
            # Query strings give the same forms (filters, sorting, ?script=): one visit per path.
            queue.append(parts.path)
    return forms


def form_fields(form) -> dict:
    fields = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if name and field.get("type") not in ("file", "submit"):
            fields[name] = field.get("value", "")
    return fields


def test_every_post_form_carries_a_csrf_token_and_is_refused_without_it(staff_client):
    forms = crawl(staff_client)
    post_forms = [(page, form) for page, page_forms in forms.items() for form in page_forms]
    assert len(post_forms) >= 3, f"too few forms found to mean anything: {sorted(forms)}"
    for page, form in post_forms:
        fields = form_fields(form)
        assert fields.get("csrfmiddlewaretoken"), f"form without a CSRF token on {page}"
        fields.pop("csrfmiddlewaretoken")
        action = urljoin(page, form.get("action") or page)
        response = staff_client.post(action, fields)
        assert response.status_code == 403, (page, action, response.status_code)


def test_the_admin_login_is_refused_without_a_token_and_accepted_with_one():
    get_user_model().objects.create_superuser("keeper", "keeper@example.org", "a keeper's long password 5")
    client = Client(enforce_csrf_checks=True)
    credentials = {"username": "keeper", "password": "a keeper's long password 5"}
    assert client.post("/admin/login/", credentials).status_code == 403
    page = client.get("/admin/login/")
    token = BeautifulSoup(page.content, "html.parser").find("input", {"name": "csrfmiddlewaretoken"})["value"]
    response = client.post("/admin/login/?next=/admin/", {**credentials, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == "/admin/"

