"""Highwire Press tags and schema.org JSON-LD for a report page."""

import json
from datetime import date

from bs4 import BeautifulSoup

from reports.interop import Name, highwire_tags, json_ld, json_ld_script
from tests.interop.citable import make_record


def test_highwire_tags_describe_a_report_for_zotero_and_scholar():
    record = make_record(authors=(Name("John Smith", family="Smith", given="John"), Name("葛珞")),
                         pdf_url="https://archive.example/reports/7/original/")
    assert highwire_tags(record) == [
        ("citation_title", record.title),
        ("citation_author", "Smith, John"),
        ("citation_author", "葛珞"),
        ("citation_publication_date", "2022/01/15"),
        ("citation_technical_report_institution", "四川省医院协会"),
        ("citation_publisher", "四川省医院协会"),
        ("citation_language", "zh-Hans"),
        ("citation_fulltext_html_url", "https://archive.example/reports/7/"),
        ("citation_pdf_url", "https://archive.example/reports/7/original/"),
    ]


def test_the_document_number_is_the_report_number_for_zotero_and_in_json_ld():
    record = make_record(number="川医协〔2022〕3号")
    tags = highwire_tags(record)
    # Zotero's Embedded Metadata translator reads it into the report's number.
    assert ("citation_technical_report_number", "川医协〔2022〕3号") in tags
    assert json_ld(record)["reportNumber"] == "川医协〔2022〕3号"
    assert "citation_technical_report_number" not in dict(highwire_tags(make_record()))
    assert "reportNumber" not in json_ld(make_record())


def test_no_date_and_no_pdf_means_no_such_tags():
    names = [name for name, _ in highwire_tags(make_record(published=None))]
    assert "citation_publication_date" not in names and "citation_pdf_url" not in names


def test_json_ld_is_a_schema_org_report():
    data = json_ld(make_record(authors=(Name("葛珞"), Name("党群服务与组织管理", corporate=True))))
    assert data == {
        "@context": "https://schema.org",
        "@type": "Report",
        "@id": "https://archive.example/reports/7/",
        "url": "https://archive.example/reports/7/",
        "name": "四川省医院协会 2021 年度工作总结——以党建为引领",
        "headline": "四川省医院协会 2021 年度工作总结——以党建为引领",
        "author": [{"@type": "Person", "name": "葛珞"}, {"@type": "Organization", "name": "党群服务与组织管理"}],
        "publisher": {"@type": "Organization", "name": "四川省医院协会"},
        "inLanguage": "zh-Hans",
        "datePublished": "2022-01-15",
        "temporalCoverage": "2021",
    }


def test_a_title_cannot_break_out_of_the_json_ld_block():
    title = "</script><script>alert(1)</script><!-- & </SCRIPT >"
    data = json_ld(make_record(title=title, published=date(2022, 1, 15)))
    html = f"<html><head>{json_ld_script(data)}</head><body><p>after</p></body></html>"
    for parser in ("html.parser", "lxml"):
        soup = BeautifulSoup(html, parser)
        (block,) = soup.find_all("script")
        assert block["type"] == "application/ld+json"
        assert json.loads(block.string) == data
        assert json.loads(block.string)["name"] == title
        assert soup.body.p.string == "after"
    assert "<" not in str(json_ld_script(data))[len('<script type="application/ld+json">'):-len("</script>")]
