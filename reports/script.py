"""The reader's script preference: Simplified, Traditional, or each text as written.

``?script=hans`` or ``?script=hant`` picks a script and a cookie remembers it for
the rest of the visit; ``?script=orig`` goes back to showing texts as written.
A plain cookie, not the session: a reader's choice is no reason to write a
session row to the database for every anonymous visitor who makes it.
The conversion itself is ``reports.text.convert_script``.
"""

from django.utils.translation import gettext_lazy as _

QUERY_PARAMETER = "script"
COOKIE_NAME = "script"
AS_WRITTEN = "orig"
SCRIPTS = ("hans", "hant")

# The switch offers these, in this order; labels are interface text.
CHOICES = (
    (AS_WRITTEN, _("As written")),
    ("hans", _("Simplified")),
    ("hant", _("Traditional")),
)


def chosen_script(query_value: str | None, remembered: str | None) -> str | None:
    """The script to show: the one asked for now, else the one remembered, else None (as written).

    Unknown values are ignored rather than trusted, so a stray ``?script=x`` keeps the
    reader's earlier choice.
    """
    if query_value in SCRIPTS:
        return query_value
    if query_value == AS_WRITTEN:
        return None
    return remembered if remembered in SCRIPTS else None


def asked_script(request) -> str | None:
    """The value of ``?script=`` when it is one the switch offers, else None."""
    value = request.GET.get(QUERY_PARAMETER)
    return value if value in (*SCRIPTS, AS_WRITTEN) else None


def remembered_script(request) -> str | None:
    return request.COOKIES.get(COOKIE_NAME)
