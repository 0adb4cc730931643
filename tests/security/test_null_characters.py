"""NUL characters in addresses and parameters: the same answer on SQLite and PostgreSQL, never a 500."""

import pytest
from django.test import Client, RequestFactory

from reports.null_characters import NullCharacterMiddleware

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/associations/%00/", "/reports/%00/", "/%00", "/search/%00"])
def test_an_address_with_a_nul_is_the_404_page(path):
    assert Client(raise_request_exception=False).get(path).status_code == 404


@pytest.mark.parametrize("query", ["q=%00", "q=0&association=%00", "q=%E5%8C%BB%00&year=%00", "%00=x", "script=%00"])
def test_a_nul_in_a_parameter_is_dropped_and_the_page_answers(query):
    for base in ("/search/", "/api/search/", "/", "/api/reports/"):
        response = Client(raise_request_exception=False).get(f"{base}?{query}")
        assert response.status_code == 200, (base, query, response.status_code)


def test_the_view_sees_the_parameters_without_the_nul():
    seen = {}

    def view(request):
        seen.update(request.GET.lists())
        return None

    NullCharacterMiddleware(view)(RequestFactory().get("/search/?q=%E5%8C%BB%00%E5%AD%A6&year=%00&q=b"))
    assert seen == {"q": ["医学", "b"], "year": [""]}
