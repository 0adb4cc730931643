"""Make sure someone can log in to the admin, without ever shipping a default password.

`make serve` runs this on every start, so it must be idempotent: when a staff
superuser exists it changes nothing and only says where to log in.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


def ensure_superuser(*, username: str, password: str | None) -> tuple[object, str | None]:
    """Return (user, generated_password); generated_password is None when nothing was generated.

    Creates nothing when any active staff superuser exists, whatever its name.
    """
    User = get_user_model()
    existing = User.objects.filter(is_staff=True, is_superuser=True, is_active=True).order_by("pk").first()
    if existing is not None:
        return existing, None
    if User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
        # Promoting an ordinary account and resetting its password behind its owner's back
        # would be a surprise; ask for another name instead.
        raise CommandError(
            f"A user named {username!r} exists but is not a staff superuser. "
            "Set ARCHIVE_ADMIN_USER to another name, or promote that user with `manage.py changepassword`/the shell."
        )
    generated = None
    if not password:
        generated = password = secrets.token_urlsafe(18)
    user = User(**{User.USERNAME_FIELD: username}, is_staff=True, is_superuser=True)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise CommandError("ARCHIVE_ADMIN_PASSWORD is too weak: " + " ".join(error.messages)) from error
    with transaction.atomic():
        user.set_password(password)
        user.save()
    return user, generated


class Command(BaseCommand):
    help = (
        "Create a staff superuser if none exists (name from ARCHIVE_ADMIN_USER, default 'admin'; "
        "password from ARCHIVE_ADMIN_PASSWORD, or generated and printed once) and say how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=os.environ.get("ARCHIVE_BASE_URL", "http://127.0.0.1:8000"),
            help="Where the site is served, for the login hint (default: ARCHIVE_BASE_URL or http://127.0.0.1:8000).",
        )

    def handle(self, *args, base_url: str, **options):
        username = os.environ.get("ARCHIVE_ADMIN_USER", "").strip() or "admin"
        password = os.environ.get("ARCHIVE_ADMIN_PASSWORD") or None
        user, generated = ensure_superuser(username=username, password=password)
        login_url = base_url.rstrip("/") + "/admin/"
        name = user.get_username()
        if generated:
            self.stdout.write(self.style.SUCCESS(f"Created staff account {name!r}."))
            self.stdout.write(f"Log in at {login_url} as {name} with the password: {generated}")
            self.stdout.write("This password is shown only once; change it in the admin after logging in.")
        elif password and user.check_password(password) and user.get_username() == username:
            self.stdout.write(f"Log in at {login_url} as {name} with the password from ARCHIVE_ADMIN_PASSWORD.")
        else:
            self.stdout.write(
                f"A staff account exists. Log in at {login_url} as {name} "
                "(forgotten the password? `python manage.py changepassword " + name + "`)."
            )
