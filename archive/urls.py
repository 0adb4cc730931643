from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("reports.api.urls")),
    # Django's own language switch takes any method; it is sent by a form (POST), and GET redirects.
    path("i18n/setlang/", require_http_methods(["GET", "HEAD", "POST"])(set_language), name="set_language"),
    path("", include("reports.urls")),
    # Browsers ask for it on their own, whatever the page links. Lazy: the static
    # files' URLs are not to be worked out while the URLs are being loaded.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.ico"), permanent=True)),
]
