"""Research tools over the archive: the rest of the code imports only what is here.

``trends`` counts the reports matching queries year by year; ``line_chart`` draws
them. ``concordance`` lists every occurrence of a query with its context. Each tool reads the search's own answers (``reports.search.matching``), so
its numbers agree with the search's.
"""

from reports.research.chart import LineChart, line_chart
from reports.research.concordance import PER_PAGE as CONCORDANCE_PER_PAGE
from reports.research.concordance import SORTS as CONCORDANCE_SORTS
from reports.research.concordance import Concordance, ShownLine, concordance, concordance_lines
from reports.research.filters import ResearchError, search_filters, with_query
from reports.research.related import SHOWN as RELATED_SHOWN
from reports.research.related import Related, related_reports
from reports.research.trends import MEASURES, Series, Trends, trends, typed_queries

__all__ = [
    "CONCORDANCE_PER_PAGE",
    "CONCORDANCE_SORTS",
    "Concordance",
    "MEASURES",
    "LineChart",
    "RELATED_SHOWN",
    "Related",
    "ResearchError",
    "Series",
    "ShownLine",
    "Trends",
    "concordance",
    "concordance_lines",
    "line_chart",
    "related_reports",
    "search_filters",
    "trends",
    "typed_queries",
    "with_query",
]
