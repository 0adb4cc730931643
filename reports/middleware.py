"""Request middleware of the reports app."""

from reports.script import remember_script


class ScriptPreferenceMiddleware:
    """Sets ``request.script`` (None, "hans" or "hant") from ``?script=`` or the session.

    It needs the session, so it sits after SessionMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.script = remember_script(request)
        return self.get_response(request)
