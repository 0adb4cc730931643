"""OFD (GB/T 33190): real packages from the test writer, read back in reading order into paragraphs."""

import io
import zipfile
from datetime import date

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.ingest import IngestError, parse_bytes
from reports.ingest.extract import Format, detect_format, extract_text
from reports.ingest.extract import ofd as ofd_module
from tests.ofd_writer import make_ofd

LONG = ("协会组织专家深入基层医院开展调研和培训，全年举办学术会议24场，培训医务人员1.2万人次，"
        "受到会员单位的普遍欢迎，有力推动了全省医院管理水平的提升。")
OFFICIAL = [
    ("letterhead", "四川省医院协会文件"),
    ("number", "川医协〔2022〕1号|签发人：张三"),
    ("rule", ""),
    ("title", "四川省医院协会2021年度工作总结"),
    ("heading", "一、加强协会自身建设"),
    ("body", "2021年，协会坚持以党建为引领。" + LONG * 3),
    ("heading", "二、服务会员单位"),
    *[("body", f"第{n}段。" + LONG * 2) for n in range(1, 7)],
    ("body", "The Medical Association of Chengdu Hi-tech Zone held 24 meetings in 2021."),
    ("signature", "四川省医院协会"),
    ("date", "2022年1月15日"),
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def official():
    return make_ofd(OFFICIAL, title="工作总结", author="四川省医院协会")


def test_the_package_is_laid_out_by_the_standard(official):
    package = zipfile.ZipFile(io.BytesIO(official))
    names = set(package.namelist())
    assert {"OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml", "Doc_0/Pages/Page_0/Content.xml"} <= names
    assert "Doc_0/Pages/Page_1/Content.xml" in names      # the text runs over two pages at least
    first_page = package.read("Doc_0/Pages/Page_0/Content.xml").decode()
    assert first_page.index(">—<") < first_page.index("四川省医院协会文件")   # the page number first: out of reading order
    assert 'DeltaX="g ' in first_page and first_page.count("<ofd:TextCode") > first_page.count("<ofd:TextObject")
    assert detect_format(official, filename="总结.ofd") is Format.OFD
    assert detect_format(official, filename="report.zip") is Format.OFD


def test_text_comes_in_reading_order_with_paragraphs_rebuilt_across_lines_and_pages(official):
    paragraphs = extract_text(official, filename="总结.ofd").split("\n\n")
    assert paragraphs[:5] == ["四川省医院协会文件", "川医协〔2022〕1号 签发人：张三", "四川省医院协会2021年度工作总结",
                              "一、加强协会自身建设", "2021年，协会坚持以党建为引领。" + LONG * 3]
    assert [f"第{n}段。" + LONG * 2 for n in range(1, 7)] == paragraphs[6:12]   # one of them is cut by the page break
    assert paragraphs[12] == "The Medical Association of Chengdu Hi-tech Zone held 24 meetings in 2021."
    assert paragraphs[-2:] == ["四川省医院协会", "2022年1月15日"]
    assert not any("—" in p for p in paragraphs)                                  # page numbers dropped


def test_an_ofd_official_document_gets_its_metadata(official):
    report = parse_bytes(official, filename="总结.ofd")
    assert report.title == "四川省医院协会2021年度工作总结"
    assert report.document_number == "川医协〔2022〕1号"
    assert report.association_name == "四川省医院协会"
    assert report.published == date(2022, 1, 15)
    assert report.year == 2021
    assert [s.heading for s in report.sections if s.heading] == ["一、加强协会自身建设", "二、服务会员单位"]


def _package(content: str, *, document_loc: str = "Doc_0/Document.xml", page_loc: str = "Pages/Page_0/Content.xml") -> bytes:
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("OFD.xml", f'<ofd:OFD {ns} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>{document_loc}</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        package.writestr("Doc_0/Document.xml", f'<ofd:Document {ns}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>'
                         f'</ofd:PageArea></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="{page_loc}"/></ofd:Pages></ofd:Document>')
        package.writestr("Doc_0/Pages/Page_0/Content.xml", f'<ofd:Page {ns}><ofd:Content><ofd:Layer ID="2">{content}</ofd:Layer></ofd:Content></ofd:Page>')
    return buffer.getvalue()


def test_runs_of_one_line_are_ordered_by_position_and_a_transformed_object_is_placed_by_its_ctm():
    content = (
        # Written right to left: "工作" after "年度", and a run placed by a CTM (scale 2, moved right).
        '<ofd:TextObject ID="3" Boundary="50 20 20 6" Font="1" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="5">总结</ofd:TextCode></ofd:TextObject>'
        '<ofd:TextObject ID="4" Boundary="30 20 30 6" Font="1" Size="5"><ofd:TextCode X="0" Y="5">年</ofd:TextCode>'
        '<ofd:TextCode DeltaX="5">度工</ofd:TextCode><ofd:TextCode>作</ofd:TextCode></ofd:TextObject>'
        '<ofd:TextObject ID="5" Boundary="0 20 30 6" Font="1" Size="2.5" CTM="2 0 0 2 10 0"><ofd:TextCode X="0" Y="2.5" DeltaX="g 3 2.5">2021</ofd:TextCode></ofd:TextObject>'
        '<ofd:TextObject ID="6" Boundary="30 40 100 6" Font="1" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="g 4 5">协会工作。</ofd:TextCode></ofd:TextObject>'
    )
    assert extract_text(_package(content), filename="x.ofd") == "2021年度工作总结\n\n协会工作。"


def test_locations_absolute_from_the_package_root_are_followed():
    content = '<ofd:TextObject ID="3" Boundary="30 20 100 6" Font="1" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="g 3 5">正文内容</ofd:TextCode></ofd:TextObject>'
    data = _package(content, document_loc="/Doc_0/Document.xml", page_loc="/Doc_0/Pages/Page_0/Content.xml")
    assert extract_text(data, filename="x.ofd") == "正文内容"


def test_an_ofd_of_images_only_is_refused_with_the_reason():
    with pytest.raises(IngestError, match="OFD document without text"):
        extract_text(_package('<ofd:ImageObject ID="3" Boundary="0 0 210 297" ResourceID="9"/>'), filename="scan.ofd")


def test_a_package_missing_a_part_is_refused():
    with pytest.raises(IngestError, match="without its part “Doc_0/Pages/Page_9/Content.xml”"):
        extract_text(_package("", page_loc="Pages/Page_9/Content.xml"), filename="broken.ofd")


def test_a_part_that_inflates_past_the_bound_is_refused_without_reading_it_whole(monkeypatch):
    monkeypatch.setattr(ofd_module, "MAX_PART_BYTES", 10_000)
    filler = "<ofd:PathObject ID='9' Boundary='0 0 1 1'/>" * 2000
    with pytest.raises(IngestError, match="inflates to more than"):
        extract_text(_package(filler), filename="bomb.ofd")


def test_entities_declared_in_a_part_are_never_expanded():
    # Neither internal entities (the "billion laughs") nor external ones (a file of the server's) are read.
    for declaration in (b'<!ENTITY lol "lollollollol">', b'<!ENTITY lol SYSTEM "file:///etc/passwd">'):
        content = '<ofd:TextObject ID="3" Boundary="30 20 100 6" Font="1" Size="5"><ofd:TextCode X="0" Y="5">&lol;正文</ofd:TextCode></ofd:TextObject>'
        data = _package(content).replace(b"<ofd:Page xmlns", b"<!DOCTYPE p [" + declaration + b"]><ofd:Page xmlns")
        with pytest.raises(IngestError, match="could not be read as an OFD document"):
            extract_text(data, filename="x.ofd")


def test_line_breaks_inside_a_text_code_are_spaces_not_a_failure():
    content = (
        '<ofd:TextObject ID="3" Boundary="30 20 100 6" Font="1" Size="5"><ofd:TextCode X="0" Y="5">第一行</ofd:TextCode></ofd:TextObject>'
        '<ofd:TextObject ID="4" Boundary="30 40 100 6" Font="1" Size="5"><ofd:TextCode X="0" Y="5">\n第二行\t在此\r\n</ofd:TextCode></ofd:TextObject>'
    )
    assert extract_text(_package(content), filename="x.ofd") == "第一行第二行 在此"


# Numbers as a damaged or hostile package may write them where coordinates, sizes and offsets go.
odd_number = st.sampled_from(["1e400", "-1e400", "1e308", "-1e308", "nan", "inf", "-5", "0", "1e-320", "abc", "", "g", "5 g"])
attribute = st.sampled_from(["X", "Y", "DeltaX", "DeltaY", "Size", "Boundary", "CTM"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(attribute, odd_number), min_size=1, max_size=4))
def test_any_number_in_a_text_object_reads_the_rest_or_refuses_the_file_clearly(odd):
    attributes = {"Boundary": "30 20 100 6", "Size": "5", "X": "0", "Y": "5", "DeltaX": "g 3 5"}
    for name, value in odd:
        attributes[name] = value if name not in ("Boundary", "CTM") else " ".join([value] * (4 if name == "Boundary" else 6))
    on_object = " ".join(f'{name}="{attributes[name]}"' for name in ("Boundary", "Size", "CTM") if name in attributes)
    on_code = " ".join(f'{name}="{attributes[name]}"' for name in ("X", "Y", "DeltaX", "DeltaY") if name in attributes)
    content = (
        f'<ofd:TextObject ID="3" Font="1" {on_object}><ofd:TextCode {on_code}>怪数</ofd:TextCode></ofd:TextObject>'
        '<ofd:TextObject ID="4" Boundary="30 40 100 6" Font="1" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="g 3 5">正文内容</ofd:TextCode></ofd:TextObject>'
    )
    try:
        text = extract_text(_package(content), filename="x.ofd")
    except IngestError:
        return
    assert "正文内容" in text
