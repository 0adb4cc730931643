"""Word 97-2003 .doc, WPS .wps, RTF and OpenDocument .odt: real files written by LibreOffice, read back.

LibreOffice reads .doc, .wps and .odt; RTF is read directly (see reports/ingest/extract/rtf.py for why).
Word's automatic numbering must reach the text in every one of them: it carries the headings.
"""

import io
import subprocess
import threading
import zipfile
from datetime import date

import pytest
from django.utils import translation

from reports.ingest import IngestError, parse_bytes
from reports.ingest.extract import Format, detect_format, extract_text
from reports.ingest.extract.libreoffice import convert_to_text
from reports.ingest.extract.rtf import rtf_to_text
from tests.documents import OFFICIAL_WORD_BLOCKS, OFFICIAL_WORD_HEADINGS, WPS_PROPERTIES, make_numbered_docx

FORMATS = {"doc": Format.DOC, "wps": Format.WPS, "rtf": Format.RTF, "odt": Format.ODT}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def parsed(word_files):
    """Each file through the whole parser once (LibreOffice takes seconds a file)."""
    return {kind: parse_bytes(data, filename=f"总结.{kind}") for kind, data in word_files.items()}


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_each_file_is_recognised_by_its_content(word_files, kind):
    assert detect_format(word_files[kind], filename=f"总结.{kind}") is FORMATS[kind]
    # Renamed, a .doc is still a .doc and an RTF still an RTF.
    if kind in ("doc", "rtf", "odt"):
        assert detect_format(word_files[kind], filename="report.txt") is FORMATS[kind]


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_official_document_metadata_and_numbered_headings_come_through(parsed, kind):
    report = parsed[kind]
    assert report.title == "四川省医院协会2021年度工作总结"
    assert report.document_number == "川医协〔2022〕1号"
    assert report.association_name == "四川省医院协会"
    assert report.published == date(2022, 1, 15)
    assert report.year == 2021
    assert [s.heading for s in report.sections if s.heading] == OFFICIAL_WORD_HEADINGS
    assert [s.level for s in report.sections if s.heading] == [1, 2, 1]


def test_every_format_gives_the_same_text_as_the_docx_it_was_written_from(parsed):
    reference = parse_bytes(make_numbered_docx(OFFICIAL_WORD_BLOCKS), filename="总结.docx")
    for kind, report in parsed.items():
        assert report.body == reference.body, kind


def test_the_wps_file_is_an_ole_word_file_carrying_wps_properties(word_files):
    data = word_files["wps"]
    assert data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert "WordDocument".encode("utf-16-le") in data
    for name, value in WPS_PROPERTIES.items():
        assert name.encode() in data and value.encode() in data


def test_a_wps_saved_by_wps_office_2023_as_a_package_is_read_as_docx():
    # WPS Office 12 may write its .wps as Office Open XML (seen in files in the wild).
    data = make_numbered_docx(OFFICIAL_WORD_BLOCKS, custom_properties=WPS_PROPERTIES)
    assert detect_format(data, filename="总结.wps") is Format.DOCX
    assert "一、加强协会自身建设" in extract_text(data, filename="总结.wps")


def test_rtf_is_read_without_libreoffice_keeping_the_labels_its_writer_drew(word_files):
    text = rtf_to_text(word_files["rtf"], filename="总结.rtf")
    assert "一、加强协会自身建设" in text.split("\n")
    assert "（一）完善内部管理制度" in text.split("\n")


def test_rtf_as_word_writes_it_gbk_bytes_unicode_fallbacks_fields_and_furniture():
    rtf = (
        rb"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 \'cb\'ce\'cc\'e5;}{\f1\fnil\fcharset0 Times;}}"
        rb"{\colortbl;\red255\green0\blue0;}{\*\generator Msftedit;}{\info{\title x}}"
        rb"{\header \pard\plain \f0 \'d2\'b3\'c3\'bc\par}"
        rb"\pard\plain\f0 \'cb\'c4\'b4\'a8\'ca\'a1\'d2\'bd\'d4\'ba\'d0\'ad\'bb\'e1\par"
        rb"{\listtext\pard\plain\f0 \'d2\'bb\'a1\'a2\tab}\pard\plain\f0 \'bc\'d3\'c7\'bf\'d7\'d4\'c9\'ed\'bd\'a8\'c9\'e8\par"
        rb"\uc1\pard\plain \u21327?\u20250?{\field{\*\fldinst HYPERLINK \"http://example.org\"}{\fldrslt \f1 link}}"
        rb"{\v hidden}\u-10179?\u-8704?\par"
        rb"\trowd\cellx1000\cellx2000\intbl \f0 \'cf\'ee\'c4\'bf\cell \f1 24\cell\row"
        rb"{\footnote \pard\plain \f0 \'d7\'a2\par}}"
    )
    assert rtf_to_text(rtf, filename="word.rtf").split("\n")[:4] == ["四川省医院协会", "一、加强自身建设", "协会link\U0001f600", "项目  24"]


def test_a_conversion_that_runs_past_its_time_limit_is_given_up_and_its_processes_killed(tmp_path):
    slow = tmp_path / "slow-soffice"
    # A stand-in for soffice that starts a child of its own, as oosplash starts soffice.bin.
    slow.write_text("#!/bin/sh\n(sleep 30) &\nsleep 30\n")
    slow.chmod(0o755)
    with pytest.raises(IngestError, match=r"LibreOffice took longer than 1 second to read “slow.doc”") as given_up:
        convert_to_text(b"\xd0\xcf\x11\xe0", filename="slow.doc", suffix=".doc", timeout=1, soffice=str(slow))
    assert given_up.value.not_the_file   # a time limit on this machine: the upload fails, to be read again
    # The launcher and the child it forked (both run the script) are gone.
    assert str(slow) not in subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout


def test_a_missing_libreoffice_is_named_in_the_message():
    with pytest.raises(IngestError, match="LibreOffice, which reads this kind of file, is not installed") as missing:
        convert_to_text(b"x", filename="a.doc", suffix=".doc", soffice="no-such-soffice")
    assert missing.value.code == "libreoffice_missing" and missing.value.not_the_file


def test_a_damaged_doc_is_refused_with_a_message(word_files):
    damaged = word_files["doc"][:2048] + b"\x00" * 4096
    with pytest.raises(IngestError, match="damaged|no text"):
        parse_bytes(damaged, filename="damaged.doc")


def test_two_conversions_at_once_do_not_share_a_profile(word_files):
    results = {}

    def read(kind):
        results[kind] = extract_text(word_files[kind], filename=f"a.{kind}")

    threads = [threading.Thread(target=read, args=(kind,)) for kind in ("doc", "odt")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "二、服务会员单位" in results["doc"].split("\n")
    assert "二、服务会员单位" in results["odt"].split("\n")


@pytest.mark.parametrize("data, name, message", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "Workbook".encode("utf-16-le"), "budget.xls", "not a text document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "report.doc", "not a text document"),
    ("正文".encode(), "report.doc", r"named .doc but is not a Word 97-2003 .doc file"),
    ("正文".encode(), "report.ofd", r"named .ofd but is not a OFD file"),
])
def test_what_is_not_a_word_processor_file_is_refused(data, name, message):
    with pytest.raises(IngestError, match=message):
        detect_format(data, filename=name)


def test_an_opendocument_spreadsheet_is_refused_as_a_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", "<x/>")
    with pytest.raises(IngestError, match="ZIP archive"):
        detect_format(buffer.getvalue(), filename="table.ods")


def test_html_and_rtf_saved_under_the_name_doc_are_read_as_what_they_are(word_files):
    assert detect_format(b"<html><body><p>x</p></body></html>", filename="web.doc") is Format.HTML
    assert detect_format(word_files["rtf"], filename="saved.doc") is Format.RTF
