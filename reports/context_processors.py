"""Template context shared by every page."""

from django.conf import settings

from reports.script import AS_WRITTEN, CHOICES


def script_switch(request) -> dict:
    """The current script and the links of the script switch."""
    script = getattr(request, "script", None)
    current = script or AS_WRITTEN
    return {
        "script": script,
        "script_choices": [
            {"value": value, "label": label, "active": value == current} for value, label in CHOICES
        ],
    }


def oai(request) -> dict:
    """Whether /oai/ answers (it needs an administrator's address), for the footer's link to it."""
    return {"oai_enabled": bool(settings.ARCHIVE_OAI_ADMIN_EMAILS)}
