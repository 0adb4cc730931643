"""NUL characters in addresses and query parameters, dealt with before any view sees them.

PostgreSQL cannot store or even compare text containing NUL (psycopg raises
DataError), while SQLite accepts it: without this guard ``?association=%00``
or ``/associations/%00/`` is a 500 on one database and a normal page on the
other. No address of this site contains a NUL, so such an address gets the 404
page; in a query parameter a NUL carries no meaning (nobody types one), so it
is dropped and the rest of the value is used, as any other stray character in
a search is. Form fields are covered by Django's ProhibitNullCharactersValidator.
"""

from django.http import Http404, HttpRequest, QueryDict

NUL = "\x00"


def without_nul(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    cleaned._mutable = False
    return cleaned


class NullCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if NUL in request.path:
            # Raised, not returned, so the site's own 404 page is rendered.
            raise Http404("No page has a NUL character in its address.")
        if NUL in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = without_nul(request.GET)
        return self.get_response(request)
