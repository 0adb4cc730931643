"""Password guessing on the admin login is throttled (django-axes).

What the README promises, pinned as it says it: five wrong passwords lock that
user at that address out of /admin/ for an hour; ``manage.py axes_reset`` lifts it.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from reports.client_ip import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def staff_user():
    return get_user_model().objects.create_superuser("keeper", "keeper@example.org", PASSWORD)


def login(client, password, username="keeper"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def lock_out(client, username="keeper"):
    for attempt in range(1, 5):
        assert login(client, "guess", username).status_code == 200, attempt  # the form again, with an error
    assert login(client, "guess", username).status_code == 429               # the fifth


def test_the_right_password_logs_in_through_the_throttled_admin_login(staff_user):
    client = Client()
    response = login(client, PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_fifth_wrong_password_locks_out_even_the_right_one(staff_user):
    client = Client()
    lock_out(client)
    assert login(client, PASSWORD).status_code == 429
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_the_lockout_lasts_an_hour(staff_user):
    client = Client()
    lock_out(client)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=59))
    assert login(client, PASSWORD).status_code == 429
    # (That attempt was counted too: the hour runs from the last one.)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=61))
    assert login(client, PASSWORD).status_code == 302


def test_axes_reset_lifts_the_lockout(staff_user):
    client = Client()
    lock_out(client)
    call_command("axes_reset", stdout=open("/dev/null", "w"))
    assert login(client, PASSWORD).status_code == 302


def test_the_lockout_is_of_that_user_at_that_address_only(staff_user):
    colleague = get_user_model().objects.create_superuser("colleague", "c@example.org", PASSWORD)
    office = Client(REMOTE_ADDR="198.51.100.7")
    lock_out(office)
    # A colleague at the same address (an office behind one NAT) still gets in...
    assert login(office, PASSWORD, username=colleague.username).status_code == 302
    # ...and so does the same user from another address.
    assert login(Client(REMOTE_ADDR="203.0.113.20"), PASSWORD).status_code == 302


@override_settings(ARCHIVE_TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_the_proxy_the_throttle_counts_the_client_address(staff_user):
    # Both arrive from the proxy's address; only the forwarded one tells them apart.
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    keeper = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    lock_out(guesser)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    assert login(keeper, PASSWORD).status_code == 302
    assert login(guesser, PASSWORD).status_code == 429


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
