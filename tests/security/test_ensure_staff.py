"""`manage.py ensure_staff`: a way into the admin, never a default password."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(monkeypatch, **env) -> str:
    for name in ("ARCHIVE_ADMIN_USER", "ARCHIVE_ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = StringIO()
    call_command("ensure_staff", "--base-url", "http://127.0.0.1:8000", stdout=out)
    return out.getvalue()


def test_a_generated_password_is_printed_once_and_works(monkeypatch):
    output = run(monkeypatch)
    password = re.search(r"with the password: (\S+)", output).group(1)
    user = get_user_model().objects.get(username="admin")
    assert user.is_staff and user.is_superuser
    assert user.check_password(password)
    assert len(password) >= 20
    assert "http://127.0.0.1:8000/admin/" in output
    again = run(monkeypatch)
    assert password not in again
    assert get_user_model().objects.count() == 1


def test_two_runs_generate_different_passwords(monkeypatch):
    first = re.search(r"password: (\S+)", run(monkeypatch)).group(1)
    get_user_model().objects.all().delete()
    second = re.search(r"password: (\S+)", run(monkeypatch)).group(1)
    assert first != second


def test_the_name_and_password_can_come_from_the_environment(monkeypatch):
    output = run(monkeypatch, ARCHIVE_ADMIN_USER="curator", ARCHIVE_ADMIN_PASSWORD="a long enough passphrase 7")
    assert "a long enough passphrase 7" not in output
    assert "curator" in output
    assert get_user_model().objects.get(username="curator").check_password("a long enough passphrase 7")


def test_a_weak_password_from_the_environment_is_refused(monkeypatch):
    with pytest.raises(CommandError, match="too weak"):
        run(monkeypatch, ARCHIVE_ADMIN_PASSWORD="password")
    assert not get_user_model().objects.exists()


def test_an_existing_superuser_is_left_alone(monkeypatch):
    get_user_model().objects.create_superuser("owner", "o@example.org", "the owner's own password 9")
    output = run(monkeypatch, ARCHIVE_ADMIN_PASSWORD="another long passphrase 8")
    assert "owner" in output
    assert get_user_model().objects.count() == 1
    assert get_user_model().objects.get().check_password("the owner's own password 9")


def test_an_ordinary_user_with_the_admin_name_is_not_promoted(monkeypatch):
    get_user_model().objects.create_user("admin", password="someone else's password 5")
    with pytest.raises(CommandError, match="not a staff superuser"):
        run(monkeypatch)
    assert not get_user_model().objects.get(username="admin").is_superuser
