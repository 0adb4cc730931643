"""Refuse oversized uploads before they are read.

Two checks, because a request can lie about its size:

1. The declared ``Content-Length``: a body larger than the limit is answered
   with 413 at once, before Django (or the upload handlers) read a byte of it.
2. While a multipart body streams in, an upload handler counts the file bytes
   actually received and stops the parse as soon as they pass the limit, so a
   body that is bigger than it claimed (or has no length, under ASGI or a proxy
   that rewrites headers) is not written to disk in full either.

Place the middleware before CsrfViewMiddleware: the CSRF check is the first
thing that reads ``request.POST``, and the streaming check must run first.
"""

from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Room for the multipart boundaries and the other form fields (CSRF token,
# title...) around a file that is itself allowed up to the limit.
FORM_OVERHEAD_BYTES = 64 * 1024

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class UploadTooLarge(Exception):
    """Raised by the upload handler mid-stream; turned into a 413 by the middleware."""


def max_upload_bytes() -> int:
    return int(settings.ARCHIVE_MAX_UPLOAD_BYTES)


def declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def too_large_response(limit: int, request: HttpRequest | None = None) -> HttpResponse:
    megabytes = limit / (1024 * 1024)
    # The limit is per request: several files sent together share it.
    message = _("The upload is too large: files of at most %(size).1f MB are accepted.") % {"size": megabytes}
    response = _refusal(request, status=413, heading=_("The upload is too large"), message=message)
    # The rest of the body is never read, so the connection cannot be reused.
    response["Connection"] = "close"
    return response


def too_many_files_response(limit: int, request: HttpRequest) -> HttpResponse:
    """More files in one request than DATA_UPLOAD_MAX_NUMBER_FILES (ARCHIVE_MAX_UPLOAD_FILES)."""
    message = ngettext(
        "At most %(count)d file can be uploaded at once; this upload had more.",
        "At most %(count)d files can be uploaded at once; this upload had more.", limit,
    ) % {"count": limit}
    return _refusal(request, status=400, heading=_("Too many files at once"), message=message)


def _refusal(request: HttpRequest | None, *, status: int, heading: str, message: str) -> HttpResponse:
    if request is not None and "text/html" in request.META.get("HTTP_ACCEPT", ""):
        # A person at a form: say it on a page, with the way back to the form they used.
        # Standalone template: the session and the site's context are not there yet.
        body = render_to_string("413.html", {"heading": heading, "message": message, "back": form_address(request)})
        return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def form_address(request: HttpRequest) -> str:
    """The form the upload came from: the request's own path, when that is an address on this site.

    The path is whatever the client sent: ``POST //evil.example/x`` has the path
    ``//evil.example/x``, which as a link goes to another site. Such a path gets
    the home page instead.
    """
    path = request.path
    if path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return escape_uri_path(path)
    return "/"


class SizeLimitUploadHandler(FileUploadHandler):
    """Counts file bytes as they arrive; does not store anything itself.

    It sits first in the handler chain, so it sees each chunk before the
    memory or temporary-file handlers keep it.
    """

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    # One instance per request, so the count runs across all the files it carries.
    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge
        return raw_data  # hand the chunk on to the next handler unchanged

    def file_complete(self, file_size):
        return None  # the next handlers build the file object


class UploadSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.method in BODY_METHODS:
            limit = max_upload_bytes()
            length = declared_length(request)
            if length is not None and length > limit + FORM_OVERHEAD_BYTES:
                return too_large_response(limit, request)
            request.upload_handlers.insert(0, SizeLimitUploadHandler(request, limit=limit))
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        # Parse the body here, where an oversized stream can still become a 413,
        # rather than inside the CSRF check or a view, where it would be a 500.
        if request.method not in BODY_METHODS:
            return None
        if not request.content_type.startswith("multipart/"):
            return None
        try:
            request.POST  # noqa: B018 - reading it runs the upload handlers
        except UploadTooLarge:
            return too_large_response(max_upload_bytes(), request)
        except TooManyFilesSent:
            # Said here too: past this point it is a bare "Bad Request (400)".
            return too_many_files_response(settings.DATA_UPLOAD_MAX_NUMBER_FILES, request)
        return None
