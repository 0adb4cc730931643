"""Related reports: alike in content across scripts, never the report itself, in step with the index."""

import pytest

from reports.research import RELATED_SHOWN, related_reports
from reports.search import SearchParams, search
from reports.text import to_traditional

pytestmark = pytest.mark.django_db

HEALTH = ("推进分级诊疗制度建设，完善医联体建设，加强基层医疗卫生机构能力建设。分级诊疗试点覆盖全省，"
          "医联体内双向转诊顺畅。基层首诊、双向转诊、急慢分治、上下联动的分级诊疗格局初步形成。")
PARTY = ("加强医院党建工作，落实党委领导下的院长负责制。医院党建与业务工作深度融合，党支部标准化建设全面推进。"
         "党员先锋模范作用充分发挥，医院党建品牌建设成效明显。")
OTHER = "学会组织学术会议十二场，开展继续教育项目三十项，出版学术期刊四期，会员人数稳步增长。"


def related(report, **options):
    return related_reports(report=report, limit=options.get("limit", RELATED_SHOWN), text_chars=50_000)


@pytest.fixture
def archive(indexed):
    return {
        "health": indexed("分级诊疗工作总结", [("一、分级诊疗", HEALTH), ("二、学会工作", OTHER)]),
        "health_hant": indexed("分級診療工作總結", [("", to_traditional(HEALTH))], language="zh-Hant",
                               association="臺北市醫學會"),
        "party": indexed("医院党建工作总结", [("", PARTY + OTHER)], association="天津市医学会"),
        "party_2": indexed("党建年报", [("", PARTY)], association="北京市医学会"),
        "other": indexed("学会年报", [("", OTHER * 2)], association="河北省医学会"),
    }


def test_the_same_text_in_the_other_script_is_the_most_alike(archive):
    found = related(archive["health"])
    assert found[0].report == archive["health_hant"]
    assert related(archive["health_hant"])[0].report == archive["health"]


def test_never_itself_and_alike_before_unalike(archive):
    found = [item.report for item in related(archive["party"])]
    assert archive["party"] not in found
    assert found[0] == archive["party_2"]
    assert archive["health_hant"] not in found   # shares nothing with it


def test_the_reason_is_shared_words_as_the_report_writes_them(archive):
    (first, *_) = related(archive["health_hant"])
    assert first.shared and all(word in to_traditional(HEALTH) for word in first.shared)
    assert any("分級診療" in word for word in first.shared)
    # Each word of the reason finds both reports in the search.
    for word in first.shared:
        found = {hit.report.pk for hit in search(SearchParams(q=f'"{word}"')).hits}
        assert {archive["health_hant"].pk, archive["health"].pk} <= found, word


def test_in_step_with_the_index_as_reports_come_and_go(archive, indexed, django_capture_on_commit_callbacks):
    twin = indexed("党建年报（副本）", [("", PARTY)], association="上海市医学会")
    assert twin in [item.report for item in related(archive["party_2"])]
    with django_capture_on_commit_callbacks(execute=True):
        twin.delete()
    assert twin.pk not in [item.report.pk for item in related(archive["party_2"])]


def test_at_most_the_limit_and_nothing_for_a_report_alone(archive, indexed):
    assert len(related(archive["party"], limit=1)) == 1
    english = indexed("Annual report", [("", "The society held conferences on rare diseases. " * 3)], language="en")
    assert related(english) == []


def test_only_the_first_characters_of_a_long_report_are_read(archive):
    from reports.research.related import _texts

    read = _texts(archive["health"], 40)
    assert sum(map(len, read)) == 40 and read[0].startswith("一、分级诊疗")


def test_reason_words_grow_as_far_as_both_reports_go_but_not_into_joining_characters():
    from reports.research.related import _folded_with_map, shared_words
    from reports.text import script_key

    source = [_folded_with_map("我們的分級診療工作取得了進展")]
    other = script_key("分级诊疗工作的进展")
    # 级诊 grows as far as both have it, in the report's own script, but not into 的;
    # 的分 is no word.
    assert shared_words(source, other, ("级诊", "的分"), limit=4) == ["分級診療工作"]
