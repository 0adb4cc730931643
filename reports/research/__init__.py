"""Research tools over the archive: the rest of the code imports only what is here.

``trends`` counts the reports matching queries year by year; ``line_chart`` draws
them. Each tool reads the search's own answers (``reports.search.matching``), so
its numbers agree with the search's.
"""

from reports.research.chart import LineChart, line_chart
from reports.research.filters import ResearchError, search_filters, with_query
from reports.research.trends import MEASURES, Series, Trends, trends, typed_queries

__all__ = [
    "MEASURES",
    "LineChart",
    "ResearchError",
    "Series",
    "Trends",
    "line_chart",
    "search_filters",
    "trends",
    "typed_queries",
    "with_query",
]
