"""Search page (issue 3 fills this in)."""

from django.http import Http404


def search_page(request):
    raise Http404
