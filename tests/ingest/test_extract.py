"""reports.ingest.extract: HTML, .docx and PDF to text, format by content, refusals with reasons."""

import io
import re
import zipfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics

from django.utils import translation

from reports.ingest import IngestError
from reports.text import to_traditional
from reports.ingest.extract import Format, detect_format, extract_text
from tests.documents import MARGIN, PDF_FONT, make_docx, make_gif, make_html_page, make_image_pdf, make_pdf, wrap_paragraph

TITLE = "党建引领 久久为功——天津市医学会党建工作纪实"
PARAGRAPHS = ["党的十八大以来,社会组织发展进入了快车道,党建工作也提上重要日程。", "天津市医学会自2012年成立党组织以来,理事会领导集体认真思考。"]
CHROME = ["首页", "学会概况", "统计脚本", "广告", "侧栏链接", "分享到", "版权所有", "Produced By", "页尾脚本", "font-family", "欢迎访问"]


@pytest.fixture(autouse=True)
def english():
    # The messages are checked in the language they are written in (the site defaults to 简体).
    with translation.override("en"):
        yield


# -- plain text is left to the decoder -------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030"])
def test_plain_text_in_any_supported_encoding_is_left_to_the_decoder(seed_bytes, encoding):
    text = seed_bytes("001").decode("utf-8")
    assert extract_text(text.encode(encoding), filename="report.txt") is None


def test_big5_text_is_left_to_the_decoder():
    assert extract_text("醫院黨建平臺助力健康海淀建設\n\n海淀區委堅持黨組織牽頭抓總。".encode("big5"), filename="b.txt") is None


# -- HTML -------------------------------------------------------------------------------


def test_html_page_keeps_the_article_and_drops_navigation_scripts_and_footer():
    text = extract_text(make_html_page(TITLE, PARAGRAPHS), filename="page.html")
    assert text == "\n\n".join([TITLE, *PARAGRAPHS])
    for debris in CHROME + ["当前位置"]:
        assert debris not in text


@pytest.mark.parametrize("charset", ["gb2312", "gbk", "gb18030"])
def test_html_declared_gb_charsets_are_read_as_gb18030(charset):
    # 镕 is outside GB2312 but sites declaring gb2312 use it anyway (their server writes GBK).
    paragraphs = [*PARAGRAPHS, "朱镕基同志题词。"]
    text = extract_text(make_html_page(TITLE, paragraphs, charset="gb18030").replace(b"charset=gb18030", charset.encode()), filename="p.htm")
    assert text.endswith("朱镕基同志题词。")


def test_html_in_big5_is_decoded_by_its_declared_charset():
    title = "醫院黨建平臺助力健康海淀建設"
    page = make_html_page(title, ["海淀區委堅持黨組織牽頭抓總。"]).decode("utf-8").replace("©", "(c)")
    page = to_traditional(page).replace("charset=utf-8", "charset=big5")  # the site's chrome in Traditional too
    text = extract_text(page.encode("big5"), filename="page.html")
    assert text == f"{title}\n\n海淀區委堅持黨組織牽頭抓總。"


def test_html_bom_wins_over_a_wrong_declaration():
    page = make_html_page(TITLE, PARAGRAPHS).decode("utf-8").replace("charset=utf-8", "charset=gb2312")
    assert extract_text(page.encode("utf-16"), filename="page.html").startswith(TITLE)
    assert extract_text(b"\xef\xbb\xbf" + page.encode("utf-8"), filename="page.html").startswith(TITLE)


def test_html_in_utf8_that_still_declares_gb2312_is_read_as_utf8():
    page = make_html_page(TITLE, PARAGRAPHS).replace(b"charset=utf-8", b"charset=gb2312")
    assert extract_text(page, filename="resaved.html") == "\n\n".join([TITLE, *PARAGRAPHS])


def test_html_without_a_declared_charset_in_gb18030_is_still_read():
    page = make_html_page(TITLE, PARAGRAPHS, charset="gb18030").replace(b' http-equiv="Content-Type" content="text/html; charset=gb18030"', b"")
    assert b"charset" not in page
    assert extract_text(page, filename="old.html") == "\n\n".join([TITLE, *PARAGRAPHS])


def test_html_without_a_declared_charset_in_big5_is_told_from_gb18030():
    title, paragraph = "醫院黨建平臺助力健康海淀建設", "海淀區委堅持黨組織牽頭抓總,統籌區級部門力量和各類醫療機構資源。"
    page = f"<html><body><article><h1>{title}</h1><p>{paragraph}</p></article></body></html>"
    assert extract_text(page.encode("big5"), filename="old.htm") == f"{title}\n\n{paragraph}"


def test_html_is_recognised_by_content_whatever_its_name():
    assert detect_format(make_html_page(TITLE, PARAGRAPHS), filename="saved.txt") is Format.HTML


def test_html_source_line_breaks_inside_chinese_are_not_spaces_and_br_keeps_a_line():
    page = "<html><body><article><h1>标题</h1><p>喜闻\n      乐见 and\n words</p><p>第一行<br>第二行</p></article></body></html>"
    assert extract_text(page.encode(), filename="x.html") == "标题\n\n喜闻乐见 and words\n\n第一行\n第二行"


def test_html_without_a_heading_in_the_article_takes_the_title_from_the_title_tag():
    page = (
        "<html><head><title>四川省医院协会 2021 年度工作总结 - 四川省医院协会</title></head><body>"
        "<div id='nav'>首页 协会简介</div><div class='article-content'><p>2021 年,我们始终坚持学习。</p>"
        "<p>全年共计分享信息 300 余条次。</p></div><div class='footer'>版权所有</div></body></html>"
    )
    assert extract_text(page.encode(), filename="x.html") == "四川省医院协会 2021 年度工作总结\n\n2021 年,我们始终坚持学习。\n\n全年共计分享信息 300 余条次。"


def test_a_page_without_an_article_element_loses_its_header_and_footer_blocks_too():
    page = (
        "<html><body><div id='header'><div class='logo'>医学会网站</div>欢迎访问</div>"
        "<div class='menu'>首页 学会概况</div><h1>学会工作总结</h1><p>全年举办学术会议 12 场。</p>"
        "<div id='footer'>版权所有</div></body></html>"
    )
    assert extract_text(page.encode(), filename="x.html") == "学会工作总结\n\n全年举办学术会议 12 场。"


def test_an_article_header_block_keeps_the_title_and_date():
    page = (
        "<html><body><nav>首页</nav><article><div class='article-header'><h1>学会工作总结</h1>"
        "<p class='info'>发布日期:2021-06-30 来源:中华医学信息导报</p></div><p>正文。</p></article></body></html>"
    )
    assert extract_text(page.encode(), filename="x.html") == "学会工作总结\n\n发布日期:2021-06-30 来源:中华医学信息导报\n\n正文。"


# -- Word .docx -------------------------------------------------------------------------


def test_docx_paragraphs_and_headings_come_out_in_order_as_lines_of_their_own():
    data = make_docx([("Title", TITLE), ("", PARAGRAPHS[0]), ("Heading 1", "一、加强组织建设"), ("Heading 2", "聚合力"), ("", PARAGRAPHS[1])])
    text = extract_text(data, filename="report.docx")
    assert text == "\n\n".join([TITLE, PARAGRAPHS[0], "一、加强组织建设", "聚合力", PARAGRAPHS[1]])
    assert "页眉" not in text and "页脚" not in text


def test_docx_tables_give_one_line_per_row():
    import docx

    document = docx.Document()
    document.add_paragraph("表1 会员情况")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("单位", "人数"), ("医院", "120")]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    assert extract_text(buffer.getvalue(), filename="t.docx") == "表1 会员情况\n\n单位  人数\n\n医院  120"


def test_docx_is_recognised_by_content_whatever_its_name():
    assert detect_format(make_docx([("", "正文")]), filename="upload.bin") is Format.DOCX


# -- PDF --------------------------------------------------------------------------------

LONG = "2021 年 7 月、11 月,成都市郫都区和成华区出现散在病例,农村卫生分会积极协助省卫生健康委基卫处完成三级预检分诊流程图;承担了培训乡镇核酸样本采样人员;组织专班宣传,警醒城乡居民克服麻痹松劲情绪,编印了群众喜闻"


def test_pdf_lines_are_joined_into_paragraphs_and_pages_end_with_a_blank_line():
    data = make_pdf([["四川省医院协会 2021 年度工作总结", "一、继续做好新冠肺炎疫情防控工作", LONG], ["乐见,易记易懂抗疫顺口溜。", "二、如期完成工作目标任务"]])
    text = extract_text(data, filename="report.pdf")
    # The sentence cut by the page end stays cut by a blank line: the text cleaner mends it as for the seeds.
    assert text == "\n\n".join(["四川省医院协会 2021 年度工作总结", "一、继续做好新冠肺炎疫情防控工作", LONG, "乐见,易记易懂抗疫顺口溜。", "二、如期完成工作目标任务"])


def test_pdf_page_numbers_are_dropped():
    text = extract_text(make_pdf([["第一页的正文内容,足够长的一段文字。"], ["第二页的正文内容,足够长的一段文字。"]]), filename="p.pdf")
    assert "- 1 -" not in text and "- 2 -" not in text


def test_pdf_english_paragraphs_stay_apart_and_words_keep_their_spaces():
    first = "Under the strong leadership of the Health Department of the Social Affairs Bureau of Chengdu Hi-tech Zone, the Medical Association of the Hi-tech Zone has studied the spirit."
    second = "Our work has always been focused on the three major tasks."
    assert extract_text(make_pdf([[first, second]]), filename="en.pdf") == f"{first}\n\n{second}"


def test_a_year_alone_at_the_top_of_a_pdf_page_is_kept():
    text = extract_text(make_pdf([["2021", "四川省医院协会年度工作总结"]]), filename="cover.pdf")
    assert text == "2021\n\n四川省医院协会年度工作总结"


_CHARACTERS = st.sampled_from(list("医学会党建工作总结年度发展协会卫生健康委员单位组织开展活动") + ["，", "、", "“", "”", "2021", " 300 ", "（", "）"])
_PARAGRAPH = (
    st.lists(_CHARACTERS, min_size=4, max_size=120)
    .map(lambda pieces: "".join(pieces).strip())
    # Paragraphs as reports write them: they open with a character, not a closing mark or a number.
    .filter(lambda p: re.match(r"[\u4e00-\u9fff“（]", p) is not None and len(re.findall(r"[\u4e00-\u9fff]", p)) >= 2)
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PARAGRAPH, min_size=1, max_size=5))
# One-line paragraphs only: no step between lines is the body's leading (every one is a
# paragraph gap), and the widest line, though short of the margin, was taken for a full one.
@example(["医医医医", "医" * 36 + " 300 医", "医医医医"])
def test_pdf_paragraphs_of_any_length_come_back_as_they_were_typeset(paragraphs):
    text = extract_text(make_pdf([paragraphs]), filename="any.pdf")
    # Spaces at a line break cannot be told from none in Chinese type: compare without them.
    typeset = [re.sub(r"\s", "", p) for p in paragraphs]
    read = [re.sub(r"\s", "", p) for p in text.split("\n\n")]
    # A paragraph whose last line stops within a few characters of the margin cannot be
    # told from one that goes on by the characters of its lines (Latin digits and hanging
    # marks make a full line's width uncertain), so the reader joins it to the next:
    # joining two paragraphs loses nothing, a cut sentence would. Every other paragraph
    # comes back as it was typeset, and none is ever cut.
    following = iter(range(len(typeset)))
    for found in read:
        index = next(following)
        whole = typeset[index]
        while whole != found and _room_after_last_line(paragraphs[index]) < 5 and index + 1 < len(typeset):
            index = next(following)
            whole += typeset[index]
        assert whole == found
    assert next(following, None) is None


def _room_after_last_line(paragraph: str) -> float:
    """Room left after the paragraph's last line as typeset by make_pdf, in characters (ems)."""
    measure = A4[0] - 2 * MARGIN
    last = wrap_paragraph(paragraph, measure)[-1]
    return (measure - pdfmetrics.stringWidth(last, PDF_FONT, 11)) / 11


@pytest.mark.parametrize("length", [41, 44])
def test_a_paragraph_that_nearly_fills_its_last_line_is_joined_to_the_next_never_cut(length):
    # Within a few characters of the margin: taken for a full line (when in doubt, join).
    nearly_full = "医" * length
    assert _room_after_last_line(nearly_full) < 5
    text = extract_text(make_pdf([["医医医医", nearly_full, "医医医医"]]), filename="near.pdf")
    assert text.split("\n\n") == ["医医医医", nearly_full + "医医医医"]


def test_a_scanned_pdf_in_which_nothing_can_be_read_is_refused_with_the_reason():
    with pytest.raises(IngestError, match="No text could be read on the pages of “scan.pdf”"):
        extract_text(make_image_pdf(), filename="scan.pdf")


def test_a_pdf_is_recognised_by_content_whatever_its_name():
    assert detect_format(make_pdf([["正文"]]), filename="report.txt") is Format.PDF


# -- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf", b"\xff\xfe \x00\n\x00"])
def test_an_empty_file_is_refused(data):
    with pytest.raises(IngestError, match="“empty.txt” is empty"):
        extract_text(data, filename="empty.txt")


def test_an_image_we_do_not_read_is_refused_as_that_image_whatever_its_name():
    with pytest.raises(IngestError, match="GIF image, not a report we can read"):
        extract_text(make_gif(), filename="report.txt")


def test_binary_noise_is_refused_as_not_text():
    noise = bytes(range(256)) * 8
    with pytest.raises(IngestError, match="not text in any supported encoding"):
        extract_text(noise, filename="noise.txt")


def test_a_zip_that_is_not_a_word_file_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("report.txt", "正文")
    with pytest.raises(IngestError, match="ZIP archive"):
        extract_text(buffer.getvalue(), filename="reports.docx")


def test_a_text_file_named_pdf_is_refused():
    with pytest.raises(IngestError, match="named .pdf but is not a PDF"):
        extract_text("正文".encode(), filename="report.pdf")


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    with pytest.raises(IngestError, match=r"“big.txt” is 2.0 KB, over the limit of 1.0 KB"):
        extract_text(b"a" * 2048, filename="big.txt", max_bytes=1024)
