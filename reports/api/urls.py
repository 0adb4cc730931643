from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from reports.api import reports, search

urlpatterns = [
    path("reports/", reports.ReportList.as_view(), name="api-report-list"),
    path("reports/<int:pk>/", reports.ReportDetail.as_view(), name="api-report-detail"),
    path("search/", search.SearchView.as_view(), name="api-search"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
