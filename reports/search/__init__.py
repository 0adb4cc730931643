"""Cross-script full-text search: the rest of the code imports only what is here.

``analyze`` is the one analyzer (index and query time); ``search`` runs a query
with filters, sort and page; ``all_matches`` gives every result of one as ids
(for exports and the research tools) and ``similar_reports`` the reports alike a
set of terms; ``index_report``/``unindex_report``/``catch_up`` keep
the index in step with the database (``deferred_indexing`` batches a bulk load).
"""

from reports.search.analyzer import HAN_CLASS, NormalizedText, analyze, index_terms, normalize, normalized_text
from reports.search.grouped import GroupedSequence
from reports.search.highlight import highlight, mark_all, spans_by_pattern
from reports.search.indexing import (
    CatchUpResult,
    catch_up,
    defer,
    deferred_indexing,
    index_report,
    index_reports,
    unindex_report,
)
from reports.search.query import ParsedQuery, parse_query
from reports.search.similar import Similar, section_frequencies, similar_reports
from reports.search.searching import (
    FACETS,
    Hit,
    Matches,
    SearchOutcome,
    SearchParams,
    SearchUnavailable,
    all_matches,
    matching_report_ids,
    other_script,
    remembered,
    search,
    warm_up,
    year_or_none,
)

__all__ = [
    "CatchUpResult",
    "FACETS",
    "GroupedSequence",
    "HAN_CLASS",
    "Hit",
    "Matches",
    "NormalizedText",
    "ParsedQuery",
    "SearchOutcome",
    "SearchParams",
    "SearchUnavailable",
    "Similar",
    "all_matches",
    "analyze",
    "catch_up",
    "defer",
    "deferred_indexing",
    "highlight",
    "index_report",
    "index_reports",
    "index_terms",
    "mark_all",
    "matching_report_ids",
    "normalize",
    "normalized_text",
    "other_script",
    "parse_query",
    "remembered",
    "search",
    "section_frequencies",
    "similar_reports",
    "spans_by_pattern",
    "unindex_report",
    "warm_up",
    "year_or_none",
]
