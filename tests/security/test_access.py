"""Anonymous visitors can read the archive but cannot reach the admin, upload or change anything."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Admin views anyone may see: the login form itself, logout (a no-op when
# logged out), and "view on site" (a redirect to the public page).
PUBLIC_ADMIN_VIEWS = {"login", "logout", "view_on_site"}
WRITE_METHODS = ("post", "put", "patch", "delete")


def walk(patterns, prefix=""):
    """(path, url name) for every URL under these patterns, converters filled with 1."""
    for pattern in patterns:
        route = str(pattern.pattern)
        for converter in ("<path:object_id>", "<int:pk>", "<str:slug>", "<int:year>", "<content_type_id>",
                          "<path:object_id>", "<object_id>", "<id>", "<app_label>"):
            route = route.replace(converter, "1" if converter != "<app_label>" else "reports")
        route = route.lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern) and "<" not in route and "(" not in route:
            yield prefix + route, pattern.name


def admin_paths():
    return sorted({("/admin/" + path, name) for path, name in walk(admin.site.urls[0])
                   if name not in PUBLIC_ADMIN_VIEWS})


def api_paths():
    (api,) = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "api/"]
    return sorted({"/api/" + path for path, _ in walk(api.url_patterns)})


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model._meta.app_label in {"reports", "auth"}}


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def test_the_admin_walk_finds_the_admin_pages():
    paths = {path for path, _ in admin_paths()}
    assert "/admin/" in paths
    assert "/admin/auth/user/add/" in paths
    assert any(path.startswith("/admin/reports/") for path in paths), "the reports app has no admin pages"


def test_anonymous_visitors_are_sent_to_the_login_page_from_every_admin_page(anonymous):
    for path, name in admin_paths():
        response = anonymous.get(path)
        assert response.status_code == 302, (path, name, response.status_code)
        assert response["Location"].startswith("/admin/login/"), (path, response["Location"])


def test_anonymous_writes_to_the_admin_change_nothing(anonymous):
    before = row_counts()
    payload = {"title": "intruder", "username": "intruder", "password1": "x", "password2": "x", "post": "yes",
               "action": "delete_selected", "_selected_action": ["1"]}
    for path, name in admin_paths():
        response = anonymous.post(path, payload)
        assert response.status_code in (302, 403), (path, name, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/"), (path, response["Location"])
    assert row_counts() == before


def test_the_api_is_read_only_for_everyone(anonymous):
    before = row_counts()
    paths = api_paths()
    assert "/api/reports/" in paths
    for path in paths:
        for method in WRITE_METHODS:
            response = getattr(anonymous, method)(path, data={"title": "intruder"}, content_type="application/json")
            assert response.status_code in (401, 403, 404, 405), (method, path, response.status_code)
    assert row_counts() == before


def test_a_logged_in_non_staff_user_cannot_reach_the_admin_either(django_user_model):
    reader = django_user_model.objects.create_user("reader", password="a reader's long password 3")
    client = Client()
    client.force_login(reader)
    for path, name in admin_paths():
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), (path, name)
