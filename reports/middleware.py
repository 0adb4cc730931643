"""Request middleware of the reports app."""

from reports.script import remember_script, script_of


class ScriptPreferenceMiddleware:
    """Sets ``request.script`` (None, "hans" or "hant") from ``?script=`` or the session,
    and keeps a choice made with ``?script=`` in the session for the rest of the visit.

    Views whose ``remembers_script`` is False only read it: a feed reader polls an
    address with ``?script=`` and keeps no cookie, so each poll would leave a new
    session row behind. It needs the session, so it sits after SessionMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.script = script_of(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "remembers_script", True):
            remember_script(request)
