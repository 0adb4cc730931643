"""What the five seed reports must give (issue 2's table), through the real pipeline."""

import re
from datetime import date

import pytest

from reports.ingest import parse_bytes
from reports.ingest.clean import DAMAGE_MARK

EXPECTED = {
    "000": {
        "title": "历久弥坚 继承创新——以党建工作为引领,加强河北省医学会自身发展",
        "published": date(2021, 6, 30), "language": "zh-Hans", "association": "河北省医学会",
        "source": "中华医学信息导报", "region": "河北省",
    },
    "001": {
        "title": "党建引领 久久为功——天津市医学会党建工作纪实",
        "published": None, "language": "zh-Hans", "association": "天津市医学会", "region": "天津市",
    },
    "002": {
        "title": "Stay true to your original aspiration and forge ahead to boost the development of healthy "
                 "hi-tech industries and high-quality industries",
        "published": date(2020, 1, 16), "language": "en",
        "association": "Medical Association of Chengdu Hi-tech Zone", "year": 2019,
        # "Author:党群服务与组织管理": the Chinese site's posting department, not the author.
        "authors": "",
    },
    "003": {
        "title": "四川省医院协会 2021 年度工作总结",
        "published": None, "language": "zh-Hans", "association": "四川省医院协会", "year": 2021, "region": "四川省",
    },
    "004": {
        "title": "醫院黨建“創新合伙人”平臺助力健康海淀建設",
        "published": date(2023, 11, 4), "language": "zh-Hant", "association": "海淀區醫院黨建工作指導委員會",
        "source": "北京支部生活", "authors": "葛珞 林堅游 胡維雙",
    },
}

EXPECTED_HEADINGS = {
    "000": ["开展的主要工作", "(一)以党建工作为引领,不断加强自身建设,加强学会管理水平", "1.坚定不移坚持党的领导",
            "2.加强办事机构能力建设,提升学会科学管理水平", "3.专科分会规范健康发展", "(二)严格依法依规办会,学术交流活动蓬勃开展",
            "1.营造良好学术交流环境,建立规范财务管理的长效机制", "2.学术活动蓬勃开展", "(三)认真做好科技评价咨询服务工作,不断提升服务能级",
            "1.公平公正开展医学鉴定工作", "2.积极做好科技成果推荐", "3.做好诊疗指南、临床路径、防治建议制定等工作",
            "4.做好第三方调查评估工作", "5.组织医用设备使用人员业务能力考评工作", "6.做好专家推荐上报工作",
            "(四)立足社会责任,科技帮扶和科普活动有声有色", "1.开展主题日科普活动", "2.积极开展基层帮扶活动",
            "(五)脚踏实地,稳步推进健康扶贫活动", "(六)大力推进疫情防控工作", "思考", "(一)大浪淘沙,勇立潮头",
            "(二)逐步探索社团管理的有效途径,保证社团组织的良性运转", "(三)加强卫生协同发展,优化区域均衡布局",
            "(四)加强执行力,提升会员服务品质"],
    "001": ["围绕中心,服务大局", "开展精准扶贫,落实健康强国", "投身科学抗疫,形成战斗堡垒", "积极开展调研,做好参谋助手",
            "以人为本,强化服务", "创新形式,改进方法", "创新学习模式,理论联系实际", "以问题为导向,提升健康素养",
            "创新服务模式,提高服务水平", "领会内涵,积极进取", "强化书记履职培训,切实提高领导力", "强化日常考核,实行目标责任制",
            "强化责任意识,提高科普水平", "结语"],
    "002": ["1. Work summary of 2019", "(1) Strengthening Party governance with strict discipline and giving play to the party's leading role in party building and politics",
            "(2) Improving quality and creating quality products to serve innovation-driven development",
            "(3) To improve the level of management and serve medical science and technology workers",
            "(4) Integrate expert resources to serve the health quality of the whole people",
            "(5) To provide intellectual support and act as an assistant to the government in policy-making",
            "Ii. Analysis of main existing problems", "(1) There are difficulties in gaining support from social forces",
            "(2) There is still a big gap between the management and service of members",
            "(3) The construction of administrative offices needs to be further improved", "Iii. Work plan for 2020",
            "1. To strengthen the Party and promote the development of the Society", "2. Building organizations and expanding the ranks",
            "3. Grasping succession education and promoting skill improvement", "4. Promote healthy education in the community",
            "5. Focusing on scientific research and promoting discipline development",
            "6. Improve the quality control system and strengthen quality supervision", "7. To complete the work assigned by the ARSA"],
    "003": ["一、继续做好新冠肺炎疫情防控工作", "二、如期完成工作目标任务，业务学术活动丰富多彩", "三、深入调查研究，为卫生健康行政部门决策当好参谋。",
            "四、服务基层", "五、协会自身建设"],
    "004": ["聚合力 步調一致共謀發展", "搭平臺 探索互聯互通路徑", "求實效 深化融合發展模式"],
}

DEBRIS = ["smarty", "?>", "当前位置", "浏览次数", "Produced By", "(yī)", "(chuàng)", "发布日期", "Addtime", "發布時間"]
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


@pytest.fixture(scope="module")
def parsed():
    from tests.conftest import SEEDS_DIR

    return {path.name[:3]: parse_bytes(path.read_bytes(), filename=path.name) for path in SEEDS_DIR.glob("*.txt")}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_metadata(parsed, seed):
    report, expected = parsed[seed], EXPECTED[seed]
    assert report.title == expected["title"]
    assert report.published == expected["published"]
    assert report.language == expected["language"]
    assert report.association_name == expected["association"]
    for field in ("source", "authors", "year"):
        if field in expected:
            assert getattr(report, field) == expected[field]
    if "region" in expected:
        assert report.association_region == expected["region"]


@pytest.mark.parametrize("seed", sorted(EXPECTED_HEADINGS))
def test_seed_every_heading_found(parsed, seed):
    assert [s.heading for s in parsed[seed].sections if s.heading] == EXPECTED_HEADINGS[seed]


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_text_has_no_debris_pinyin_or_title_repeat(parsed, seed):
    report = parsed[seed]
    stored = [report.body] + [s.heading + "\n" + s.text for s in report.sections]
    for text in stored:
        for debris in DEBRIS:
            assert debris not in text
        if report.language != "en":
            assert not PINYIN.search(text)
    assert report.title not in report.body


def test_seed_sections_hold_the_whole_body(parsed):
    def letters(text):
        # A run-in heading loses the colon that joined it to its text; nothing else may go.
        return re.sub(r"[\s:：]", "", text)

    for report in parsed.values():
        assert letters("".join(s.heading + s.text for s in report.sections)) == letters(report.body)


def test_seed_004_lists_its_damaged_characters(parsed):
    report = parsed["004"]
    damaged = [w for w in report.warnings if w["kind"] == "damaged"]
    assert [w["original"] for w in damaged] == ["??漆t", "?。ㄘ?"]
    assert "??" not in report.body
    assert report.body.count(DAMAGE_MARK) == 2
    assert "6個" + DAMAGE_MARK + "聯體" in report.body


def test_only_seed_004_has_damage(parsed):
    for seed, report in parsed.items():
        has_damage = any(w["kind"] == "damaged" for w in report.warnings)
        assert has_damage == (seed == "004")


def test_page_breaks_and_spaced_numbers_are_repaired(parsed):
    assert "喜闻乐见" in parsed["003"].body
    assert "四川青年志愿者协会" in parsed["003"].body
    assert "开创崭新的局面。" in parsed["003"].body
    assert "专科分会76个" in parsed["000"].body
    assert "会员23095人" in parsed["000"].body
    assert "全年完成157期" in parsed["001"].body


def test_guessed_fields_are_recorded_as_guessed(parsed):
    guessed = {seed: {w["field"] for w in r.warnings if w["kind"] == "guessed"} for seed, r in parsed.items()}
    assert "year" in guessed["001"]          # no date, no year in the title
    assert "association" in guessed["004"]   # named only in the text
    assert "year" not in guessed["003"]      # the title says 2021
