"""Password guessing on the admin login is throttled (django-axes)."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory, override_settings

from reports.client_ip import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def staff_user():
    return get_user_model().objects.create_superuser("keeper", "keeper@example.org", PASSWORD)


def login(client, password):
    return client.post("/admin/login/?next=/admin/", {"username": "keeper", "password": password})


def test_the_right_password_logs_in_through_the_throttled_admin_login(staff_user):
    client = Client()
    response = login(client, PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_after_too_many_wrong_passwords_even_the_right_one_is_refused(staff_user):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "guess").status_code == 200  # the form again, with an error
    locked = login(client, "guess")
    assert locked.status_code == 429
    assert login(client, PASSWORD).status_code == 429
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_force_login_is_not_affected_by_the_throttle(staff_user, client):
    client.force_login(staff_user)
    assert client.get("/admin/").status_code == 200


@override_settings(ARCHIVE_TRUSTED_PROXIES=["127.0.0.1"])
def test_the_client_address_comes_from_the_trusted_proxy_only():
    factory = RequestFactory()
    via_proxy = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(via_proxy) == "203.0.113.9"  # the hop our proxy added, not the forged one
    direct = factory.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(direct) == "198.51.100.7"


def test_without_trusted_proxies_forwarded_headers_are_ignored():
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "127.0.0.1"
