"""An official document is found by its number (文号), written with any kind of bracket, and shows it."""

import pytest

from reports.ingest import ingest_bytes
from reports.search import SearchParams, search
from tests.documents import official_document_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(search_index, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "originals"
    with django_capture_on_commit_callbacks(execute=True):
        result = ingest_bytes(official_document_text().encode("utf-8"), filename="川医协1号.txt")
    assert result.status == "created", result.error
    return result.report


@pytest.mark.parametrize("query", ["川医协〔2022〕1号", "川医协[2022]1号", "川医协［2022］1号", "川医协（2022）1号", "川醫協〔2022〕1號"])
def test_the_number_in_any_bracket_or_script_finds_the_report(official, query):
    outcome = search(SearchParams(q=query))
    assert [hit.report for hit in outcome.hits] == [official]


def test_another_number_of_the_same_issuer_finds_nothing(official):
    assert search(SearchParams(q="川医协〔2022〕2号")).hits == []
    assert search(SearchParams(q="川医协〔2021〕1号")).hits == []


def test_a_number_match_shows_the_number_marked(official):
    (hit,) = search(SearchParams(q="川医协[2022]1号")).hits
    assert hit.section is None
    assert hit.highlights[-1] == "<mark>川医协〔2022〕1号</mark>"


def test_the_number_is_on_the_report_page_the_api_the_citation_and_the_oai_record(official, client, settings):
    settings.ARCHIVE_OAI_ADMIN_EMAILS = ["archive@example.org"]
    page = client.get(official.get_absolute_url(), headers={"accept-language": "en"}).content.decode()
    assert "Document number" in page and "川医协〔2022〕1号" in page
    assert client.get(f"/api/reports/{official.pk}/").json()["document_number"] == "川医协〔2022〕1号"
    results = client.get("/api/search/", {"q": "川医协[2022]1号"}).json()["results"]
    assert [result["report"]["id"] for result in results] == [official.pk]
    record = client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).content.decode()
    assert "<dc:identifier>川医协〔2022〕1号</dc:identifier>" in record
    csl = client.get(f"/api/reports/{official.pk}/cite/", {"format": "csljson"}).content.decode()
    assert '"number": "川医协〔2022〕1号"' in csl or '"number":"川医协〔2022〕1号"' in csl
    assert "number = {川医协〔2022〕1号}" in client.get(f"/api/reports/{official.pk}/cite/", {"format": "bibtex"}).content.decode()
