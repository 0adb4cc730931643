"""Template context shared by every page."""

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
