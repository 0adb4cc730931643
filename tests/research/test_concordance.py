"""Keyword in context: every occurrence, counted as the index counts them, with its context."""

from urllib.parse import unquote

import pytest
from django.http import QueryDict

from reports.research import ResearchError, concordance, concordance_lines, search_filters, with_query
from reports.research.concordance import CONTEXT, Line, ShownLine, lines_of
from reports.search import SearchParams, parse_query, search
from reports.text import script_key
from tests.research.conftest import committed_archive

pytestmark = pytest.mark.django_db

LONG = "，".join(f"第{number}条医院党建工作" for number in range(40))


@pytest.fixture(scope="module", autouse=True)
def archive(django_db_setup, django_db_blocker, tmp_path_factory):
    with committed_archive(django_db_blocker, tmp_path_factory.mktemp("concordance") / "index", [
        ("甲报告", [("一、医院党建", "加强医院党建工作。医院\n党建分开写。"), ("二、其他", LONG)],
         {"association": "北京市医学会", "region": "华北", "year": 2019}),
        ("乙報告", [("", "醫院黨建與分級診療。醫院黨建創新。")],
         {"association": "臺北市醫學會", "language": "zh-Hant", "year": 2021}),
        ("丙报告", [("", "只有题目提到")], {"association": "天津市医学会", "region": "华北", "year": 2020}),
        ("English", [("1. Quality", "Quality control and quality\ncontrols; QUALITY CONTROL.")],
         {"association": "Chengdu Association", "language": "en", "year": 2021}),
    ]) as made:
        yield made


def params(query: str, url_filters: str = "") -> SearchParams:
    return with_query(search_filters(QueryDict(url_filters)), query)


def every_line(query: str, url_filters: str = "", sort: str = "report", per_page: int = 7):
    first = concordance(params=params(query, url_filters), sort=sort, page=1, per_page=per_page, sort_limit=1000)
    lines = []
    for number in range(1, first.page.paginator.num_pages + 1 if first.page else 1):
        lines += concordance(params=params(query, url_filters), sort=sort, page=number, per_page=per_page,
                             sort_limit=1000).lines
    return first, lines


@pytest.mark.parametrize("query", ["医院党建", "醫院黨建", "党建", "医", "医院 OR 分级诊疗", '"quality control"',
                                   "quality", "医院党建 -分级诊疗"])
@pytest.mark.parametrize("url_filters", ["", "region=华北", "from=2020", "language=zh-Hant"])
def test_count_is_every_occurrence_and_the_pages_hold_them_all(query, url_filters):
    result, lines = every_line(query, url_filters)
    assert result.count == len(lines)
    chosen = params(query, url_filters)
    assert result.report_count == search(chosen).report_count
    # Each match is one of the query's words, whatever its script or case.
    wanted = set(parse_query(query).patterns())
    assert {parse_query(f'"{line.line.match}"').patterns()[0] for line in lines} <= wanted


def test_every_occurrence_is_a_line_not_one_per_section():
    result, lines = every_line("医院党建")
    # 2 in the first section's heading and text, 1 across a line break that the index
    # does not join, 40 in the long section, 2 in the Traditional report.
    assert result.count == 2 + 40 + 2
    assert result.report_count == 2
    traditional = [line for line in lines if line.report.language == "zh-Hant"]
    assert [line.line.match for line in traditional] == ["醫院黨建", "醫院黨建"]


def test_lines_have_thirty_characters_of_context_in_the_original_script():
    line, *_ = lines_of(_sections("二、其他")[0], _patterns("医院党建"))
    # The heading is part of the section's text, as the index reads it.
    assert line.match == "医院党建" and line.left == "二、其他 第0条" and len(line.right) == CONTEXT
    traditional = lines_of(_sections("")[0], _patterns("医院党建"))
    assert traditional[1].left == "醫院黨建與分級診療。" and traditional[1].right == "創新。"


def test_white_space_is_folded_and_english_words_are_not_cut():
    lines = lines_of(_sections("1. Quality")[0], _patterns('"quality control"'))
    assert [line.match for line in lines] == ["Quality control", "quality controls", "QUALITY CONTROL"][:len(lines)]
    assert all("\n" not in line.left + line.match + line.right for line in lines)
    assert lines[0].left == "1. Quality " and not lines[0].right.endswith(" contr")


def test_sorting_by_context_puts_alike_contexts_together():
    _, by_right = every_line("医院党建", sort="right")
    # Compared in one script: 與 sorts as 与, and before 创 (創).
    keys = [script_key(line.line.right) for line in by_right]
    assert keys == sorted(keys) and by_right[0].line.right.startswith("與分級診療")
    _, by_left = every_line("医院党建", sort="left")
    keys = [script_key(line.line.left)[::-1] for line in by_left]
    assert keys == sorted(keys)
    ends = [line.line.left[-1:] for line in by_left]
    first = ends.index("条")
    assert ends[first:first + 40] == ["条"] * 40


def test_sorting_covers_the_first_occurrences_only_and_says_so(settings):
    settings.LANGUAGE_CODE = "en"
    result = concordance(params=params("医院党建"), sort="left", page=1, per_page=10, sort_limit=5)
    assert result.count == 44 and result.sorted_among == 5
    assert result.page.paginator.count == 5
    assert any("first 5 of 44" in notice for notice in result.notices)
    unsorted = concordance(params=params("医院党建"), sort="report", page=1, per_page=10, sort_limit=5)
    assert unsorted.sorted_among is None and unsorted.page.paginator.count == 44


def test_an_export_is_bounded():
    assert len(concordance_lines(params=params("医院党建"), sort="report", limit=10, sort_limit=5)) == 10
    assert len(concordance_lines(params=params("医院党建"), sort="right", limit=10, sort_limit=5)) == 5


def test_each_line_links_to_its_section_and_occurrence():
    result = concordance(params=params("醫院黨建"), sort="report", page=1, per_page=50, sort_limit=100)
    line = result.lines[0]
    assert line.url == f"/reports/{line.report.pk}/#{line.section.anchor}"
    assert line.place_url().startswith(line.url + ":~:text=")
    # The text the report page shows, in the reader's script: the match and a little of what follows.
    assert unquote(line.place_url()) == line.url + ":~:text=醫院黨建,-與分級診療。醫院"
    assert unquote(line.place_url("hans")) == line.url + ":~:text=医院党建,-与分级诊疗。医院"
    hyphenated = ShownLine(Line(1, 1, "a-b ", "c,d", " e&f"), line.report, line.section).place_url()
    assert hyphenated.endswith(":~:text=a%2Db-,c%2Cd,-e%26f")


@pytest.mark.parametrize("query,message", [("", "Type a word"), ("-医院", "cannot be searched"), ("***", "cannot be searched")])
def test_nothing_to_look_for_is_an_error(query, message, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ResearchError, match=message):
        concordance(params=params(query), sort="report", page=1, per_page=10, sort_limit=10)


def _sections(heading):
    from reports.models import Section

    return list(Section.objects.filter(heading=heading).order_by("pk"))


def _patterns(query):
    return parse_query(query).patterns()


def test_an_engine_that_does_not_count_occurrences_gets_them_counted_in_the_text(monkeypatch):
    # Elasticsearch's matches carry no counts; the sections' text is scanned instead.
    import dataclasses

    from haystack import connections

    backend = connections["default"].get_backend()
    counted = every_line("医院党建")[0].count
    original = backend.query_matches
    monkeypatch.setattr(backend, "query_matches",
                        lambda *args, **kwargs: dataclasses.replace(original(*args, **kwargs), occurrences=None))
    monkeypatch.setattr(backend, "remembered", lambda key, compute: compute())
    result, lines = every_line("医院党建")
    assert result.count == counted == len(lines)
