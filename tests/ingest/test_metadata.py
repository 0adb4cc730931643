from datetime import date

from reports.ingest import parse_bytes
from reports.ingest.metadata import detect_language, parse_date, parse_metadata_line, split_header


def test_chinese_metadata_line_with_several_fields():
    line = "发布日期:2021-06-30 14:06:16 来源:中华医学信息导报 作者:河北省医学会"
    assert parse_metadata_line(line) == {"published": "2021-06-30 14:06:16", "source": "中华医学信息导报", "authors": "河北省医学会"}


def test_english_metadata_line():
    assert parse_metadata_line("Author:党群服务与组织管理  Addtime:2020-01-16") == {"authors": "党群服务与组织管理", "published": "2020-01-16"}


def test_traditional_bulleted_metadata_and_byline():
    assert parse_metadata_line("- 發布時間:2023-11-04 13:47") == {"published": "2023-11-04 13:47"}
    assert parse_metadata_line("- 來源:北京支部生活") == {"source": "北京支部生活"}
    assert parse_metadata_line("文◎葛珞 林堅游 胡維雙") == {"authors": "葛珞 林堅游 胡維雙"}


def test_running_text_is_not_metadata():
    assert parse_metadata_line("河北省医学会成立于1962年,业务主管单位为河北省科学技术协会。") == {}
    assert parse_metadata_line("在具体工作中,作者:某某") == {}


def test_dates_in_every_common_form():
    assert parse_date("2021-06-30 14:06:16") == date(2021, 6, 30)
    assert parse_date("2021年6月30日") == date(2021, 6, 30)
    assert parse_date("2020/1/16") == date(2020, 1, 16)
    assert parse_date("2021-13-40") is None
    assert parse_date("") is None


def test_letterhead_is_not_the_title_and_a_repeated_title_is_dropped():
    header = split_header("\n\n四川省医院协会文件\n\n四川省医院协会 2021 年度工作总结\n\n正文。\n\n四川省医院协会 2021 年度工作总结\n\n更多正文。")
    assert header.letterhead == "四川省医院协会"
    assert header.title == "四川省医院协会 2021 年度工作总结"
    assert [line for line in header.body_lines if line] == ["正文。", "更多正文。"]


def test_language_detection():
    assert detect_language("河北省医学会成立于1962年,业务主管单位为河北省科学技术协会。") == "zh-Hans"
    assert detect_language("海淀區委堅持黨組織牽頭抓總,統籌區級部門力量和各類醫療機構資源。") == "zh-Hant"
    assert detect_language("Under the strong leadership of the Health Department. 党群服务") == "en"


def english_page(author_line: str) -> str:
    return (f"Annual work report of the Medical Association of Chengdu Hi-tech Zone\n{author_line}  Addtime:2020-01-16\n\n"
            "The Medical Association of the Hi-tech Zone has studied and implemented the spirit of the meeting. "
            "The following is the summary of work in 2019.\n")


def test_an_english_page_whose_author_is_in_chinese_characters_names_its_posting_account_not_an_author():
    # en.gxyxh.org writes the Chinese site's posting department there: 党群服务与组织管理, 质控.
    for account in ("党群服务与组织管理", "质控"):
        parsed = parse_bytes(english_page(f"Author:{account}").encode(), filename="report.txt")
        assert (parsed.language, parsed.authors, parsed.published) == ("en", "", date(2020, 1, 16))


def test_an_author_in_the_pages_own_letters_is_kept():
    assert parse_bytes(english_page("Author:Zeng Bin").encode(), filename="report.txt").authors == "Zeng Bin"
    chinese = "学会2021年工作总结\n作者:党群服务与组织管理\n\n学会全年开展学术交流活动，工作取得成效。\n"
    assert parse_bytes(chinese.encode(), filename="report.txt").authors == "党群服务与组织管理"
