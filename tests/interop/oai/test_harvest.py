"""A real harvester (Sickle) against a real gunicorn: the seeds and uploads, uploads between pages, deletions.

One server for the module, with two records a page so that every list takes
several resumption tokens. Reports are uploaded with ``manage.py ingest`` and
deleted through the ORM in the server's own database, as staff would.
"""

import json
from urllib.parse import urlencode

import pytest
from sickle import Sickle, oaiexceptions

from tests.interop.oai.oai_schema import assert_valid
from tests.server.gunicorn import running_gunicorn

pytestmark = pytest.mark.server

REPOSITORY = "archive.example.org"
OAI_ENV = {
    "ARCHIVE_OAI_ADMIN_EMAIL": "archive-admin@example.org",
    "ARCHIVE_OAI_REPOSITORY_IDENTIFIER": REPOSITORY,
    "ARCHIVE_OAI_PAGE_SIZE": "2",
}
OAI_NS = "{http://www.openarchives.org/OAI/2.0/}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_gunicorn(tmp_path_factory.mktemp("oai"), env=OAI_ENV) as server:
        yield server


@pytest.fixture(scope="module")
def sickle(server):
    return Sickle(server.url("/oai/"), max_retries=0, timeout=30)


def upload(server, folder, *years: int) -> None:
    """Store one report a year through ``manage.py ingest``, as a batch of files would arrive."""
    folder.mkdir(parents=True, exist_ok=True)
    for year in years:
        (folder / f"report-{year}.txt").write_text(
            f"河北省医学会{year}年工作总结\n发布日期:{year + 1}-01-15 来源:中华医学信息导报 作者:河北省医学会\n\n"
            f"{year}年,河北省医学会围绕学术交流、继续医学教育和科学普及开展工作,共举办学术会议{year % 97}场。\n",
            encoding="utf-8",
        )
    server.manage("ingest", str(folder))


def report_ids(server) -> list[int]:
    result = server.manage("shell", "-c", "from reports.models import Report; import json; "
                           "print(json.dumps(sorted(Report.objects.values_list('pk', flat=True))))")
    return json.loads(result.stdout.strip().splitlines()[-1])


def pk_of(oai_identifier: str) -> int:
    prefix = f"oai:{REPOSITORY}:report/"
    assert oai_identifier.startswith(prefix), oai_identifier
    return int(oai_identifier[len(prefix):])


def response_date(iterator) -> str:
    return iterator.oai_response.xml.find(f"{OAI_NS}responseDate").text


def test_a_harvest_gets_the_seeds_and_uploads_once_each_and_not_an_upload_between_pages(server, sickle, tmp_path):
    upload(server, tmp_path / "batch", 2016, 2017, 2018)
    before = report_ids(server)
    assert len(before) == 8  # five seeds, three uploads

    records = sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False)
    started = response_date(records)
    harvested = [next(records), next(records)]  # the first page
    upload(server, tmp_path / "between", 2019)  # arrives while the harvester is between pages
    harvested += list(records)

    ids = [pk_of(record.header.identifier) for record in harvested]
    assert sorted(ids) == before  # every report, once; the new one waits for the next harvest
    for record in harvested:
        assert not record.deleted
        assert record.metadata["title"] and record.metadata["creator"]
        assert record.metadata["identifier"][0] == server.url(f"/reports/{pk_of(record.header.identifier)}/")
        assert record.metadata["language"][0] in {"zh-Hans", "zh-Hant", "en"}

    new = sorted(set(report_ids(server)) - set(before))
    later = sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False, **{"from": started})
    assert set(new) <= {pk_of(header.identifier) for header in later}


def test_an_incremental_harvest_learns_of_a_deletion(server, sickle, tmp_path):
    upload(server, tmp_path / "doomed", 2015)
    headers = sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False)
    started = response_date(headers)
    first = {pk_of(header.identifier): header for header in headers}
    doomed = max(first)
    server.manage("shell", "-c", f"from reports.models import Report; Report.objects.get(pk={doomed}).delete()")

    later = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False, **{"from": started}))
    deleted = [header for header in later if header.deleted]
    assert [pk_of(header.identifier) for header in deleted] == [doomed]
    assert deleted[0].datestamp >= started
    assert "year:2015" in deleted[0].setSpecs
    record = sickle.GetRecord(identifier=f"oai:{REPOSITORY}:report/{doomed}", metadataPrefix="oai_dc")
    assert record.deleted and record.xml.find(f"{OAI_NS}metadata") is None
    # A full harvest now lists it once, as deleted, and every other report once.
    everything = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False))
    assert sorted(pk_of(header.identifier) for header in everything if not header.deleted) == report_ids(server)


def test_the_harvester_reads_identify_sets_formats_and_posts(server, sickle):
    identify = sickle.Identify()
    assert identify.adminEmail == "archive-admin@example.org"
    assert identify.deletedRecord == "persistent" and identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    sets = {item.setSpec: item.setName for item in sickle.ListSets()}
    assert {"association", "year", "year:2021"} <= set(sets)
    assert any(spec.startswith("association:xn--") for spec in sets)
    assert [item.metadataPrefix for item in sickle.ListMetadataFormats()] == ["oai_dc"]
    posted = Sickle(server.url("/oai/"), http_method="POST", max_retries=0, timeout=30)
    assert sorted(h.identifier for h in posted.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False)) == sorted(
        h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False))


@pytest.mark.parametrize("call, error", [
    (lambda s: list(s.ListRecords(metadataPrefix="marc21")), oaiexceptions.CannotDisseminateFormat),
    (lambda s: list(s.ListRecords(metadataPrefix="oai_dc", **{"from": "2100-01-01"})), oaiexceptions.NoRecordsMatch),
    (lambda s: list(s.ListRecords(metadataPrefix="oai_dc", until="2021-01-01T00:00")), oaiexceptions.BadArgument),
    (lambda s: list(s.ListRecords(resumptionToken="forged")), oaiexceptions.BadResumptionToken),
    (lambda s: s.GetRecord(identifier=f"oai:{REPOSITORY}:report/0", metadataPrefix="oai_dc"), oaiexceptions.IdDoesNotExist),
])
def test_the_harvester_gets_each_error_as_the_protocol_names_it(sickle, call, error):
    with pytest.raises(error):
        call(sickle)


@pytest.mark.parametrize("query", [
    {"verb": "Identify"},
    {"verb": "ListMetadataFormats"},
    {"verb": "ListSets"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "year:2021"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
    {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": f"oai:{REPOSITORY}:report/1"},
    {"verb": "Unknown"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-01-01", "until": "2021-01-01T00:00:00Z"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "association:nobody"},
])
def test_every_verb_served_by_gunicorn_is_valid_oai_pmh(server, query):
    response = server.get("/oai/?" + urlencode(query))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert_valid(response.body)
