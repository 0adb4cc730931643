"""BibTeX and RIS read back by their real parsers: bibtexparser (with its LaTeX decoding) and rispy."""

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from hypothesis import given
from hypothesis import strategies as st

from reports.interop import Name, cite
from reports.interop.bibtex import latex_text
from tests.interop.citable import SEEN, TITLES, make_record

AUTHORS = (Name("John Smith", family="Smith", given="John"), Name("葛珞"), Name("Ho & Partners {HK}", corporate=True))


def parsed_bibtex(text: str) -> dict:
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    (entry,) = library.entries
    return {"entry_type": entry.entry_type, "key": entry.key, **{field.key: field.value for field in entry.fields}}


@pytest.mark.parametrize("title", list(TITLES.values()), ids=list(TITLES))
def test_bibtex_reads_back_with_the_title_and_names_as_written(title):
    record = make_record(title=title, authors=AUTHORS, association="Medical Association of Chengdu & Co. 100%")
    entry = parsed_bibtex(cite(record, citation_format="bibtex", accessed=SEEN))
    assert entry["entry_type"] == "techreport" and entry["key"] == "report-7"
    assert entry["title"] == title
    assert entry["author"].split(" and ") == ["Smith, John", "葛珞", "Ho & Partners {HK}"]
    assert entry["institution"] == "Medical Association of Chengdu & Co. 100%"
    assert (entry["year"], entry["date"]) == ("2022", "2022-01-15")
    assert (entry["url"], entry["urldate"]) == ("https://archive.example/reports/7/", "2026-11-24")


def test_bibtex_protects_the_title_case_and_keeps_corporate_names_whole():
    text = cite(make_record(title=TITLES["english"]), citation_format="bibtex", accessed=SEEN)
    assert "\ttitle = {{Stay true to your original aspiration: the 2019 report of the Hi-tech Zone}},\n" in text
    assert "\tauthor = {{四川省医院协会}},\n" in text


@pytest.mark.parametrize(("language", "kind"), [("zh-Hans", "报告"), ("zh-Hant", "報告"), ("en", "Report")])
def test_bibtex_names_the_kind_of_report_so_styles_do_not_call_it_a_technical_report(language, kind):
    entry = parsed_bibtex(cite(make_record(language=language), citation_format="bibtex", accessed=SEEN))
    assert entry["type"] == kind


def test_the_document_number_is_the_report_number_in_bibtex_and_ris():
    record = make_record(number="川医协〔2022〕3号 #1_a")
    assert parsed_bibtex(cite(record, citation_format="bibtex", accessed=SEEN))["number"] == "川医协〔2022〕3号 #1_a"
    text = cite(record, citation_format="ris", accessed=SEEN)
    assert "\r\nSN  - 川医协〔2022〕3号 #1_a\r\n" in text   # where Zotero reads a report's number
    (entry,) = rispy.loads(text)
    assert entry["issn"] == "川医协〔2022〕3号 #1_a"   # rispy's name for SN


def test_an_undated_report_has_no_year_in_bibtex_or_ris():
    record = make_record(published=None)
    assert "year" not in parsed_bibtex(cite(record, citation_format="bibtex", accessed=SEEN))
    (ris,) = rispy.loads(cite(record, citation_format="ris", accessed=SEEN))
    assert "year" not in ris and "date" not in ris


@given(st.text(alphabet=st.sampled_from("医院黨建 Report{}%&\\$#_-~") | st.characters(categories=["Lo", "Lu", "Ll"]),
               min_size=1, max_size=40).filter(lambda text: text.strip()))
def test_any_title_of_letters_and_specials_reads_back_from_bibtex(title):
    title = " ".join(title.split())
    entry = parsed_bibtex(cite(make_record(title=title), citation_format="bibtex", accessed=SEEN))
    assert entry["title"] == title


def test_latex_text_escapes_what_latex_would_read_as_markup():
    assert latex_text("50% & {x} \\ 2019--2020 a_b #1 $2 ~ x^2") == (
        r"50\% \& \{x\} \textbackslash{} 2019-{}-2020 a\_b \#1 \$2 \textasciitilde{} x\textasciicircum{}2")


@pytest.mark.parametrize("title", list(TITLES.values()), ids=list(TITLES))
def test_ris_reads_back_with_the_title_and_names_as_written(title):
    record = make_record(title=title, authors=AUTHORS)
    text = cite(record, citation_format="ris", accessed=SEEN)
    assert text.startswith("TY  - RPRT\r\n") and text.endswith("ER  - \r\n")
    (entry,) = rispy.loads(text)
    assert entry == {
        "type_of_reference": "RPRT",
        "title": title,
        "authors": ["Smith, John", "葛珞", "Ho & Partners {HK}"],
        "publisher": "四川省医院协会",
        "year": "2022",
        "date": "2022/01/15/",
        "urls": ["https://archive.example/reports/7/"],
        "access_date": "2026/11/24/",
        "language": "zh-Hans",
    }


def test_a_line_break_in_a_value_cannot_start_a_ris_tag():
    text = cite(make_record(title="First line\r\nER  - \nTY  - JOUR"), citation_format="ris", accessed=SEEN)
    (entry,) = rispy.loads(text)
    assert entry["title"] == "First line ER - TY - JOUR"
