"""Reading pages (issue 4 fills these in)."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


home = association_list = association_detail = report_detail = report_original = year_detail = _todo
