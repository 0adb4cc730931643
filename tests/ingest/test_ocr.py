"""Scanned pages read by OCR, on real files drawn at test time (bench/scans.py) and read by Debian's Tesseract.

Each file is read once per module (OCR takes seconds a page); the tests check
what came of it. Error rates are checked with a margin over what
``bench/ocr.py`` measures, since a test must not fail on a change of a
character or two.
"""

import io

import pytest
from django.utils import translation
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from bench import scans
from reports.ingest import IngestError, parse_bytes
from reports.ingest.clean import DAMAGE_MARK
from reports.ingest.limits import ParseLimits
from reports.ingest.extract.ocr.layout import UNSURE_BELOW, chinese_punctuation, page_text
from reports.ingest.extract.ocr.tesseract import Word

# Body error rates the tests accept (bench/ocr.py measures well under these).
CLEAN_CER = 0.03
DEGRADED_CER = 0.05


def read_text(parsed) -> str:
    """What OCR read on the pages (before metadata takes the title, the document number... out of it)."""
    return "\n".join(page.text for page in parsed.scanned_pages)


def read(data: bytes, filename: str):
    calls = []
    parsed = parse_bytes(data, filename=filename, progress=lambda done, total: calls.append((done, total)))
    return parsed, calls


@pytest.fixture(scope="module")
def simplified_png():
    document = scans.one_page(scans.load_document("zh-hans"))
    (page,) = scans.render_pages(document)
    return document, *read(scans.png_bytes(page), "scan.png")


@pytest.fixture(scope="module")
def traditional_photo():
    document = scans.one_page(scans.load_document("zh-hant"))
    (page,) = scans.render_pages(document)
    return document, *read(scans.jpeg_bytes(scans.photographed(page)), "photo.jpg")


@pytest.fixture(scope="module")
def english_fax():
    document = scans.load_document("en")
    pages = [scans.fax(page) for page in scans.render_pages(document)]
    return document, *read(scans.tiff_bytes(pages), "fax.tiff")


# -- reading --------------------------------------------------------------------------------


def test_a_simplified_scan_reads_with_few_errors_and_becomes_sections(simplified_png):
    document, parsed, _calls = simplified_png
    assert parsed.language == "zh-Hans"
    assert scans.character_error_rate(scans.expected_text(document), read_text(parsed)) < CLEAN_CER
    assert any(section.heading.startswith("一、加强自身建设") for section in parsed.sections)


def test_the_red_letterhead_names_the_association_and_the_date_under_the_seal_is_read(simplified_png):
    _document, parsed, _calls = simplified_png
    assert parsed.association_name == "江苏省医院协会"
    # The seal is stamped over the signature and the date: red ink is taken out before reading.
    assert "2024年1月15日" in parsed.body
    assert "医协〔2024〕3号" in read_text(parsed)


def test_progress_is_told_page_by_page(simplified_png, english_fax):
    assert simplified_png[2] == [(1, 1)]
    assert english_fax[2] == [(1, 2), (2, 2)]


def test_a_scan_keeps_each_page_image_and_its_text(simplified_png, english_fax):
    (page,) = simplified_png[1].scanned_pages
    assert page.number == 1 and page.language == "zh-Hans" and page.text
    image = Image.open(io.BytesIO(page.image))
    assert image.format == "JPEG" and max(image.size) <= 1600 and image.size == (page.width, page.height)
    assert [p.number for p in english_fax[1].scanned_pages] == [1, 2]


def test_a_photographed_traditional_page_is_straightened_and_read_with_the_traditional_model(traditional_photo):
    document, parsed, _calls = traditional_photo
    (page,) = parsed.scanned_pages
    assert parsed.language == "zh-Hant" and page.language == "zh-Hant"
    assert abs(page.skew) >= 1.0
    assert scans.character_error_rate(scans.expected_text(document), read_text(parsed)) < DEGRADED_CER


def test_a_two_page_english_fax_reads_as_one_text_without_page_numbers_or_running_header(english_fax):
    document, parsed, _calls = english_fax
    assert parsed.language == "en"
    # The seal, black on a fax, hides much of the signature and the date under it.
    assert scans.character_error_rate(scans.expected_text(document), read_text(parsed)) < DEGRADED_CER
    assert "- 1 -" not in parsed.body and document.header not in parsed.body
    # The paragraph cut by the page break is one paragraph again.
    assert any(p.startswith("The Society submitted its views") and p.endswith("members of the public.")
               for s in parsed.sections for p in s.text.split("\n\n"))


def test_a_fax_keeps_its_letterhead_apart_known_by_its_place_and_size(english_fax):
    # No red is left on a fax: the letterhead is the first line, twice the text's size, over a rule.
    document, parsed, _calls = english_fax
    assert parsed.scanned_pages[0].letterhead == document.letterhead
    # The page's text opens with what follows the letterhead: the document number.
    assert parsed.scanned_pages[0].text.startswith(document.number)


def test_a_page_scanned_upside_down_is_turned_back():
    document = scans.one_page(scans.load_document("zh-hans"), paragraphs=2)
    (page,) = scans.render_pages(document)
    parsed = parse_bytes(scans.pdf_bytes([scans.rotated(page, 180)]), filename="upside-down.pdf")
    (scanned,) = parsed.scanned_pages
    assert scanned.rotated == 180
    assert "在省卫生健康委的业务指导" in parsed.body


def test_a_mixed_pdf_uses_the_text_layer_where_there_is_one_and_ocr_where_there_is_none():
    typed = "第一页是排版的文字，直接取自文本层，不经过文字识别。"
    document = scans.one_page(scans.load_document("zh-hans"), paragraphs=2)
    (scan,) = scans.render_pages(document)
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("STSong-Light", 14)
    pdf.drawString(72, 760, "江苏省医院协会工作报告")
    pdf.drawString(72, 720, typed)
    pdf.showPage()
    pdf.drawImage(canvas.ImageReader(scan), 0, 0, *A4)
    pdf.showPage()
    pdf.save()
    parsed, calls = read(buffer.getvalue(), "mixed.pdf")
    assert typed in parsed.body
    assert [page.number for page in parsed.scanned_pages] == [2]
    assert "在省卫生健康委的业务指导" in parsed.body
    assert calls == [(1, 2), (2, 2)]


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_a_blank_scan_is_refused_with_a_reason(english):
    blank = Image.new("L", (1654, 2339), 255)
    with pytest.raises(IngestError, match="No text could be read on the pages of “blank.png”"):
        parse_bytes(scans.png_bytes(blank), filename="blank.png")


def test_an_image_too_large_to_read_is_refused_before_its_pixels_are_decoded(english):
    # A few kilobytes of PNG that unpack to 10000 × 8000 pixels.
    huge = io.BytesIO()
    Image.new("1", (10000, 8000), 1).save(huge, "PNG")
    with pytest.raises(IngestError, match="over the limit of 60 million pixels"):
        parse_bytes(huge.getvalue(), filename="huge.png")


def test_the_page_pixel_limit_is_the_callers(english):
    page = scans.png_bytes(Image.new("L", (1200, 1000), 255))
    with pytest.raises(IngestError, match="Page 1 of “small.png” is 1200 × 1000 pixels, over the limit of 1 million pixels"):
        parse_bytes(page, filename="small.png", limits=ParseLimits(page_pixels=1_000_000))


def test_a_pdf_page_too_large_to_render_is_refused_before_it_is_drawn(english):
    # A poster of 100 × 100 inches with a small scan on it: drawn at 150 dpi it would be 225 million pixels.
    buffer = io.BytesIO()
    poster = canvas.Canvas(buffer, pagesize=(7200, 7200))
    poster.drawImage(canvas.ImageReader(Image.new("RGB", (300, 200), "white")), 72, 72, 300, 200)
    poster.showPage()
    poster.save()
    with pytest.raises(IngestError, match="Page 1 of “poster.pdf” is 15000 × 15000 pixels, over the limit of 60 million pixels"):
        parse_bytes(buffer.getvalue(), filename="poster.pdf")


def test_a_damaged_image_is_refused_with_a_reason(english):
    data = scans.png_bytes(Image.new("L", (200, 200), 255))
    with pytest.raises(IngestError, match="could not be read"):
        parse_bytes(data[: len(data) // 2], filename="cut.png")


# -- honesty: what the engine was unsure of -------------------------------------------------


def _word(text, confidence, left, line=1):
    return Word(text, confidence, left, 100 * line, 40, 40, block=1, paragraph=1, line=line)


def test_a_word_read_without_confidence_is_marked_as_damage_and_reported_with_its_page_and_place():
    words = [_word("协会", 95, 100), _word("全年", 12, 180), _word("召开", 96, 260)]
    page = page_text(words, page_height=2000, cjk=True)
    assert page.text == f"协会{DAMAGE_MARK}召开"
    (note,) = page.uncertain
    assert (note.guess, note.line) == ("全年", 1) and DAMAGE_MARK in note.context


def test_unsure_words_of_a_scan_become_uncertain_warnings_with_page_and_line(english_fax):
    # A fax keeps the seal in black over the signature: what the engine reads there is unsure.
    _document, parsed, _calls = english_fax
    warnings = [w for w in parsed.warnings if w["kind"] == "uncertain"]
    assert all(w["page"] in (1, 2) and w["line"] >= 1 and w["original"] for w in warnings)
    assert parsed.body.count(DAMAGE_MARK) >= len({(w["page"], w["line"], w["context"]) for w in warnings}) > 0
    # The marks OCR reported are not reported a second time as damage in the source.
    assert not [w for w in parsed.warnings if w["kind"] == "damaged"]


def test_a_number_tesseract_cut_in_two_is_one_number_in_chinese_text():
    words = [_word("省级项目6", 95, 100), _word("2", 96, 300), _word("项", 96, 340)]
    assert page_text(words, page_height=2000, cjk=True).text == "省级项目62项"


def test_confident_words_are_not_marked():
    words = [_word("协会", UNSURE_BELOW, 100), _word("全年", 99, 180)]
    assert page_text(words, page_height=2000, cjk=True).text == "协会全年"


@pytest.mark.parametrize(
    "read_as, printed",
    [
        ("港醫管會[2024]第7號", "港醫管會〔2024〕第7號"),
        ("苏医协〔[2024] 3号", "苏医协〔2024〕3号"),
        ("二0二三年度", "二〇二三年度"),
        ("各位會員:", "各位會員："),
        ("領導下,緊扣", "領導下，緊扣"),
        ("全年(含分会)", "全年（含分会）"),
        ("In 2023, we met (twice)", "In 2023, we met (twice)"),
        ("2024年1]月15日", "2024年1月15日"),
        ("2024年]月1|日", "2024年1月1日"),
        ("数组[1]月", "数组[1]月"),
        ("合格率达到97.5%6。", "合格率达到97.5%。"),
        ("增长5%，达到10%以上", "增长5%，达到10%以上"),
    ],
)
def test_half_width_look_alikes_in_chinese_text_become_the_marks_chinese_print_uses(read_as, printed):
    assert chinese_punctuation(read_as) == printed
