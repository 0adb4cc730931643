"""Request middleware of the reports app."""

import inspect

from django.conf import settings
from django.utils.cache import patch_vary_headers

from reports.script import COOKIE_NAME, asked_script, chosen_script, remembered_script


class ScriptPreferenceMiddleware:
    """Sets ``request.script`` (None, "hans" or "hant") from ``?script=`` or the reader's cookie.

    A new choice is kept in a cookie for the rest of the visit (until the
    browser closes); a page view that asks for nothing sets no cookie. Views
    whose ``remembers_script`` is False only read it: a feed reader polls an
    address with ``?script=`` and has no visit to remember it for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        asked, remembered = asked_script(request), remembered_script(request)
        request.script = chosen_script(asked, remembered)
        request.remember_script = True
        response = self.get_response(request)
        # Pages differ by the cookie: a shared cache must not give one reader's script to another.
        patch_vary_headers(response, ("Cookie",))
        if asked is not None and request.remember_script and request.script != remembered:
            if request.script is None:
                response.delete_cookie(COOKIE_NAME, samesite="Lax")
            else:
                response.set_cookie(
                    COOKIE_NAME, request.script, samesite="Lax", httponly=True,
                    secure=settings.SESSION_COOKIE_SECURE,
                )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Through decorators (require_safe) to the view itself.
        request.remember_script = getattr(inspect.unwrap(view_func), "remembers_script", True)
