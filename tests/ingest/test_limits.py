"""Every parse limit refuses with its own reason, before the expensive work, and the defaults are the settings'.

The hostile files of issue 11 are made here small where the mechanism is what is
tested (a lower limit, the same code path); the end-to-end uploads through a
worker are in tests/processing/.
"""

import io
import struct
import zipfile

import pytest

from reports.ingest import IngestError, parse_bytes
from reports.ingest.limits import MB, SETTINGS, ParseLimits, parse_limits_from_settings
from tests.documents import make_docx, make_pdf

TITLE = "河北省医学会2021年工作总结"
PARAGRAPH = "河北省医学会认真贯彻落实党的方针政策，积极开展学术交流活动，取得了显著成绩。"


def refusal(data: bytes, filename: str, limits: ParseLimits = ParseLimits()) -> IngestError:
    with pytest.raises(IngestError) as raised:
        parse_bytes(data, filename=filename, limits=limits)
    assert str(raised.value).strip()          # a sentence for the command line
    return raised.value


def with_member(docx: bytes, name: str, data: bytes, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """The .docx with one more part, as a hostile file would carry it."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item.filename))
        archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return out.getvalue()


@pytest.fixture(scope="module")
def docx() -> bytes:
    return make_docx([("Title", TITLE), ("", PARAGRAPH)])


def test_the_defaults_are_the_settings_defaults(settings):
    assert parse_limits_from_settings() == ParseLimits()
    settings.ARCHIVE_MAX_PAGES = 7
    assert parse_limits_from_settings().pages == 7
    assert all(hasattr(settings, name) for name in SETTINGS.values())


def test_a_zip_bomb_is_refused_from_its_directory_without_inflating(docx):
    # The bomb: a 1 MB .docx whose image inflates to 1 GiB of zeros.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in zipfile.ZipFile(io.BytesIO(docx)).infolist():
            archive.writestr(item, zipfile.ZipFile(io.BytesIO(docx)).read(item.filename))
        with archive.open("word/media/image1.png", "w", force_zip64=True) as image:
            for _ in range(1024):
                image.write(bytes(MB))
    error = refusal(bomb.getvalue(), "bomb.docx")
    assert error.code == "zip_member_too_large" and error.params["member"] == "word/media/image1.png"


def test_a_part_that_inflates_a_thousandfold_is_refused_for_its_ratio(docx):
    error = refusal(with_member(docx, "word/media/zeros.bin", bytes(4 * MB)), "ratio.docx")
    assert error.code == "zip_ratio" and error.params["ratio"] == 100


def test_all_parts_together_are_limited_too(docx):
    import random

    noise = random.Random(11).randbytes(MB)     # does not compress: only the total can stop it
    data = with_member(with_member(docx, "word/media/a.bin", noise), "word/media/b.bin", noise)
    error = refusal(data, "total.docx", ParseLimits(zip_total_bytes=2 * MB, zip_member_bytes=2 * MB))
    assert error.code == "zip_too_large"
    assert parse_bytes(data, filename="total.docx").title == TITLE   # within the default limits


def test_a_zip_with_too_many_parts_is_refused(docx):
    assert refusal(docx, "many.docx", ParseLimits(zip_members=5)).code == "zip_too_many_members"


def test_sizes_the_directory_understates_are_counted_while_inflating(docx):
    from reports.ingest.extract.zipped import checked_zip

    data = bytearray(with_member(docx, "word/media/zeros.bin", bytes(3 * MB)))
    # Rewrite the part's central directory entry to claim 1 KB inflated.
    entry = bytes(data).rfind(b"word/media/zeros.bin") - 46
    assert data[entry:entry + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, entry + 24, 1024)
    with pytest.raises((IngestError, zipfile.BadZipFile)):
        checked_zip(bytes(data), filename="liar.docx", limits=ParseLimits(zip_ratio=100_000))
    # Read by the parser, it is a damaged document, not a report.
    refusal(bytes(data), "liar.docx", ParseLimits(zip_ratio=100_000))


def test_pages_are_counted_before_any_is_read():
    pdf = make_pdf([[f"第{n}页。{PARAGRAPH}"] for n in range(12)])
    error = refusal(pdf, "pages.pdf", ParseLimits(pages=10))
    assert error.code == "too_many_pages" and error.params["count"] >= 12


def test_characters_are_limited_in_any_format(docx):
    text = (TITLE + "\n\n" + PARAGRAPH * 100).encode("utf-8")
    limits = ParseLimits(characters=2000)
    assert refusal(text, "long.txt", limits).code == "too_many_characters"
    long_docx = make_docx([("Title", TITLE)] + [("", PARAGRAPH)] * 100)
    assert refusal(long_docx, "long.docx", limits).code == "too_many_characters"
    html = f"<html><body><h1>{TITLE}</h1>{('<p>' + PARAGRAPH + '</p>') * 100}</body></html>".encode()
    assert refusal(html, "long.html", limits).code == "too_many_characters"


def test_far_too_many_bytes_for_the_characters_are_refused_before_decoding(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("decoded a file that could only be over the limit")

    monkeypatch.setattr("reports.ingest.pipeline.decode", never)
    # More bytes than four for each character allowed: over the limit in any encoding.
    error = refusal(("字" * 3000).encode("utf-8"), "huge.txt", ParseLimits(characters=2000))
    assert error.code == "too_many_characters"


def test_thousands_of_headings_are_kept_as_text_with_a_warning():
    text = "\n\n".join([TITLE] + [f"第{n}行 内容" for n in range(5000)]).encode("utf-8")
    parsed = parse_bytes(text, filename="list.txt", limits=ParseLimits(sections=100))
    assert len(parsed.sections) == 1
    (warning,) = [w for w in parsed.warnings if w["kind"] == "sections"]
    assert warning["demoted"] == 4999 and warning["limit"] == 100
    assert "第4999行 内容" in parsed.body


def test_html_nested_past_the_depth_is_refused_at_once():
    # The 1.1 MB of nested <div>.
    page = ("<html><head><title>" + TITLE + "</title></head><body>" + "<div>" * 220_000 + PARAGRAPH).encode()
    assert refusal(page, "deep.html").code == "html_too_deep"
    shallow = ("<html><body><h1>" + TITLE + "</h1>" + "<div>" * 200 + "<p>" + PARAGRAPH + "</p></body></html>").encode()
    assert parse_bytes(shallow, filename="ok.html").title == TITLE


def test_html_with_too_many_elements_is_refused_before_it_is_all_built():
    page = ("<html><body><h1>" + TITLE + "</h1>" + "<p>" * 50_000 + "</body></html>").encode()
    assert refusal(page, "flood.html", ParseLimits(html_elements=10_000)).code == "html_too_many_elements"


def test_unclosed_paragraphs_are_siblings_as_in_a_browser():
    # Old pages leave <p> open; read as browsers read them, they do not nest at all.
    page = ("<html><body><h1>" + TITLE + "</h1>" + "<p>段落。" * 2000 + "</body></html>").encode()
    parsed = parse_bytes(page, filename="old.html", limits=ParseLimits(html_depth=20))
    assert parsed.body.count("段落。") == 2000


def test_an_opendocument_bomb_is_refused_before_libreoffice_is_started(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("LibreOffice was given a zip bomb")

    monkeypatch.setattr("reports.ingest.extract.odt.convert_to_text", never)
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("Pictures/zeros.png", bytes(8 * MB))
    assert refusal(odt.getvalue(), "bomb.odt").code == "zip_ratio"


def test_ofd_pages_are_counted_before_any_is_read(monkeypatch):
    from reports.ingest.extract import ofd as ofd_module
    from tests.ofd_writer import make_ofd

    package = make_ofd([("title", TITLE)] + [("body", PARAGRAPH * 3)] * 40)
    monkeypatch.setattr(ofd_module, "_runs", lambda element: pytest.fail("read a page of an OFD over the limit"))
    error = refusal(package, "pages.ofd", ParseLimits(pages=1))
    assert error.code == "too_many_pages" and error.params["count"] > 1


def test_tiff_pages_are_counted_before_any_is_read(monkeypatch):
    from PIL import Image

    monkeypatch.setattr("reports.ingest.extract.images.ocr_pages", lambda *a, **k: pytest.fail("read a page"))
    tiff = io.BytesIO()
    pages = [Image.new("L", (64, 64), 255) for _ in range(3)]
    pages[0].save(tiff, "TIFF", save_all=True, append_images=pages[1:])
    error = refusal(tiff.getvalue(), "fax.tiff", ParseLimits(pages=2))
    assert error.code == "too_many_pages" and error.params["count"] == 3


def test_a_page_of_too_many_pixels_is_refused_before_it_is_decoded(monkeypatch):
    from PIL import Image

    monkeypatch.setattr("reports.ingest.extract.images.ocr_pages", lambda frames, **k: list(frames))
    png = io.BytesIO()
    Image.new("L", (2000, 1000), 255).save(png, "PNG")
    error = refusal(png.getvalue(), "scan.png", ParseLimits(page_pixels=1_000_000))
    assert error.code == "page_too_large" and error.params["limit"] == 1


def test_every_refusal_has_a_message_in_chinese():
    from django.utils import translation

    refusals = [
        IngestError("too_many_characters", name="a.txt", limit=2_000_000),
        IngestError("zip_too_many_members", name="a.docx", members=20_000, limit=10_000),
        IngestError("zip_member_too_large", name="a.docx", member="word/media/image1.png", limit_mb=128),
        IngestError("zip_ratio", name="a.docx", member="word/media/image1.png", ratio=100),
        IngestError("zip_too_large", name="a.docx", limit_mb=256),
        IngestError("html_too_deep", name="a.html", limit=256),
        IngestError("html_too_many_elements", name="a.html", limit=200_000),
        IngestError("too_many_pages", name="a.pdf", count=5000, limit=1000),
    ]
    with translation.override("zh-hans"):
        for error in refusals:
            message = str(error)
            assert error.params["name"] in message and str(error.params.get("limit", "")) in message
            assert any("\u4e00" <= char <= "\u9fff" for char in message.replace(error.params["name"], "")), message


def test_the_warning_for_demoted_headings_is_translated():
    from django.utils import translation

    from reports.display import describe_warning

    text = "\n\n".join([TITLE] + [f"第{n}行 内容" for n in range(300)]).encode("utf-8")
    (warning,) = [w for w in parse_bytes(text, filename="list.txt", limits=ParseLimits(sections=100)).warnings
                  if w["kind"] == "sections"]
    assert warning["reason"] == "headings_demoted"
    with translation.override("zh-hans"):
        sentence = describe_warning(warning)
    assert "100" in sentence and "299" in sentence and "标题" in sentence


@pytest.mark.django_db
def test_the_settings_reach_parsing_in_the_capped_child_and_in_process(settings, tmp_path, own_search_index):
    from django.core.management import CommandError, call_command

    from reports.ingest import ingest_bytes
    from reports.processing.caps import parse_keywords

    settings.ARCHIVE_MAX_CHARACTERS = 1000
    assert parse_keywords()["limits"] == ParseLimits(characters=1000)
    long_text = (TITLE + "\n\n" + PARAGRAPH * 40).encode("utf-8")
    result = ingest_bytes(long_text, filename="long.txt")
    assert result.status == "failed" and "1000" in result.error
    (tmp_path / "long.txt").write_bytes(long_text)
    out = io.StringIO()
    with pytest.raises(CommandError):   # read in a capped child, and failed there
        call_command("ingest", str(tmp_path / "long.txt"), stdout=out, stderr=out)
    assert "1000" in out.getvalue() and "characters" in out.getvalue()


@pytest.mark.django_db
def test_a_name_of_ninety_chinese_characters_is_stored_cut_to_the_setting(settings, own_search_index):
    from reports.ingest import ingest_bytes

    name = "河北省医学会" * 15 + ".txt"                 # 274 bytes: OSError: File name too long, before
    report = ingest_bytes((TITLE + "\n\n" + PARAGRAPH).encode("utf-8"), filename=name).report
    assert report.source_name == name                 # shown whole; the file on disk is what must fit
    stored = report.original.name.rsplit("/", 1)[-1]
    assert stored.endswith(".txt") and len(stored.encode()) <= 255 and report.original.read().decode().startswith(TITLE)
    settings.ARCHIVE_MAX_NAME_BYTES = 143             # eCryptfs
    other = ingest_bytes((TITLE + "\n\n" + PARAGRAPH + "另一份。").encode("utf-8"), filename=name).report
    stored = other.original.name.rsplit("/", 1)[-1]
    assert other.source_name == name and stored.endswith(".txt") and len(stored.encode()) <= 143
