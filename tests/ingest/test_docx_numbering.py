"""Word's automatic numbering reaches the text of a .docx (numbering.xml, counted as Word counts)."""

import io

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from reports.ingest import parse_bytes
from reports.ingest.extract.docx import docx_to_text
from reports.ingest.extract.docx_numbering import format_number
from tests.documents import make_numbered_docx

OFFICIAL = [
    (None, "四川省医院协会2021年度工作总结"),
    ("Heading 1", "继续做好新冠肺炎疫情防控工作"),
    (None, "协会认真贯彻落实疫情防控各项要求。"),
    ("Heading 2", "加强组织领导"),
    (2, "坚持党的领导"),
    (2, "加强能力建设"),
    (1, "服务会员单位"),
    (4, "要点不编号"),
    (0, "开展学术活动"),
    (3, "举办年会"),
    (0, "Strengthen the Society"),
]
OFFICIAL_TEXT = [
    "四川省医院协会2021年度工作总结",
    "一、继续做好新冠肺炎疫情防控工作",       # level 1 through the Heading 1 style, a tab after the label
    "协会认真贯彻落实疫情防控各项要求。",
    "（一）加强组织领导",                     # level 2 through the Heading 2 style
    "1.坚持党的领导",
    "2.加强能力建设",
    "（二）服务会员单位",                     # the count of level 2 goes on across its subitems
    "要点不编号",                            # bullets are not numbers
    "二、开展学术活动",                       # direct numbering and style numbering count together
    "（1）举办年会",
    "三、 Strengthen the Society",            # a space where the tab was, before Latin text
]


def test_chinese_heading_numbers_are_written_out_in_document_order():
    assert docx_to_text(make_numbered_docx(OFFICIAL), filename="总结.docx").split("\n\n") == OFFICIAL_TEXT


def test_numbered_headings_become_sections():
    report = parse_bytes(make_numbered_docx(OFFICIAL), filename="总结.docx")
    assert [(s.level, s.heading) for s in report.sections if s.heading][:5] == [
        (1, "一、继续做好新冠肺炎疫情防控工作"), (2, "（一）加强组织领导"), (3, "1.坚持党的领导"),
        (3, "2.加强能力建设"), (2, "（二）服务会员单位"),
    ]


def _document(abstracts: str, nums: str, paragraphs: list[tuple[str, int, str]]) -> bytes:
    document = docx.Document()
    root = document.part.numbering_part.element
    # Ids from 70 up: python-docx's template defines its own lists with the low ones.
    for element in reversed(list(parse_xml(f"<w:r {nsdecls('w')}>{abstracts}</w:r>"))):
        root.insert(0, element)
    for element in list(parse_xml(f"<w:r {nsdecls('w')}>{nums}</w:r>")):
        root.append(element)
    table = None
    for num_id, level, text in paragraphs:
        if text.startswith("|"):
            table = table or document.add_table(rows=1, cols=1)
            paragraph = table.cell(0, 0).add_paragraph(text[1:])
        else:
            paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().insert(0, parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _lvl(level: int, fmt: str, text: str, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:suff w:val="nothing"/>{extra}</w:lvl>')


def _lines(data: bytes) -> list[str]:
    return docx_to_text(data, filename="t.docx").split("\n\n")


def test_a_restarted_instance_counts_from_its_start_override_and_others_go_on():
    abstract = f'<w:abstractNum w:abstractNumId="77">{_lvl(0, "decimal", "%1.")}</w:abstractNum>'
    nums = ('<w:num w:numId="71"><w:abstractNumId w:val="77"/></w:num>'
            '<w:num w:numId="72"><w:abstractNumId w:val="77"/></w:num>'
            '<w:num w:numId="73"><w:abstractNumId w:val="77"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>')
    data = _document(abstract, nums, [(71, 0, "甲"), (71, 0, "乙"), (72, 0, "丙"), (73, 0, "丁"), (73, 0, "戊"), (0, 0, "不编号")])
    assert _lines(data) == ["1.甲", "2.乙", "3.丙", "1.丁", "2.戊", "不编号"]


def test_legal_numbering_restart_rules_and_table_cells():
    levels = (_lvl(0, "chineseCounting", "第%1章") + _lvl(1, "decimal", "%1.%2", "<w:isLgl/>")
              + _lvl(2, "decimal", "(%3)", '<w:lvlRestart w:val="0"/>'))
    abstract = f'<w:abstractNum w:abstractNumId="78">{levels}</w:abstractNum>'
    nums = '<w:num w:numId="74"><w:abstractNumId w:val="78"/></w:num>'
    data = _document(abstract, nums, [
        (74, 0, "总则"), (74, 1, "宗旨"), (74, 2, "甲项"), (74, 0, "会员"), (74, 1, "条件"), (74, 2, "乙项"), (74, 1, "|表中条款"),
    ])
    assert _lines(data) == ["第一章总则", "1.1宗旨", "(1)甲项", "第二章会员", "2.1条件", "(2)乙项", "2.2表中条款"]


def test_numbering_through_a_numbering_style_link():
    style_owner = f'<w:abstractNum w:abstractNumId="79">{_lvl(0, "chineseCounting", "%1、")}</w:abstractNum>'
    linked = '<w:abstractNum w:abstractNumId="80"><w:numStyleLink w:val="OfficialList"/></w:abstractNum>'
    nums = ('<w:num w:numId="75"><w:abstractNumId w:val="79"/></w:num>'
            '<w:num w:numId="76"><w:abstractNumId w:val="80"/></w:num>')
    document = docx.Document(io.BytesIO(_document(style_owner + linked, nums, [(76, 0, "总体情况"), (76, 0, "存在问题")])))
    document.styles.element.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="numbering" w:styleId="OfficialList"><w:name w:val="Official List"/>'
        '<w:pPr><w:numPr><w:numId w:val="75"/></w:numPr></w:pPr></w:style>'))
    buffer = io.BytesIO()
    document.save(buffer)
    assert _lines(buffer.getvalue()) == ["一、总体情况", "二、存在问题"]


@pytest.mark.parametrize("fmt, values", [
    ("chineseCounting", {1: "一", 10: "十", 11: "十一", 20: "二十", 21: "二十一", 100: "一百", 101: "一百零一", 110: "一百一十"}),
    ("chineseLegalSimplified", {1: "壹", 10: "壹拾", 12: "壹拾贰", 101: "壹佰零壹"}),
    ("ideographLegalTraditional", {2: "貳", 30: "參拾"}),
    ("ideographTraditional", {1: "甲", 10: "癸", 11: "11"}),
    ("ideographDigital", {10: "一〇", 2023: "二〇二三"}),
    ("upperRoman", {4: "IV", 14: "XIV"}),
    ("lowerLetter", {1: "a", 27: "aa"}),
    ("decimalEnclosedCircle", {1: "①", 20: "⑳", 21: "21"}),
    ("decimalFullWidth", {12: "１２"}),
    ("decimalZero", {3: "03"}),
    ("none", {3: ""}),
])
def test_number_formats(fmt, values):
    assert {value: format_number(value, fmt) for value in values} == values


@pytest.mark.parametrize("start", ["2147483647", "9" * 4299])
@pytest.mark.parametrize("fmt", ["lowerLetter", "decimal", "chineseCounting", "ideographDigital"])
def test_a_huge_start_value_gives_a_label_of_a_few_characters(fmt, start):
    # Letters repeat (y, zz, aaa...): 2147483647 in letters was a label of 82 million characters a paragraph.
    level = f'<w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1."/></w:lvl>'
    data = _document(f'<w:abstractNum w:abstractNumId="77">{level}</w:abstractNum>',
                     '<w:num w:numId="71"><w:abstractNumId w:val="77"/></w:num>', [(71, 0, "甲"), (71, 0, "乙")])
    first, second = _lines(data)
    assert first.endswith(".甲") and second.endswith(".乙") and len(first) <= 20 and len(second) <= 20


def test_letters_repeat_as_word_repeats_them_up_to_thirty_then_give_way_to_digits():
    assert [format_number(value, "lowerLetter") for value in (26, 52, 780, 781)] == ["z", "zz", "z" * 30, "781"]
