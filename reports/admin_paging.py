"""Inlines shown a page at a time, so a report of thousands of sections has a change page that opens and saves.

All 2,000 sections of a big report in one form are a page of megabytes and a
POST of some 16,000 fields, which Django refuses (DATA_UPLOAD_MAX_NUMBER_FIELDS)
before anything is saved. A paged inline edits ``per_page`` rows at a time: the
rows of page ``?<page_parameter>=N``, in ``order_field`` order; the form posts
back to the same address (the page's ``?...`` included, which the admin keeps
after "Save and continue"), so it saves the rows it showed.
"""

from __future__ import annotations

from dataclasses import dataclass

PER_PAGE = 25


@dataclass(frozen=True)
class InlinePage:
    number: int
    count: int          # pages
    rows: int           # rows on all pages
    first: int          # position of this page's first row, from 1
    last: int
    parameter: str
    query: dict         # the request's other parameters, kept in the pager's links

    def url(self, number: int) -> str:
        from urllib.parse import urlencode

        return "?" + urlencode({**self.query, self.parameter: number})

    @property
    def previous_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.count else None


class PagedInlineMixin:
    """For an ``InlineModelAdmin``: its rows ``per_page`` at a time (``self.page`` says which, for the template)."""

    per_page = PER_PAGE
    page_parameter: str
    order_field: str
    template = "admin/edit_inline/paged_stacked.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        parent_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        if parent_id is None:
            return queryset
        ids = list(queryset.filter(**{self.fk_name_or_parent(): parent_id})
                   .order_by(self.order_field).values_list("pk", flat=True))
        count = max(1, -(-len(ids) // self.per_page))
        value = request.GET.get(self.page_parameter, "1")
        number = min(max(int(value), 1), count) if value.isdigit() and len(value) < 10 else 1
        start = (number - 1) * self.per_page
        shown = ids[start:start + self.per_page]
        query = {name: value for name, value in request.GET.items() if name != self.page_parameter}
        self.page = InlinePage(number, count, len(ids), start + 1, start + len(shown), self.page_parameter, query)
        return queryset.filter(pk__in=shown)

    def fk_name_or_parent(self) -> str:
        return self.fk_name or self.parent_model._meta.model_name
