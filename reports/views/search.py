"""The search page: parameters in, a page of grouped hits out. The work is in reports.search."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from reports.interop import EXPORT_FORMATS
from reports.search import SearchParams, search


@require_safe
def search_page(request):
    params = SearchParams.from_querydict(request.GET)
    outcome = search(params, script=request.script)
    query_string = params.query_string()
    return render(
        request,
        "reports/search.html",
        {
            "outcome": outcome,
            "params": params,
            "json_url": reverse("api-search") + (f"?{query_string}" if query_string else ""),
            "exports": [
                (export.label, f"{reverse('api-search-export')}?{params.query_string(page=None, format=export.name)}")
                for export in EXPORT_FORMATS.values()
            ],
            "export_limit": settings.ARCHIVE_EXPORT_MAX_REPORTS,
            # The same query and filters over the years (a year is what the chart spreads out).
            "trends_url": f"{reverse('reports:trends')}?{params.query_string(page=None, sort=None, year=None)}",
            "concordance_url": f"{reverse('reports:concordance')}?{params.query_string(page=None, sort=None)}",
        },
    )
