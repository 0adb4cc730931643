"""Real files of every format the archive reads, made at test time.

Each builder returns the bytes a staff member would upload, written by the
same libraries that write such files in the wild (python-docx, reportlab,
Pillow), so the extractors are tested on real structure, not on fixtures
shaped to pass.
"""

import html
import io
import re

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

# reportlab's built-in CID font: Chinese with a real ToUnicode map, no font file needed.
PDF_FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))


def make_docx(blocks: list[tuple[str, str]]) -> bytes:
    """A .docx of (style, text) paragraphs: style is "Title", "Heading 1", "Heading 2" or "" for body text."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "页眉:不应出现在正文中"
    section.footer.paragraphs[0].text = "页脚:第 1 页"
    for style, text in blocks:
        if style == "Title":
            document.add_heading(text, level=0)
        elif style.startswith("Heading "):
            document.add_heading(text, level=int(style.split()[1]))
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# The numbering an official document's template defines (ECMA-376 17.9): 一、 then （一） then 1. then （1）,
# the first level followed by a tab as Word's numbering library sets it, the others by nothing.
OFFICIAL_NUMBERING = f"""<w:abstractNum {nsdecls("w")} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:pStyle w:val="Heading1"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/><w:pStyle w:val="Heading2"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%4）"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl>
</w:abstractNum>"""


def make_numbered_docx(blocks: list[tuple[int | str | None, str]], *, numbering: str = OFFICIAL_NUMBERING,
                       custom_properties: dict[str, str] | None = None) -> bytes:
    """A .docx whose numbers Word draws itself: each block is (how it is numbered, text).

    How: None for a plain paragraph; a level (0-4) of the list for direct numbering
    (``w:numPr`` on the paragraph); "Heading 1" or "Heading 2" for a heading style
    linked to the list (numbered through its style, as outline-numbered templates do).
    The text never carries the number. ``custom_properties`` go into
    ``docProps/custom.xml`` (WPS Office writes ``KSOProductBuildVer`` there).
    """
    document = docx.Document()
    root = document.part.numbering_part.element
    root.insert(0, parse_xml(numbering))
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for style_name, level in (("Heading 1", 0), ("Heading 2", 1)):
        properties = document.styles[style_name].element.get_or_add_pPr()
        properties.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    for how, text in blocks:
        if isinstance(how, str):
            document.add_paragraph(text, style=how)
            continue
        paragraph = document.add_paragraph(text)
        if how is not None:
            paragraph._p.get_or_add_pPr().insert(0, parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{how}"/><w:numId w:val="90"/></w:numPr>'))
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    return _with_custom_properties(data, custom_properties) if custom_properties else data


def _with_custom_properties(data: bytes, properties: dict[str, str]) -> bytes:
    """The package with a ``docProps/custom.xml`` part holding ``properties`` (OPC custom properties)."""
    import zipfile

    entries = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{html.escape(name)}">'
        f"<vt:lpwstr>{html.escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' + entries + "</Properties>")
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType='
                                          b'"application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
            elif item.filename == "_rels/.rels":
                content = content.replace(b"</Relationships>", b'<Relationship Id="rIdCustom" Type="http://schemas.'
                                          b'openxmlformats.org/officeDocument/2006/relationships/custom-properties" '
                                          b'Target="docProps/custom.xml"/></Relationships>')
            target.writestr(item, content)
        target.writestr("docProps/custom.xml", custom)
    return buffer.getvalue()


MARGIN = 50  # points, left and right alike, as a report is laid out


def make_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with a text layer: each page a list of paragraphs, wrapped at the margin as a typesetter would.

    Paragraphs are separated by a gap, and a paragraph may be cut by the page
    end: put its two halves at the end of one page and the start of the next.
    """
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    number = 0

    def new_page() -> float:
        nonlocal number
        if number:
            pdf.drawCentredString(A4[0] / 2, 30, f"- {number} -")  # a page number, as printed reports have
            pdf.showPage()
        number += 1
        pdf.setFont(PDF_FONT, 11)
        return A4[1] - 60

    for paragraphs in pages:
        y = new_page()
        for paragraph in paragraphs:
            for line in wrap_paragraph(paragraph, A4[0] - 2 * MARGIN):
                if y < 60:  # a long paragraph flows on to the next page, as in a typeset report
                    y = new_page()
                pdf.drawString(MARGIN, y, line)
                y -= 16
            y -= 10
    new_page()
    pdf.save()
    return buffer.getvalue()


def make_image_pdf() -> bytes:
    """A scanned page: a PDF holding one image and no text layer."""
    page = Image.new("RGB", (600, 800), "white")
    for x in range(100, 500):
        for y in (200, 240, 280):
            page.putpixel((x, y), (0, 0, 0))
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=72)
    return buffer.getvalue()


def make_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def make_gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, "GIF")
    return buffer.getvalue()


def make_html_page(title: str, paragraphs: list[str], *, charset: str = "utf-8") -> bytes:
    """A page as saved from a society's site: navigation, scripts, breadcrumb, share bar and footer around the article."""
    body = "\n".join(f"<p>\u3000\u3000{html.escape(p)}</p>" for p in paragraphs)
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(title)}_学会新闻_医学会网站</title>
<style>.nav {{ color: red }} body {{ font-family: "宋体" }}</style>
<script type="text/javascript">var tracker = "统计脚本不应出现"; document.write("广告");</script>
</head>
<body>
<div id="header" class="header"><img src="logo.png" alt="医学会"><span>欢迎访问医学会网站</span></div>
<nav class="nav"><ul><li><a href="/">首页</a></li><li><a href="/about">学会概况</a></li><li><a href="/news">学会新闻</a></li></ul></nav>
<div class="breadcrumb">当前位置:<a href="/">首页</a> &gt; <a href="/news">学会新闻</a> &gt; 正文</div>
<div class="main-wrap">
  <div class="sidebar"><h3>热点文章</h3><ul><li>侧栏链接不应出现</li></ul></div>
  <article>
    <h1>{html.escape(title)}</h1>
    {body}
  </article>
  <div class="share">分享到:微信 微博</div>
</div>
<footer><p>版权所有 © 医学会 备案号 Produced By 内容管理系统</p></footer>
<script>console.log("页尾脚本")</script>
</body>
</html>
"""
    return page.encode(charset)


def wrap_paragraph(paragraph: str, limit: float) -> list[str]:
    """Greedy line filling by the glyphs' real widths: Chinese breaks anywhere, Latin between words."""
    lines, line = [], ""
    for token in re.findall(r"[A-Za-z0-9'’\".,;:!?()%+/-]+\s*|\s+|.", paragraph):
        # Closing punctuation never starts a line: it hangs in the margin instead.
        if line and token not in "，。、；：！？）》」”" and pdfmetrics.stringWidth(line + token.rstrip(), PDF_FONT, 11) > limit:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return lines + [line.rstrip()] if line.strip() else lines


# The body of an official document's work summary: two numbered sections.
OFFICIAL_BODY = [
    "一、加强协会自身建设",
    "2021年，协会坚持以党建为引领，完善内部管理制度，召开理事会会议两次，新发展会员单位86家。",
    "二、服务会员单位",
    "协会组织专家深入基层医院开展调研和培训，全年举办学术会议24场，培训医务人员1.2万人次。",
]


def official_document_text(*, number: str = "川医协〔2022〕1号", signed: str = "2022年1月15日") -> str:
    """A 红头文件 as text: letterhead, document number and rule above the title, signature and date below."""
    return "\n".join([
        "四川省医院协会文件", "", f"{number}　　　　签发人：张三", "━━━━━━━━━━━━━━━━━━━━", "",
        "四川省医院协会2021年度工作总结", "", *OFFICIAL_BODY, "", "四川省医院协会", signed, "",
    ])


# The official document as a Word user keeps it: letterhead, number, title, headings numbered by
# Word itself (the text holds no 一、), signature and date.
OFFICIAL_WORD_BLOCKS = [
    (None, "四川省医院协会文件"),
    (None, "川医协〔2022〕1号"),
    (None, "四川省医院协会2021年度工作总结"),
    ("Heading 1", "加强协会自身建设"),
    (None, OFFICIAL_BODY[1]),
    ("Heading 2", "完善内部管理制度"),
    (None, "协会修订了财务管理、会议管理等制度十二项，规范了分支机构的管理。"),
    ("Heading 1", "服务会员单位"),
    (None, OFFICIAL_BODY[3]),
    (None, "四川省医院协会"),
    (None, "2022年1月15日"),
]
OFFICIAL_WORD_HEADINGS = ["一、加强协会自身建设", "（一）完善内部管理制度", "二、服务会员单位"]
# What WPS Office writes into every document's custom properties (its build, for the Chinese edition).
WPS_PROPERTIES = {"KSOProductBuildVer": "2052-11.1.0.11194"}


def word_processor_files() -> dict[str, bytes]:
    """The official document as .doc, .wps, .rtf and .odt, each written by LibreOffice from a numbered .docx.

    The .wps is what WPS Office 2019 saves: the Word 97 binary format in an OLE
    compound file, with WPS's build in its document properties.
    """
    from reports.ingest.extract.libreoffice import convert

    source = make_numbered_docx(OFFICIAL_WORD_BLOCKS)
    wps_source = make_numbered_docx(OFFICIAL_WORD_BLOCKS, custom_properties=WPS_PROPERTIES)
    return {
        "doc": convert(source, filename="source.docx", suffix=".docx", to="doc"),
        "wps": convert(wps_source, filename="source.docx", suffix=".docx", to="doc"),
        "rtf": convert(source, filename="source.docx", suffix=".docx", to="rtf"),
        "odt": convert(source, filename="source.docx", suffix=".docx", to="odt"),
    }
