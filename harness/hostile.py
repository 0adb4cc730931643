"""The hostile uploads of issue 11, made by real tools in a few seconds: for the tests and bench/uploads.py.

Each row of the issue's table is one ``HostileFile``. The bombs are real files
of their format (python-docx writes the Word parts, reportlab the PDF), with
the one part that makes them hostile added the cheap way: the 1 GiB of zeros
inside the .docx is one deflate block compressed once and repeated (a full
flush makes the blocks independent), not 1 GiB pushed through zlib.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
MiB = 1024 * 1024


@dataclass(frozen=True)
class HostileFile:
    key: str            # a short name for test ids and bench rows
    name: str           # the file name it is uploaded under
    build: Callable[[], bytes]
    what: str           # the words for it


def seed_text(prefix: str = "000") -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_bytes().decode("utf-8-sig")


def _small_docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    document.add_heading("河北省医学会2021年工作总结", level=0)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_with_picture() -> bytes:
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(picture, format="PNG")
    document = docx.Document()
    document.add_heading("河北省医学会2021年工作总结", level=0)
    document.add_paragraph("本会全年开展学术活动。")
    document.add_picture(io.BytesIO(picture.getvalue()))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_with_inflating_image(inflated: int = 1024 * MiB) -> bytes:
    """A 1 MB .docx whose word/media/image1.png (a picture in the text) inflates to ``inflated`` bytes of zeros."""
    source = zipfile.ZipFile(io.BytesIO(_docx_with_picture()))
    (picture,) = [name for name in source.namelist() if name.startswith("word/media/")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            if item.filename != picture:
                archive.writestr(item, source.read(item.filename))
    chunk = 16 * MiB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = inflated // chunk
    data = block * count + compressor.flush()
    crc = 0
    zeros = bytes(chunk)
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    with zipfile.ZipFile(buffer, "a") as archive:
        info = zipfile.ZipInfo(picture, date_time=(2021, 6, 30, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size, info.compress_size, info.CRC = count * chunk, len(data), crc
        info.header_offset = archive.fp.tell()
        archive.fp.write(info.FileHeader(zip64=True))
        archive.fp.write(data)
        archive.start_dir = archive.fp.tell()
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info
        archive._didModify = True   # so close() writes the central directory with the new part
    return buffer.getvalue()


def text_with_many_lines(lines: int = 100_000) -> bytes:
    """A title line and ``lines`` lines "第{i}行 …": every line looks like a heading (2.8 MB)."""
    body = "\n".join(f"第{i}行 开展义诊活动。" for i in range(1, lines + 1))
    return ("河北省医学会2021年工作总结\n" + body).encode("utf-8")


def big_ordinary_text(size: int = int(19.9 * MiB)) -> bytes:
    """An ordinary report, its paragraphs repeated to ``size`` bytes (just under the 20 MB upload limit)."""
    text = seed_text("000")
    title, body = text.split("\n", 1)
    paragraphs = [line for line in body.splitlines() if line.strip()]
    out, total, i = [title], len(title.encode()), 0
    while total < size - 4096:
        line = f"{paragraphs[i % len(paragraphs)]}（{i}）"
        out.append(line)
        total += len(line.encode()) + 1
        i += 1
    return "\n".join(out).encode("utf-8")


def docx_with_paragraphs(count: int = 100_000) -> bytes:
    """A .docx of ``count`` short paragraphs (264 KB: the XML is written directly, python-docx would take a minute)."""
    base = io.BytesIO(_small_docx(["占位"]))
    paragraphs = "".join(f"<w:p><w:r><w:t>第{i}段</w:t></w:r></w:p>" for i in range(count))
    with zipfile.ZipFile(base) as source:
        document = source.read("word/document.xml").decode("utf-8")
        start = document.index("<w:body>") + len("<w:body>")
        document = document[:start] + paragraphs + document[start:]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = document.encode("utf-8") if item.filename == "word/document.xml" else source.read(item.filename)
                target.writestr(item, data)
    return out.getvalue()


def pdf_of_pages(pages: int = 5000) -> bytes:
    """A PDF of ``pages`` pages with a line of text each (reportlab)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=1)
    for page in range(1, pages + 1):
        pdf.drawString(72, 720, f"Annual work report of the association, part {page}.")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def nested_divs(size: int = int(1.1 * MiB)) -> bytes:
    """An HTML page whose body is ``<div>`` inside ``<div>``, 1.1 MB deep."""
    depth = size // 11
    return ("<html><head><title>河北省医学会工作总结</title></head><body>" + "<div>" * depth + "本会全年开展学术活动。"
            + "</div>" * depth + "</body></html>").encode("utf-8")


def many_paragraphs_html(size: int = int(7.4 * MiB)) -> bytes:
    """An HTML page of ``<p>`` paragraphs, 7.4 MB of them."""
    parts, total, i = ["<html><head><title>河北省医学会工作总结</title></head><body>"], 0, 0
    while total < size:
        part = f"<p>第{i}段 本会组织专家开展义诊活动。</p>"
        parts.append(part)
        total += len(part.encode())
        i += 1
    return ("".join(parts) + "</body></html>").encode("utf-8")


# A sentence only the long-named report has (the seed it is made from is in the archive already).
LONG_NAME_MARK = "本报告以九十个汉字的文件名上传，仍可检索。"


def long_name() -> str:
    """90 Chinese characters and .txt: 274 bytes in UTF-8, more than a file name may have."""
    return ("河北省医学会年度工作总结" * 8)[:90] + ".txt"


ROWS = [
    HostileFile("zip-bomb-docx", "inflating-image.docx", docx_with_inflating_image,
                "a 1 MB .docx whose word/media/image1.png inflates to 1 GiB of zeros"),
    HostileFile("100k-lines", "100000-lines.txt", text_with_many_lines,
                "a 2.8 MB .txt with a title line and 100,000 lines 第{i}行 …"),
    HostileFile("20mb-text", "19.9MB.txt", big_ordinary_text, "a 19.9 MB ordinary text"),
    HostileFile("100k-paragraphs-docx", "100000-paragraphs.docx", docx_with_paragraphs, "a 264 KB .docx with 100,000 paragraphs"),
    HostileFile("5000-pages-pdf", "5000-pages.pdf", pdf_of_pages, "a 788 KB PDF of 5,000 pages"),
    HostileFile("nested-divs", "nested-divs.html", nested_divs, "1.1 MB of nested <div>"),
    HostileFile("7mb-paragraphs", "paragraphs.html", many_paragraphs_html, "7.4 MB of <p>"),
    HostileFile("90-char-name", long_name(), lambda: (seed_text("001") + "\n\n" + LONG_NAME_MARK + "\n").encode("utf-8"),
                "a valid report named with 90 Chinese characters + .txt"),
]
