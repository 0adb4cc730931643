"""OAI-PMH at /oai/, in process: every verb, every error, the XML checked against the protocol's schemas."""

import re
from datetime import UTC, datetime, timedelta

import hypothesis
import pytest
from hypothesis import strategies as st

from reports.interop.oai import records
from reports.interop.oai.protocol import VERBS
from reports.models import DeletedReport, Report
from tests.interop.oai.conftest import ADMIN_EMAIL, REPOSITORY
from tests.interop.oai.oai_schema import assert_valid

NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/",
      "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/", "id": "http://www.openarchives.org/OAI/2.0/oai-identifier"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

pytestmark = pytest.mark.django_db


def texts(root, path: str) -> list[str]:
    return [element.text for element in root.xpath(path, namespaces=NS)]


def text(root, path: str) -> str:
    (value,) = texts(root, path)
    return value


def errors(root) -> dict[str, str]:
    return {element.get("code"): element.text for element in root.xpath("o:error", namespaces=NS)}


def request_attributes(root) -> dict[str, str]:
    return dict(root.xpath("o:request", namespaces=NS)[0].attrib)


def identifier(report) -> str:
    return f"oai:{REPOSITORY}:report/{report.pk}"


def harvest(oai, verb: str, **arguments) -> tuple[list, list]:
    """Follow resumption tokens to the end; (every header or record, every resumptionToken element)."""
    items, token_elements = [], []
    root = oai(verb=verb, **arguments)
    while True:
        items += root.xpath(f"o:{verb}/o:header | o:{verb}/o:record | o:{verb}/o:set", namespaces=NS)
        token = root.xpath(f"o:{verb}/o:resumptionToken", namespaces=NS)
        token_elements += token
        if not token or not token[0].text:
            return items, token_elements
        root = oai(verb=verb, resumptionToken=token[0].text)


def harvested_ids(items) -> list[str]:
    return [element.xpath("string(descendant-or-self::o:header/o:identifier)", namespaces=NS) for element in items]


# Identify and the envelope ----------------------------------------------------------------


def test_identify_describes_the_repository(archive, oai):
    root = oai(verb="Identify")
    assert text(root, "o:request") == "http://testserver/oai/"
    assert request_attributes(root) == {"verb": "Identify"}
    assert text(root, "o:Identify/o:baseURL") == "http://testserver/oai/"
    assert text(root, "o:Identify/o:protocolVersion") == "2.0"
    assert texts(root, "o:Identify/o:adminEmail") == [ADMIN_EMAIL]
    assert text(root, "o:Identify/o:deletedRecord") == "persistent"
    assert text(root, "o:Identify/o:granularity") == "YYYY-MM-DDThh:mm:ssZ"
    first = min(report.metadata_changed for report in Report.objects.all())
    assert text(root, "o:Identify/o:earliestDatestamp") == first.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert text(root, "o:Identify/o:description/id:oai-identifier/id:repositoryIdentifier") == REPOSITORY
    assert text(root, "o:Identify/o:description/id:oai-identifier/id:sampleIdentifier") == f"oai:{REPOSITORY}:report/1"
    response_date = datetime.strptime(text(root, "o:responseDate"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(response_date - datetime.now(UTC)) < timedelta(minutes=1)


def test_identify_leaves_out_the_identifier_scheme_for_a_host_without_a_domain(archive, oai, settings):
    settings.ARCHIVE_OAI_REPOSITORY_IDENTIFIER = "localhost"
    root = oai(verb="Identify")
    assert not root.xpath("o:Identify/o:description", namespaces=NS)
    assert text(root, "o:Identify/o:adminEmail") == ADMIN_EMAIL


def test_an_empty_archive_still_identifies_itself(db, oai):
    assert text(oai(verb="Identify"), "o:Identify/o:repositoryName") == "Society work report archive"


def test_without_an_administrator_address_the_endpoint_says_it_is_off(client, settings):
    settings.ARCHIVE_OAI_ADMIN_EMAILS = []
    response = client.get("/oai/", {"verb": "Identify"})
    assert response.status_code == 503
    assert b"ARCHIVE_OAI_ADMIN_EMAIL" in response.content


def test_post_form_encoded_answers_as_get(archive, oai):
    report = archive["reports"][0]
    posted = oai("post", verb="GetRecord", identifier=identifier(report), metadataPrefix="oai_dc")
    got = oai(verb="GetRecord", identifier=identifier(report), metadataPrefix="oai_dc")
    assert request_attributes(posted) == request_attributes(got) == {
        "verb": "GetRecord", "identifier": identifier(report), "metadataPrefix": "oai_dc"}
    assert texts(posted, "//dc:*") == texts(got, "//dc:*")


def test_other_methods_are_refused(client):
    assert client.put("/oai/", "verb=Identify").status_code == 405


# Errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query, message", [
    ({}, "no verb"),
    ({"verb": "ListEverything"}, "not an OAI-PMH verb"),
    ({"verb": ["Identify", "Identify"]}, "repeated"),
])
def test_bad_verbs(db, oai, client, query, message):
    response = client.get("/oai/", query)
    root = assert_valid(response.content)
    assert message in errors(root)["badVerb"]
    assert request_attributes(root) == {}  # badVerb echoes no arguments


@pytest.mark.parametrize("query, code", [
    ({"verb": "Identify", "set": "year:2021"}, "badArgument"),  # an argument the verb does not take
    ({"verb": "ListRecords"}, "badArgument"),  # metadataPrefix missing
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),  # identifier missing
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),  # repeated
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),  # not exclusive
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-01-01", "until": "2021-12-31T00:00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-13-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-01-01T00:00:00"}, "badArgument"),  # no Z
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2021-01-01T00:00:00+08:00"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2022-01-01", "until": "2021-01-01"}, "badArgument"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "year 2021"}, "badArgument"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai dc"}, "badArgument"),
    ({"verb": "ListMetadataFormats", "identifier": ":"}, "badArgument"),  # not a URI, so not echoed (identifierType)
    ({"verb": "ListSets", "resumptionToken": "not-a-token"}, "badResumptionToken"),
    ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere.org:report/1"}, "idDoesNotExist"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": f"oai:{REPOSITORY}:report/999999"}, "idDoesNotExist"),
    ({"verb": "ListMetadataFormats", "identifier": "not an identifier"}, "idDoesNotExist"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2100-01-01"}, "noRecordsMatch"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1999-12-31"}, "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "year:1850"}, "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "association:nobody"}, "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "region:hebei"}, "noRecordsMatch"),
    # Punycode for a lone surrogate (U+D800), which no slug can be and no database can store.
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "association:xn--ib9b"}, "noRecordsMatch"),
])
def test_every_error_condition(archive, client, query, code):
    response = client.get("/oai/", query)
    assert response.status_code == 200
    root = assert_valid(response.content)
    assert code in errors(root), errors(root)
    if code in ("badVerb", "badArgument"):
        assert request_attributes(root) == {}
    else:  # every other error echoes the request's arguments
        assert request_attributes(root) == {key: value for key, value in query.items()}


def test_independent_errors_are_reported_together(archive, oai, client):
    root = assert_valid(client.get("/oai/", {"verb": "GetRecord", "metadataPrefix": "marc21", "identifier": "oai:x.org:1"}).content)
    assert set(errors(root)) == {"cannotDisseminateFormat", "idDoesNotExist"}


def test_a_token_of_one_verb_does_not_continue_another(archive, oai):
    token = text(oai(verb="ListIdentifiers", metadataPrefix="oai_dc"), "o:ListIdentifiers/o:resumptionToken")
    assert "badResumptionToken" in errors(oai(verb="ListRecords", resumptionToken=token))
    assert "badResumptionToken" in errors(oai(verb="ListIdentifiers", resumptionToken=token[:-2] + "xx"))


# Metadata formats and sets --------------------------------------------------------------


def test_list_metadata_formats(archive, oai):
    for arguments in ({}, {"identifier": identifier(archive["reports"][0])}):
        root = oai(verb="ListMetadataFormats", **arguments)
        assert texts(root, "o:ListMetadataFormats/o:metadataFormat/o:metadataPrefix") == ["oai_dc"]
        assert texts(root, "o:ListMetadataFormats/o:metadataFormat/o:metadataNamespace") == [NS["oai_dc"]]


def test_sets_per_association_and_year_in_pages(archive, oai, settings):
    settings.ARCHIVE_OAI_PAGE_SIZE = 1  # the first page carries the parents and years, then one association a page
    items, token_elements = harvest(oai, "ListSets")
    sets = {item.xpath("string(o:setSpec)", namespaces=NS): item.xpath("string(o:setName)", namespaces=NS) for item in items}
    chinese = "association:xn--" + "河北省医学会".encode("punycode").decode()
    assert sets == {
        "association": "Reports by association", "year": "Reports by the year they cover",
        "year:2019": "Reports covering 2019", "year:2020": "Reports covering 2020",
        "year:2021": "Reports covering 2021", "year:2022": "Reports covering 2022",
        chinese: "河北省医学会", "association:sichuan": "Sichuan Medical Association",
    }
    assert len(items) == len(sets)  # each once, over pages
    assert [element.get("cursor") for element in token_elements] == ["0", "7"]
    assert {element.get("completeListSize") for element in token_elements} == {"8"}
    assert token_elements[-1].text is None


def test_set_specs_round_trip_any_slug():
    for slug in ("河北省医学会", "sichuan", "中华医学会-2", "xn--looks-encoded", "a.b_c"):
        spec = records.association_set(slug)
        assert records.SET_SPEC.fullmatch(spec)
        assert records.set_filter(spec).deleted.children == [("association_slug", slug)]


# Records ----------------------------------------------------------------------------------


def test_a_record_in_dublin_core(archive, oai, settings):
    report = archive["reports"][0]
    report.authors = "王某某"
    report.body = "河北省医学会成立于1962年,\n\n  业务主管单位为河北省科学技术协会。学会成立至今,历经八届理事会,继往开来。"
    report.save()
    root = oai(verb="GetRecord", identifier=identifier(report), metadataPrefix="oai_dc")
    dc = root.xpath("o:GetRecord/o:record/o:metadata/oai_dc:dc", namespaces=NS)[0]
    values = [(element.tag.split("}")[1], element.text) for element in dc]
    assert values == [
        ("title", "河北省医学会2021年工作总结"),
        ("creator", "王某某"),
        ("creator", "河北省医学会"),
        ("description", "河北省医学会成立于1962年, 业务主管单位为河北省科学技术协会。学会成立至今,…"),
        ("date", "2021-06-30"),
        ("type", "Text"),
        ("type", "Report"),
        ("format", "text/plain"),
        ("identifier", f"http://testserver/reports/{report.pk}/"),
        ("source", "中华医学信息导报"),
        ("language", "zh-Hans"),
        ("coverage", "2021"),
    ]
    assert len(values[3][1]) == settings.ARCHIVE_OAI_DESCRIPTION_CHARS + 1
    assert dc.xpath("dc:title", namespaces=NS)[0].get(XML_LANG) == "zh-Hans"
    assert texts(root, "o:GetRecord/o:record/o:header/o:setSpec") == [
        records.association_set("河北省医学会"), "year:2021"]


def test_an_association_that_is_also_the_author_is_one_creator(archive):
    from reports.interop.oai import dublin_core

    report = archive["reports"][0]
    report.authors = report.association.name
    found = dublin_core.elements(report, url="http://x.org/r/1/", description="")
    assert [e.value for e in found if e.name == "creator"] == ["河北省医学会"]


def test_the_document_number_is_a_second_identifier(archive):
    from reports.interop.oai import dublin_core

    report = archive["reports"][0]
    report.document_number = "冀医会〔2021〕12号"
    found = dublin_core.elements(report, url="http://x.org/r/1/", description="")
    assert [e.value for e in found if e.name == "identifier"] == ["http://x.org/r/1/", "冀医会〔2021〕12号"]


def test_a_record_without_dates_or_a_description(archive, oai, settings):
    settings.ARCHIVE_OAI_DESCRIPTION_CHARS = 0
    report = archive["reports"][4]  # published 2022-12-01, no year covered
    dc = oai(verb="GetRecord", identifier=identifier(report), metadataPrefix="oai_dc").xpath("//oai_dc:dc", namespaces=NS)[0]
    names = [element.tag.split("}")[1] for element in dc]
    assert "description" not in names and "coverage" not in names
    assert dc.xpath("string(dc:date)", namespaces=NS) == "2022-12-01"
    assert archive["reports"][4].pk in _ids_in_set(oai, "year:2022")  # the year pages' rule: published year


def test_text_xml_cannot_carry_is_marked_not_dropped(archive, oai):
    report = archive["reports"][0]
    report.title = "标题\x0b带控制字符\x01\ufffe"
    report.save()
    root = oai(verb="GetRecord", identifier=identifier(report), metadataPrefix="oai_dc")
    assert text(root, "//dc:title") == "标题\ufffd带控制字符\ufffd\ufffd"


def _ids_in_set(oai, spec: str) -> set[int]:
    items, _ = harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc", set=spec)
    return {int(value.rsplit("/", 1)[1]) for value in harvested_ids(items)}


def test_lists_walk_every_record_once_in_pages(archive, oai):
    for verb in ("ListIdentifiers", "ListRecords"):
        items, token_elements = harvest(oai, verb, metadataPrefix="oai_dc")
        assert sorted(harvested_ids(items)) == sorted(identifier(report) for report in archive["reports"])
        assert [element.get("cursor") for element in token_elements] == ["0", "3", "6"]
        assert {element.get("completeListSize") for element in token_elements} == {"7"}
        assert token_elements[-1].text is None  # the last page closes the list with an empty token


def test_a_list_that_fits_one_page_has_no_token(archive, oai, settings):
    settings.ARCHIVE_OAI_PAGE_SIZE = 100
    root = oai(verb="ListRecords", metadataPrefix="oai_dc")
    assert len(root.xpath("o:ListRecords/o:record", namespaces=NS)) == 7
    assert not root.xpath("o:ListRecords/o:resumptionToken", namespaces=NS)


def test_selective_harvesting_by_set(archive, oai):
    reports = archive["reports"]
    assert _ids_in_set(oai, "year:2021") == {reports[0].pk, reports[3].pk}
    assert _ids_in_set(oai, "year:2020") == {reports[2].pk, reports[5].pk}
    assert _ids_in_set(oai, records.association_set("河北省医学会")) == {r.pk for r in reports[:3]}
    assert _ids_in_set(oai, "association:sichuan") == {r.pk for r in reports[3:]}
    assert _ids_in_set(oai, "association") == {r.pk for r in reports}
    assert _ids_in_set(oai, "year") == {r.pk for r in reports}


def _dated(report, moment: datetime) -> None:
    Report.objects.filter(pk=report.pk).update(metadata_changed=moment)


def test_selective_harvesting_by_date_at_either_granularity(archive, oai):
    first, second, *rest = archive["reports"]
    for report in rest:
        _dated(report, datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC))
    _dated(first, datetime(2024, 2, 29, 23, 59, 59, 500_000, tzinfo=UTC))
    _dated(second, datetime(2024, 3, 2, 0, 0, 0, tzinfo=UTC))

    def ids(**bounds):
        items, _ = harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc", **bounds)
        return {int(value.rsplit("/", 1)[1]) for value in harvested_ids(items)}

    everyone = {r.pk for r in archive["reports"]}
    assert ids(**{"from": "2024-03-01", "until": "2024-03-01"}) == everyone - {first.pk, second.pk}
    assert ids(until="2024-02-29") == {first.pk}  # the whole day, to its last microsecond
    assert ids(until="2024-02-29T23:59:59Z") == {first.pk}  # the whole second
    assert ids(until="2024-02-29T23:59:58Z") == set()  # noRecordsMatch
    assert ids(**{"from": "2024-03-02T00:00:00Z"}) == {second.pk}
    assert ids(**{"from": "2024-02-29T23:59:59Z", "until": "2024-03-01T12:00:00Z"}) == everyone - {second.pk}


@pytest.mark.parametrize("bounds", [
    {"until": "9999-12-31"}, {"until": "9999-12-31T23:59:59Z"},
    {"from": "0001-01-01", "until": "9999-12-31"}, {"from": "0001-01-01T00:00:00Z"},
])
def test_the_calendars_first_and_last_days_are_bounds_like_any_other(archive, oai, bounds):
    # The last day's end is the last moment a datetime holds: one step further overflowed (a 500).
    items, _ = harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc", **bounds)
    assert sorted(harvested_ids(items)) == sorted(identifier(report) for report in archive["reports"])


def test_an_upload_between_two_pages_is_neither_lost_nor_given_twice(archive, oai, add_report):
    first_page = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = text(first_page, "o:ListIdentifiers/o:resumptionToken")
    started = text(first_page, "o:responseDate")
    new = add_report(archive["hebei"], title="河北省医学会2023年工作总结", year=2023)
    items = first_page.xpath("o:ListIdentifiers/o:header", namespaces=NS)
    root = oai(verb="ListIdentifiers", resumptionToken=token)
    while True:
        items += root.xpath("o:ListIdentifiers/o:header", namespaces=NS)
        token = root.xpath("o:ListIdentifiers/o:resumptionToken", namespaces=NS)[0].text
        if not token:
            break
        root = oai(verb="ListIdentifiers", resumptionToken=token)
    assert sorted(harvested_ids(items)) == sorted(identifier(report) for report in archive["reports"])
    # The next incremental harvest, from this one's responseDate, brings it.
    later, _ = harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc", **{"from": started})
    assert identifier(new) in harvested_ids(later)


def test_a_token_of_another_server_is_refused_and_the_list_can_start_again(archive, oai, settings):
    token = text(oai(verb="ListRecords", metadataPrefix="oai_dc"), "o:ListRecords/o:resumptionToken")
    settings.SECRET_KEY = "another server's secret key, fifty characters or more of it"
    assert set(errors(oai(verb="ListRecords", resumptionToken=token))) == {"badResumptionToken"}
    assert oai(verb="ListRecords", metadataPrefix="oai_dc").xpath("o:ListRecords/o:record", namespaces=NS)


def test_a_token_replayed_gives_the_same_page(archive, oai):
    token = text(oai(verb="ListRecords", metadataPrefix="oai_dc"), "o:ListRecords/o:resumptionToken")
    once, again = oai(verb="ListRecords", resumptionToken=token), oai(verb="ListRecords", resumptionToken=token)
    assert harvested_ids(once.xpath("//o:record", namespaces=NS)) == harvested_ids(again.xpath("//o:record", namespaces=NS))


# Deleted records ----------------------------------------------------------------------------


def test_a_deleted_report_stays_as_a_deleted_record(archive, oai, committed):
    report = archive["reports"][0]
    before = datetime.now(UTC).replace(microsecond=0)
    committed(Report.objects.get(pk=report.pk).delete)
    kept = DeletedReport.objects.get(pk=report.pk)
    assert kept.association_slug == "河北省医学会" and kept.year == 2021 and kept.deleted >= before
    root = oai(verb="GetRecord", identifier=identifier(report), metadataPrefix="oai_dc")
    header = root.xpath("o:GetRecord/o:record/o:header", namespaces=NS)[0]
    assert header.get("status") == "deleted"
    assert not root.xpath("//o:metadata", namespaces=NS)  # a deleted record is its header alone
    assert texts(header, "o:setSpec") == [records.association_set("河北省医学会"), "year:2021"]
    assert oai(verb="ListMetadataFormats", identifier=identifier(report)).xpath("//o:metadataPrefix", namespaces=NS)
    # An incremental harvest from before the deletion learns of it, in the report's sets too.
    for arguments in ({}, {"set": "year:2021"}, {"set": records.association_set("河北省医学会")}):
        items, _ = harvest(oai, "ListRecords", metadataPrefix="oai_dc", **{"from": before.strftime("%Y-%m-%dT%H:%M:%SZ")}, **arguments)
        deleted = [item for item in items if item.xpath("o:header/@status", namespaces=NS) == ["deleted"]]
        assert harvested_ids(deleted) == [identifier(report)]
    assert text(oai(verb="Identify"), "o:Identify/o:earliestDatestamp") <= before.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_deleting_from_the_admin_keeps_a_deleted_record(archive, admin_client, committed):
    report = archive["reports"][1]
    response = committed(lambda: admin_client.post(f"/admin/reports/report/{report.pk}/delete/", {"post": "yes"}))
    assert response.status_code == 302
    assert not Report.objects.filter(pk=report.pk).exists()
    assert DeletedReport.objects.filter(pk=report.pk, year=2022).exists()


def test_a_renamed_association_moves_its_deleted_records_to_the_new_set(archive, committed, oai):
    report = archive["reports"][3]
    committed(Report.objects.get(pk=report.pk).delete)
    sichuan = archive["sichuan"]
    sichuan.slug = "sichuan-ma"
    committed(sichuan.save)
    assert DeletedReport.objects.get(pk=report.pk).association_slug == "sichuan-ma"
    assert report.pk in _ids_in_set(oai, "association:sichuan-ma")


# Datestamps -----------------------------------------------------------------------------------


def _datestamp(report) -> datetime:
    return Report.objects.get(pk=report.pk).metadata_changed


def test_an_edit_a_harvester_would_see_dates_the_record_afresh(archive, committed):
    report = Report.objects.get(pk=archive["reports"][0].pk)
    before = _datestamp(report)
    report.title = "河北省医学会2021年度工作总结"
    committed(report.save)
    assert _datestamp(report) > before


def test_saving_unchanged_or_reindexing_leaves_the_datestamp(archive, committed):
    from reports.search import index_report

    report = Report.objects.get(pk=archive["reports"][0].pk)
    before = _datestamp(report)
    committed(report.save)  # Save pressed again, nothing changed
    report.warnings = [{"kind": "damaged", "message": "checked"}]  # not part of the record
    committed(report.save)
    committed(lambda: index_report(report))
    Report.objects.filter(pk=report.pk).update(index_pending=True)
    assert _datestamp(report) == before
    assert Report.objects.get(pk=report.pk).updated > before  # auto_now moved; the datestamp did not


def test_a_changed_opening_of_the_text_dates_the_record(archive, committed):
    report = Report.objects.get(pk=archive["reports"][0].pk)
    before = _datestamp(report)
    report.body = report.body + "\n末尾补充一段,不在摘要里。" * 50
    committed(report.save)
    assert _datestamp(report) == before  # past the description: the record is the same
    report.body = "新的开头。" + report.body
    committed(report.save)
    assert _datestamp(report) > before


def test_renaming_an_association_dates_its_reports(archive, committed):
    hebei = archive["hebei"]
    before = {report.pk: _datestamp(report) for report in archive["reports"]}
    hebei.name = "河北省医学会(更名)"
    committed(hebei.save)
    for report in archive["reports"]:
        moved = _datestamp(report) > before[report.pk]
        assert moved == (report.association_id == hebei.pk)


def test_a_page_reads_no_whole_text_and_a_fixed_number_of_queries(archive, client, django_assert_max_num_queries, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.ARCHIVE_OAI_PAGE_SIZE = 7
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    assert response.status_code == 200
    selects = [query["sql"] for query in queries if "reports_report" in query["sql"]]
    assert len(queries) <= 4, [query["sql"] for query in queries]
    # The text is read only through SUBSTR (SQLite) or SUBSTRING (PostgreSQL) of its opening.
    whole_text = re.compile(r'(?<!SUBSTR\()(?<!SUBSTRING\()"reports_report"\."body"')
    assert not any(whole_text.search(sql) for sql in selects), selects


def test_the_schemas_catch_a_wrong_record(archive, client):
    """The validation is strict down to the Dublin Core elements, so the tests above mean something."""
    from lxml import etree

    body = client.get("/oai/", {"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                "identifier": identifier(archive["reports"][0])}).content
    assert_valid(body)
    for wrong in (body.replace(b"<dc:title", b"<dc:heading").replace(b"</dc:title>", b"</dc:heading>"),
                  body.replace(b"<datestamp>", b"<datestamp>1 ").replace(b"Z</datestamp>", b"</datestamp>"),
                  body.replace(b'xml:lang="zh-Hans"', b'xml:lang="zh Hans"')):
        with pytest.raises(AssertionError, match="not valid OAI-PMH"):
            assert_valid(wrong)
    assert etree.fromstring(body) is not None


def test_the_footer_links_the_endpoint_when_it_answers(archive, client, settings):
    assert b'href="/oai/?verb=Identify"' in client.get("/").content
    settings.ARCHIVE_OAI_ADMIN_EMAILS = []
    assert b"/oai/" not in client.get("/").content


def test_settings_refuse_what_identify_cannot_carry(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from archive import settings as archive_settings

    monkeypatch.setenv("ARCHIVE_OAI_ADMIN_EMAIL", "a@example.org, root@localhost")
    with pytest.raises(ImproperlyConfigured, match="root@localhost"):
        archive_settings._oai_admin_emails()
    monkeypatch.setenv("ARCHIVE_OAI_REPOSITORY_IDENTIFIER", "127.0.0.1")
    with pytest.raises(ImproperlyConfigured, match="domain name"):
        archive_settings._oai_repository_identifier()
    monkeypatch.delenv("ARCHIVE_OAI_REPOSITORY_IDENTIFIER")
    monkeypatch.setattr(archive_settings, "ALLOWED_HOSTS", ["localhost", "127.0.0.1", ".archive.example.org"])
    assert archive_settings._oai_repository_identifier() == "archive.example.org"
    monkeypatch.setattr(archive_settings, "ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
    assert archive_settings._oai_repository_identifier() == "localhost"
    monkeypatch.setenv("ARCHIVE_OAI_PAGE_SIZE", "0")
    with pytest.raises(ImproperlyConfigured, match="ARCHIVE_OAI_PAGE_SIZE must be between 1 and 1000"):
        archive_settings.env_int("ARCHIVE_OAI_PAGE_SIZE", 100, low=1, high=1000)


def test_a_later_page_walks_the_cursor_index_without_sorting(archive):
    """Each page costs the same however far into the list it is: an index range, no sort of the rest."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("reads SQLite's query plan")
    selection = records.Selection(None, datetime.now(UTC))
    first, _ = records.page(selection, after=None, size=2)
    with CaptureQueriesContext(connection) as queries:
        records.page(selection, after=first[-1].key, size=2)
    (page_sql,) = [q["sql"] for q in queries if "reports_report" in q["sql"] and "ORDER BY" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + page_sql)
        plan = " ".join(row[-1] for row in cursor.fetchall())
    assert "report_harvest_cursor_idx" in plan and "TEMP B-TREE" not in plan, plan


def test_the_deploy_check_says_when_oai_is_off(settings):
    from django.core.checks import run_checks

    def warnings():
        return [message.id for message in run_checks(include_deployment_checks=True) if message.id.startswith("archive.")]

    assert warnings() == []
    settings.ARCHIVE_OAI_ADMIN_EMAILS = []
    assert warnings() == ["archive.W001"]


_ODD_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from([
        "0001-01-01", "9999-12-31", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2021-02-29", "xn--",
        "association:xn--", "association:xn--a", "association::x", "year:0", "year:10000", "year:", "oai_dc",
        f"oai:{REPOSITORY}:report/0", f"oai:{REPOSITORY}:report/999999999999999999", "\ufffe", "xn--" + "a" * 2000,
    ]),
)


@hypothesis.settings(max_examples=200, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
@hypothesis.given(
    verb=st.sampled_from(sorted(VERBS)),
    arguments=st.dictionaries(
        st.sampled_from(["verb", "metadataPrefix", "from", "until", "set", "identifier", "resumptionToken", "other"]),
        st.lists(_ODD_VALUES, min_size=1, max_size=2), max_size=5,
    ),
)
def test_any_arguments_get_a_valid_answer_never_a_server_error(archive, client, verb, arguments):
    arguments.setdefault("verb", [verb])
    response = client.get("/oai/", arguments)
    assert response.status_code in (200, 400), (arguments, response.status_code)  # 400: a NUL, refused before the view
    if response.status_code == 200:
        assert_valid(response.content)
