"""Error pages are the archive's own, never Django's debug pages."""

import pytest
from django.test import Client
from django.urls import path

from archive.urls import urlpatterns as archive_urls


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken_view), *archive_urls]


@pytest.mark.urls(__name__)
def test_a_server_error_shows_the_archive_500_page(db, settings):
    assert settings.DEBUG is False
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误" in html and "boom" not in html and "Traceback" not in html


def test_a_missing_page_under_debug_off_is_not_the_technical_404(client, db, settings):
    assert settings.DEBUG is False
    html = client.get("/reports/not-a-number/").content.decode()
    assert "Using the URLconf" not in html and "找不到页面" in html
