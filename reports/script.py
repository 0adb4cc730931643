"""The reader's script preference: Simplified, Traditional, or each text as written.

``?script=hans`` or ``?script=hant`` picks a script and the session remembers it for
the rest of the visit; ``?script=orig`` goes back to showing texts as written.
The conversion itself is ``reports.text.convert_script``.
"""

from django.utils.translation import gettext_lazy as _

QUERY_PARAMETER = "script"
SESSION_KEY = "reports_script"
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


def script_of(request) -> str | None:
    """The script to show for this request: ``?script=``, else the session's; nothing is written."""
    session = getattr(request, "session", None)
    remembered = session.get(SESSION_KEY) if session is not None else None
    return chosen_script(request.GET.get(QUERY_PARAMETER), remembered)


def remember_script(request) -> None:
    """Store a choice the reader made with this request (``?script=``) in the session."""
    query_value = request.GET.get(QUERY_PARAMETER)
    session = getattr(request, "session", None)
    # Only write when the reader asked for something, so plain page views create no session.
    if session is None or query_value not in (*SCRIPTS, AS_WRITTEN):
        return
    remembered = session.get(SESSION_KEY)
    script = chosen_script(query_value, remembered)
    if script == remembered:
        return
    if script is None:
        session.pop(SESSION_KEY, None)
    else:
        session[SESSION_KEY] = script
