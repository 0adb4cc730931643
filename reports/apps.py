from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Index updates follow the database; the wiring lives in one module.
        from reports import signals  # noqa: F401
        # A deleted report's original file is deleted after the commit (one receiver, there).
        from reports.services import originals  # noqa: F401
        # OAI-PMH datestamps and deleted records follow saves and deletes (one module, there).
        from reports.interop.oai import checks, upkeep  # noqa: F401
