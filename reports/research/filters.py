"""What the research tools share: the search's filters, read strictly from a URL.

The search page forgives anything typed into its address (a year range that is
not a year is ignored); a research tool that counts must not count something
other than what was asked, so here a bad year is an error with a message.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.search import FACETS, ParsedQuery, SearchParams, parse_query, year_or_none


class ResearchError(ValueError):
    """Input a research tool cannot answer; ``str()`` is a message for the reader."""


def search_filters(data) -> SearchParams:
    """The search's filters from URL parameters (``association``, ``region``, ``year``,
    ``language``, and the year range ``from``/``to``), without a query.

    Raises :class:`ResearchError` for a year range that is not one.
    """
    params = SearchParams.from_querydict(data)
    for name, year in (("from", params.year_from), ("to", params.year_to)):
        typed = (data.get(name) or "").strip()
        if typed and year is None:
            raise ResearchError(_("“%(value)s” is not a year.") % {"value": typed})
    if params.year_from is not None and params.year_to is not None and params.year_from > params.year_to:
        raise ResearchError(_("The year range starts after it ends (%(start)d to %(end)d).")
                            % {"start": params.year_from, "end": params.year_to})
    return SearchParams(filters=params.filters, year_from=params.year_from, year_to=params.year_to)


def with_query(filters: SearchParams, q: str, **changes) -> SearchParams:
    """The filters with a query (and other fields) set."""
    return SearchParams(q=q, filters=filters.filters, year_from=filters.year_from, year_to=filters.year_to,
                        **changes)


def filter_names() -> tuple[str, ...]:
    """The URL parameters of :func:`search_filters`."""
    return (*FACETS, "from", "to")


def searchable(query: str) -> ParsedQuery:
    """``query`` parsed; :class:`ResearchError` when it has nothing to look for (only
    words to leave out, only signs)."""
    parsed = parse_query(query)
    if not parsed.searchable:
        raise ResearchError(_("“%(query)s” cannot be searched. %(reason)s")
                            % {"query": parsed.text or query, "reason": parsed.notices[-1] if parsed.notices else ""})
    return parsed
