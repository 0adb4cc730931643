"""sitemap.xml: every reading page a search engine should find."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from reports import selectors
from reports.models import Association, Report


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["reports:home", "reports:associations"]

    def location(self, item: str) -> str:
        return reverse(item)


class AssociationSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Association.objects.order_by("pk")


class ReportSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Report.objects.order_by("pk")

    def lastmod(self, item: Report):
        return item.updated


class YearSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [row["year"] for row in selectors.year_counts()]

    def location(self, item: int) -> str:
        return reverse("reports:year", kwargs={"year": item})


SITEMAPS = {
    "pages": PageSitemap,
    "associations": AssociationSitemap,
    "reports": ReportSitemap,
    "years": YearSitemap,
}
