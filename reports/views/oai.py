"""The OAI-PMH endpoint, /oai/: the request's arguments to reports.interop, its XML back."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from reports.interop import Repository, respond


@csrf_exempt  # harvesters POST form-encoded requests (OAI-PMH 3.1.1.2); nothing here writes
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    if not settings.ARCHIVE_OAI_ADMIN_EMAILS:
        # Identify must give an administrator's address, and the archive invents none.
        return HttpResponse(
            "OAI-PMH is not switched on here: the site's administrator has to set ARCHIVE_OAI_ADMIN_EMAIL.\n",
            status=503, content_type="text/plain; charset=utf-8",
        )
    arguments = request.POST if request.method == "POST" else request.GET
    repository = Repository.from_settings(
        base_url=request.build_absolute_uri(reverse("reports:oai")), site_url=request.build_absolute_uri("/")
    )
    body = respond(dict(arguments.lists()), repository=repository, now=timezone.now())
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
