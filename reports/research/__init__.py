"""Research tools over the archive: the rest of the code imports only what is here.

``trends`` counts the reports matching queries year by year; ``line_chart`` draws
them; ``concordance`` lists every occurrence of a query with its context;
``related_reports`` finds the reports most alike one; ``compare_reports`` tells
what one report added, dropped and kept of another, sentence by sentence. The
tools read the search's own answers (``reports.search``), so their numbers
agree with the search's.
"""

from reports.research.chart import LineChart, line_chart
from reports.research.compare import ADDED, CHANGES, KEPT, REMOVED, Comparison, compare_reports
from reports.research.concordance import PER_PAGE as CONCORDANCE_PER_PAGE
from reports.research.concordance import SORTS as CONCORDANCE_SORTS
from reports.research.concordance import Concordance, ShownLine, concordance, concordance_lines
from reports.research.filters import ResearchError, search_filters, with_query
from reports.research.related import SHOWN as RELATED_SHOWN
from reports.research.related import Related, related_reports
from reports.research.trends import MEASURES, Series, Trends, trends, typed_queries

__all__ = [
    "ADDED",
    "CHANGES",
    "CONCORDANCE_PER_PAGE",
    "CONCORDANCE_SORTS",
    "Comparison",
    "Concordance",
    "KEPT",
    "MEASURES",
    "LineChart",
    "RELATED_SHOWN",
    "REMOVED",
    "Related",
    "ResearchError",
    "Series",
    "ShownLine",
    "Trends",
    "compare_reports",
    "concordance",
    "concordance_lines",
    "line_chart",
    "related_reports",
    "search_filters",
    "trends",
    "typed_queries",
    "with_query",
]
