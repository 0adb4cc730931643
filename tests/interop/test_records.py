"""The record every citation is written from: names, the corporate author, the PDF link."""

from datetime import date

import pytest

from reports.interop import Name, cited_report, split_names
from tests.pages.conftest import make_association, make_report, media_root  # noqa: F401  (autouse fixture)


@pytest.mark.parametrize(("text", "names"), [
    ("", ()),
    ("葛珞 林堅游 胡維雙", (Name("葛珞"), Name("林堅游"), Name("胡維雙"))),
    ("张三、李四，王五", (Name("张三"), Name("李四"), Name("王五"))),
    ("欧阳修", (Name("欧阳修"),)),
    ("党群服务与组织管理", (Name("党群服务与组织管理", corporate=True),)),
    ("John Smith, Mary K. Jones", (Name("John Smith", family="Smith", given="John"),
                                   Name("Mary K. Jones", family="Jones", given="Mary K."))),
    ("Smith, John", (Name("Smith, John", family="Smith", given="John"),)),
    ("Smith, J.; Jones, M.", (Name("Smith, J.", family="Smith", given="J."),
                              Name("Jones, M.", family="Jones", given="M."))),
    ("John Smith and Mary Jones", (Name("John Smith", family="Smith", given="John"),
                                   Name("Mary Jones", family="Jones", given="Mary"))),
    ("Medical Association of Chengdu Hi-tech Zone",
     (Name("Medical Association of Chengdu Hi-tech Zone", corporate=True),)),
    ("Secretariat", (Name("Secretariat", corporate=True),)),
])
def test_author_field_is_split_into_names(text, names):
    assert split_names(text) == names


def test_inverted_name_is_family_first_only_where_the_parts_are_known():
    assert Name("John Smith", family="Smith", given="John").inverted == "Smith, John"
    assert Name("葛珞").inverted == "葛珞"


@pytest.mark.django_db
def test_the_association_is_the_author_when_the_report_names_nobody():
    report = make_report(make_association("天津市医学会"), authors="", published=None, year=2020)
    record = cited_report(report, site="https://archive.example")
    assert record.authors == (Name("天津市医学会", corporate=True),)
    assert record.authored_by_association
    assert record.url == f"https://archive.example/reports/{report.pk}/"
    # The year covered is not a publication date: none is invented.
    assert record.published is None and record.year_covered == 2020


@pytest.mark.django_db
def test_named_authors_are_kept_and_the_association_publishes():
    report = make_report(make_association("海淀區醫院黨建工作指導委員會"), authors="葛珞 林堅游",
                         published=date(2023, 11, 4), language="zh-Hant")
    record = cited_report(report, site="")
    assert [name.text for name in record.authors] == ["葛珞", "林堅游"]
    assert record.association == "海淀區醫院黨建工作指導委員會"
    assert not record.authored_by_association


@pytest.mark.django_db
@pytest.mark.parametrize(("source_name", "is_pdf"), [("report.pdf", True), ("REPORT.PDF", True),
                                                     ("report.txt", False), ("report.docx", False)])
def test_pdf_link_only_for_a_pdf_original(source_name, is_pdf):
    report = make_report(make_association(), source_name=source_name)
    record = cited_report(report, site="https://archive.example")
    expected = f"https://archive.example/reports/{report.pk}/original/" if is_pdf else ""
    assert record.pdf_url == expected
