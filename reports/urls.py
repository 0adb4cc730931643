from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from reports.feeds import LatestReportsFeed
from reports.sitemaps import SITEMAPS
from reports.views import browse, oai, research, search

app_name = "reports"

urlpatterns = [
    path("", browse.home, name="home"),
    path("associations/", browse.association_list, name="associations"),
    # Slugs keep Chinese names readable, so they are not limited to ASCII.
    path("associations/<str:slug>/", browse.association_detail, name="association"),
    path("reports/<int:pk>/", browse.report_detail, name="report"),
    path("reports/<int:pk>/original/", browse.report_original, name="report_original"),
    path("reports/<int:pk>/pages/<int:number>.jpg", browse.page_image, name="page_image"),
    path("reports/<int:pk>/compare/<int:other_pk>/", research.compare_page, name="report_compare"),
    path("years/<int:year>/", browse.year_detail, name="year"),
    path("search/", search.search_page, name="search"),
    path("trends/", research.trends_page, name="trends"),
    path("concordance/", research.concordance_page, name="concordance"),
    # Read-only: GET and HEAD, and 405 for anything else (a TRACE answered 200 before).
    path("feeds/reports.atom", require_safe(LatestReportsFeed()), name="feed"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("oai/", oai.endpoint, name="oai"),
]
