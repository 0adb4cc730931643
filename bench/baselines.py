"""The two ways of searching the archive that ours is measured against, in-process.

* :class:`DefaultWhoosh`: haystack's stock Whoosh backend (``WhooshEngine``, the
  ``StemmingAnalyzer`` and spelling field it builds for our ``SectionIndex``) on an
  index of its own over the same sections, queried the way a stock haystack view
  does: ``SearchQuerySet().auto_query(q)`` plus ``filter()`` for facets, a count
  and the first page.
* :class:`IContains`: the ORM, ``icontains`` over each section's heading and text and
  its report's title, with the facets as report filters: what a site without a
  search engine would do. A query's words, quoted phrases, ``OR`` and ``NOT`` come
  from our own parser, so both sides answer the same question.

Both are timed in this process, without HTTP, JSON or snippets: ours is timed
through gunicorn with all of that, so the ratios are on the conservative side.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q

STOCK_ALIAS = "bench_default_whoosh"
PAGE = 20
BUILD_BATCH = 2000      # sections per stock ``update()`` call (each one is a Whoosh commit)


@dataclass
class Answer:
    report_ids: set[int]
    seconds: float


class DefaultWhoosh:
    """haystack's stock Whoosh set-up, on an index directory of its own."""

    def __init__(self, path: Path):
        from haystack import connections

        connections.connections_info[STOCK_ALIAS] = {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": str(path),
        }
        connections.ensure_defaults(STOCK_ALIAS)
        self.backend = connections[STOCK_ALIAS].get_backend()

    def build(self) -> float:
        """Index every section with haystack's own ``update()``; returns the seconds it took."""
        from haystack import connections

        from reports.models import Section

        index = connections[STOCK_ALIAS].get_unified_index().get_index(Section)
        began = time.perf_counter()
        batch = []
        for section in index.index_queryset().iterator(chunk_size=BUILD_BATCH):
            batch.append(section)
            if len(batch) == BUILD_BATCH:
                self.backend.update(index, batch)
                batch = []
        if batch:
            self.backend.update(index, batch)
        return time.perf_counter() - began

    def _queryset(self, q: str, filters: dict[str, str]):
        from haystack.query import SearchQuerySet

        return SearchQuerySet(using=STOCK_ALIAS).auto_query(q).filter(**filters)

    def timed(self, q: str, filters: dict[str, str]) -> float:
        """A stock results page: the count and the first page of results."""
        began = time.perf_counter()
        queryset = self._queryset(q, filters)
        queryset.count()
        list(queryset[:PAGE])
        return time.perf_counter() - began

    def report_ids(self, q: str, filters: dict[str, str]) -> set[int]:
        """Every report the stock query matches (read from the index, not page by page)."""
        query_string = self._queryset(q, filters).query.build_query()
        backend = self.backend
        if not backend.setup_complete:
            backend.setup()
        parsed = backend.parser.parse(query_string)
        with backend.index.refresh().searcher() as searcher:
            return {
                int(searcher.stored_fields(docnum)["report_id"])
                for docnum in searcher.docs_for_query(parsed)
            }


def _text_q(raw: str) -> Q:
    return Q(heading__icontains=raw) | Q(text__icontains=raw) | Q(report__title__icontains=raw)


def _node_q(node) -> Q:
    from reports.search.query import And, Not, Text

    if isinstance(node, Text):
        return _text_q(node.raw)
    if isinstance(node, Not):
        return ~_node_q(node.child)
    parts = [_node_q(child) for child in node.children]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined & part if isinstance(node, And) else combined | part
    return combined


_FILTER_FIELDS = {"year": "report__year", "language": "report__language", "association": "report__association__slug"}


class IContains:
    """The naive way: a substring scan of every section, in the script as typed."""

    def _sections(self, q: str, filters: dict[str, str]):
        from reports.models import Section
        from reports.search import parse_query

        parsed = parse_query(q)
        if not parsed.searchable:
            return Section.objects.none()
        lookups = {_FILTER_FIELDS[name]: value for name, value in filters.items()}
        return Section.objects.filter(_node_q(parsed.node), **lookups)

    def answer(self, q: str, filters: dict[str, str]) -> Answer:
        """The matching reports, their count and the first page of them, as a results page needs."""
        from reports.models import Report

        began = time.perf_counter()
        rows = list(self._sections(q, filters).values_list("report_id", flat=True))
        report_ids = set(rows)
        first_page = sorted(report_ids)[:PAGE]
        list(Report.objects.select_related("association").filter(pk__in=first_page))
        return Answer(report_ids, time.perf_counter() - began)
