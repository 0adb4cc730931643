"""The address a request came from, for login throttling (django-axes).

Behind a reverse proxy every request arrives from the proxy's address, so
throttling on REMOTE_ADDR alone would treat the whole world as one client.
X-Forwarded-For is trusted only when the request comes from a proxy listed in
ARCHIVE_TRUSTED_PROXIES, and then only its last hop (the one that proxy
added); anything earlier in the header is whatever the client chose to send.
"""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if remote and remote in settings.ARCHIVE_TRUSTED_PROXIES:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return remote
