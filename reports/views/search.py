"""The search page: parameters in, a page of grouped hits out. The work is in reports.search."""

from django.shortcuts import render
from django.urls import reverse

from reports.search import SearchParams, search


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
        },
    )
