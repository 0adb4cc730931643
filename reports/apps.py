from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ReportsConfig(AppConfig):
    default = True   # the reports app's own; the two below are named in INSTALLED_APPS
    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Index updates follow the database; the wiring lives in one module.
        from reports import signals  # noqa: F401
        # A deleted report's original file is deleted after the commit (one receiver, there).
        from reports.services import originals  # noqa: F401
        # OAI-PMH datestamps and deleted records follow saves and deletes (one module, there).
        from reports.interop.oai import checks, upkeep  # noqa: F401
        # Tesseract's models, checked on deploy (scripts/install-ocr.sh installs them).
        from reports.ingest.extract.ocr import checks as ocr_checks  # noqa: F401


class ArchiveAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the archive's own site (its name on every admin page)."""

    default = False
    default_site = "reports.admin_site.ArchiveAdminSite"


class LoginThrottleConfig(axes_apps.AppConfig):
    """django-axes under a name staff understand ("AXES" told them nothing)."""

    default = False
    verbose_name = _("Login throttling")


# What django-axes shows staff, which it ships no Chinese for. Listed here so that
# makemessages collects them into the archive's catalog, which Django reads before
# an app's own (LOCALE_PATHS come first): axes then speaks the interface language.
AXES_INTERFACE = [
    gettext_noop("access attempt"), gettext_noop("access attempts"),
    gettext_noop("access log"), gettext_noop("access logs"),
    gettext_noop("access failure"), gettext_noop("access failures"),
    gettext_noop("access attempt expiration"), gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"), gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"), gettext_noop("IP Address"), gettext_noop("Username"), gettext_noop("HTTP Accept"),
    gettext_noop("Path"), gettext_noop("Attempt Time"), gettext_noop("Access lock out"), gettext_noop("GET Data"),
    gettext_noop("POST Data"), gettext_noop("Failed Logins"), gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"), gettext_noop("Locked Out"), gettext_noop("Form Data"),
    gettext_noop("Meta Data"), gettext_noop("Clean up expired attempts"), gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
]
