from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from reports.api import associations, citations, exports, reports, research, search, uploads, years

urlpatterns = [
    path("reports/", reports.ReportList.as_view(), name="api-report-list"),
    path("reports/<int:pk>/", reports.ReportDetail.as_view(), name="api-report-detail"),
    path("reports/<int:pk>/cite/", citations.ReportCitation.as_view(), name="api-report-cite"),
    path("reports/<int:pk>/related/", research.RelatedView.as_view(), name="api-report-related"),
    path("reports/<int:pk>/compare/<int:other_pk>/", research.CompareView.as_view(), name="api-report-compare"),
    path("associations/", associations.AssociationList.as_view(), name="api-association-list"),
    path("associations/<str:slug>/", associations.AssociationDetail.as_view(), name="api-association-detail"),
    path("years/<int:year>/", years.YearReportList.as_view(), name="api-year-detail"),
    path("search/", search.SearchView.as_view(), name="api-search"),
    path("search/export/", exports.SearchExport.as_view(), name="api-search-export"),
    path("trends/", research.TrendsView.as_view(), name="api-trends"),
    path("concordance/", research.ConcordanceView.as_view(), name="api-concordance"),
    path("uploads/", uploads.UploadList.as_view(), name="api-upload-list"),
    path("uploads/<int:pk>/", uploads.UploadDetail.as_view(), name="api-upload-detail"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
