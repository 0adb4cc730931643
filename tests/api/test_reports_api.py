import pytest
from django.core.management import call_command

from reports.models import Report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_search_index")]


@pytest.fixture
def seeded(seeds_dir):
    call_command("ingest", str(seeds_dir), stdout=open("/dev/null", "w"))


def test_report_list_is_paginated_with_the_documented_fields(client, seeded):
    response = client.get("/api/reports/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 5
    assert set(data) >= {"count", "next", "results"}
    report = data["results"][0]
    assert set(report) >= {"id", "url", "title", "association", "published", "year", "language", "source_name", "warnings"}
    assert set(report["association"]) >= {"name", "slug", "url"}
    assert report["url"].startswith("http://testserver/reports/")


def test_report_detail_has_body_and_sections(client, seeded):
    hebei = Report.objects.get(source_name__startswith="000")
    data = client.get(f"/api/reports/{hebei.pk}/").json()
    assert data["title"] == "历久弥坚 继承创新——以党建工作为引领,加强河北省医学会自身发展"
    assert data["published"] == "2021-06-30"
    assert data["language"] == "zh-Hans"
    assert data["association"]["name"] == "河北省医学会"
    assert data["body"].startswith("河北省医学会成立于1962年")
    assert data["sections"][0]["anchor"] == "intro"
    assert data["sections"][0]["text"] == data["body"].split("\n\n")[0]
    assert data["sections"][1] == {"anchor": "s1", "heading": "开展的主要工作", "level": 1, "text": "", "part": 1, "parts": 1}
    assert all(set(s) == {"anchor", "heading", "level", "text", "part", "parts"} for s in data["sections"])
    # A short report is one page: every section is on it, and the contents say so.
    assert data["pages"] == {"count": 1, "number": 1, "next": None, "previous": None}
    assert [entry["anchor"] for entry in data["contents"]] == [s["anchor"] for s in data["sections"]]
    assert {entry["page"] for entry in data["contents"]} == {1}


def test_report_without_a_date_has_null_published(client, seeded):
    tianjin = Report.objects.get(source_name__startswith="001")
    assert client.get(f"/api/reports/{tianjin.pk}/").json()["published"] is None


def test_damaged_report_lists_its_warnings(client, seeded):
    haidian = Report.objects.get(source_name__startswith="004")
    warnings = client.get(f"/api/reports/{haidian.pk}/").json()["warnings"]
    assert [w["original"] for w in warnings if w["kind"] == "damaged"] == ["??漆t", "?。ㄘ?"]


def test_missing_report_is_a_json_404(client):
    response = client.get("/api/reports/999999/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_openapi_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/reports/" in response.content
