"""The report list: filters by association, year, language and warnings; search by title."""

import pytest

from reports.models import Association, Report
from tests.admin.seeds import seed_text

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/reports/report/"


@pytest.fixture
def archive(upload):
    """Four seeds: two years, two languages, one with damaged characters."""
    for prefix, name in [("000", "hebei.txt"), ("002", "chengdu.txt"), ("003", "sichuan.txt"), ("004", "haidian.txt")]:
        assert upload((name, seed_text(prefix).encode("utf-8"))).status_code == 302
    return {r.source_name: r for r in Report.objects.all()}


def listed(client, **params) -> set[str]:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return {report.source_name for report in response.context["cl"].result_list}


def test_the_list_filters_by_association(staff_client, archive):
    hebei = Association.objects.get(name="河北省医学会")
    assert listed(staff_client, association__id__exact=hebei.pk) == {"hebei.txt"}


def test_the_list_filters_by_year(staff_client, archive):
    assert listed(staff_client, year=2021) == {r.source_name for r in archive.values() if r.year == 2021}
    assert listed(staff_client, year=2021) and listed(staff_client, year=2021) != set(archive)


def test_the_list_filters_by_language(staff_client, archive):
    assert listed(staff_client, language__exact="en") == {"chengdu.txt"}
    assert listed(staff_client, language__exact="zh-Hant") == {"haidian.txt"}


def test_the_list_filters_by_warning_status(staff_client, archive):
    with_warnings = {name for name, r in archive.items() if r.warnings}
    assert "haidian.txt" in with_warnings  # its damaged characters
    assert listed(staff_client, warnings="yes") == with_warnings
    assert listed(staff_client, warnings="no") == set(archive) - with_warnings


def test_the_list_searches_titles_in_either_case(staff_client, archive):
    assert listed(staff_client, q="河北省医学会自身发展") == {"hebei.txt"}
    assert listed(staff_client, q="stay true") == {"chengdu.txt"}


def test_the_list_offers_every_filter(staff_client, archive):
    page = staff_client.get(LIST_URL).content.decode()
    for choice in ("?association__id__exact=", "?year=2021", "?language__exact=zh-Hant", "?warnings=yes"):
        assert choice in page
