"""The second model's opinion on unsure words, and heading numerals no model reads.

The rules are checked on words as Tesseract reports them; one scan drawn at
test time and read by Debian's Tesseract checks that they work on real pages.
"""

import pytest
from PIL import Image, ImageDraw

from bench import scans
from reports.ingest import parse_bytes
from reports.ingest.clean import DAMAGE_MARK
from reports.ingest.errors import IngestError
from reports.ingest.extract.ocr import _lost_lines_read_again, second, tesseract
from reports.ingest.extract.ocr.prepare import prepare
from reports.ingest.extract.ocr.layout import UNSURE_BELOW, page_text, restore_heading_numerals
from reports.ingest.extract.ocr.second import SURE_AT, placed, second_opinion, settled
from reports.ingest.extract.ocr.tesseract import Word
from reports.ingest.extract.ocr.vote import outvoted, vote


def _word(text, confidence, left, width=40, line=1):
    return Word(text, confidence, left, 100 * line, width, 40, block=1, paragraph=1, line=line)


# -- settling one unsure word ---------------------------------------------------------------


def test_a_sure_second_reading_replaces_an_unsure_word():
    word = _word("荃", 11, 100)
    assert settled(word, _word("卒", 81, 100)) == _word("卒", 81, 100)


def test_an_unsure_word_both_models_read_alike_is_kept_and_no_longer_marked():
    # The models draw the document number's brackets differently; the text is the same.
    word = _word("[2025】〕", 8, 100, width=124)
    kept = settled(word, _word("[2025]", 0, 100, width=124))
    assert kept.text == "[2025】〕" and kept.confidence == UNSURE_BELOW


def test_an_unsure_word_the_third_model_reads_alike_is_kept_and_no_longer_marked():
    word = _word("敬", 12, 100)
    kept = settled(word, _word("數", 30, 100), _word("敬", 40, 100))
    assert kept.text == "敬" and kept.confidence == UNSURE_BELOW


def test_on_a_traditional_page_a_simplified_reading_vouches_only_for_its_own_traditional_form():
    # 複雜 printed, 復雜 read unsure: the Simplified model's 复杂 is 複雜 in Traditional, not 復雜.
    # (second_opinion converts the third reading into the page's script before settling.)
    word = _word("復雜", 5, 100, width=80)
    assert settled(word, _word("複雜", 40, 100, width=80), _word("複雜", 90, 100, width=80)) is word


def test_a_sure_reading_of_part_of_a_word_does_not_replace_it():
    word = _word("医疗机构", 5, 100, width=160)
    reading = placed([word], [_word("医疗机", 80, 100, width=120)])[0]
    assert settled(word, reading) is word


def test_an_unsure_word_the_models_read_differently_stays_unsure():
    word = _word("銳", 0, 100)
    assert settled(word, _word("繼", 0, 100)) is word
    assert settled(word, _word("繼", SURE_AT - 1, 100)) is word


def test_an_unsure_word_with_no_second_reading_of_its_place_stays_unsure():
    word = _word("够", 1, 100)
    assert settled(word, None) is word


# -- placing the second reading's words ------------------------------------------------------


def test_a_second_reading_belongs_to_the_word_whose_place_it_reads():
    words = [_word("《医院", 18, 928, width=150), _word("管理", 95, 1056, width=46), _word("案例", 95, 1144, width=85)]
    others = [_word("《", 93, 928, width=19), _word("医", 91, 965, width=26), _word("院", 93, 1011, width=24),
              _word("管", 93, 1056, width=23), _word("理", 92, 1102, width=22), _word("案例", 83, 1144, width=85)]
    # The first word's box overlaps its neighbours' (Tesseract's boxes may): it takes only its own.
    assert placed(words, others)[0].text == "《医院"


def test_a_second_reading_that_covers_only_part_of_the_word_is_no_reading():
    words = [_word("服務", 3, 100, width=80)]
    assert placed(words, [_word(",", 77, 150, width=8)]) == [None]


def test_the_next_character_the_second_model_read_is_not_taken_into_the_unsure_word():
    # 卒 read unsure; the second model read 卒 and the next character, 中, as its own words.
    words = [_word("卒", 0, 770, width=44), _word("中", 96, 814, width=30)]
    others = [_word("卒", 81, 770, width=40), _word("中", 96, 812, width=30)]
    assert [p.text for p in placed(words, others)] == ["卒", "中"]


def test_without_the_second_model_installed_the_words_are_as_read(monkeypatch):
    monkeypatch.setattr(second, "installed_models", lambda: frozenset({"chi_sim", "chi_tra", "eng"}))
    words = [_word("荃", 11, 100)]
    assert second_opinion(None, words, language="zh-Hans") is words


def test_a_page_is_as_the_first_model_read_it_when_another_model_fails(monkeypatch):
    monkeypatch.setattr(second, "installed_models", lambda: frozenset({"chi_sim", "chi_tra", "HanS", "HanT"}))

    def failing(image, *, model, psm=6):
        raise IngestError("ocr_timeout", seconds=120)
    monkeypatch.setattr(second.tesseract, "read_words", failing)
    words = [_word("卒", 11, 100)]
    assert second_opinion(Image.new("L", (10, 10), 255), words, language="zh-Hans") == words


def test_english_pages_are_read_by_one_model(monkeypatch):
    # Debian has no second English model that reads these pages differently (Latin: measured, no change).
    def no_reading(*args, **kwargs):
        raise AssertionError("read a second time")
    monkeypatch.setattr(second.tesseract, "read_words", no_reading)
    unsure = [_word("Cornmittee", 5, 100)]
    assert second_opinion(None, unsure, language="en") is unsure


# -- two readings against one ----------------------------------------------------------------


def _voted(first, second, third):
    return "".join(vote(first, second, third))


def test_a_character_the_other_two_models_read_alike_replaces_the_first_ones():
    # The third model reads Simplified: the readings are compared in Simplified.
    assert _voted("提升用爍安全", "提升用藥安全", "提升用药安全") == "提升用藥安全"


def test_a_mark_the_first_model_left_out_is_put_in_where_the_other_two_read_it():
    assert _voted("針對藥品短缺問題調查", "針對藥品短缺問題,調查", "针对药品短缺问题，调查") == "針對藥品短缺問題,調查"


def test_a_stray_mark_the_other_two_did_not_read_is_taken_out():
    assert _voted("开展|临床药师", "开展临床药师", "開展臨床藥師") == "开展临床药师"


def test_a_figure_or_letter_only_the_first_model_read_is_not_taken_out():
    # The number shown as clean text must not change because two models missed a figure alike.
    assert _voted("全年1860家", "全年180家", "全年180家") == "全年1860家"
    assert _voted("办结率95.2%", "办结率95.", "办结率95.") == "办结率95.2%"
    assert _voted("开展I临床", "开展临床", "開展臨床") == "开展I临床"


def test_a_line_another_model_read_nothing_of_is_left_as_read():
    words = [_word("12", 95, 100)]
    assert outvoted(words, [], []) == words
    assert outvoted(words, [_word("1", 95, 100)], []) == words


def test_a_mark_put_in_goes_with_the_word_before_it():
    words = [_word("WHO", 95, 100, width=80), _word("and", 95, 200, width=60)]
    seconds = [_word("WHO,", 95, 100, width=88), _word("and", 95, 200, width=60)]
    thirds = [_word("WHO,", 90, 100, width=88), _word("and", 95, 200, width=60)]
    assert [w.text for w in outvoted(words, seconds, thirds)] == ["WHO,", "and"]


def test_an_unsure_stray_mark_the_vote_takes_out_leaves_no_mark():
    words = [_word("开展", 95, 100, width=80), _word("|", 5, 182, width=10), _word("临床药师", 95, 196, width=160)]
    seconds = [_word("开展", 95, 100, width=80), _word("临床药师", 95, 196, width=160)]
    thirds = [_word("開展臨床藥師", 90, 100, width=256)]
    page = page_text(outvoted(words, seconds, thirds), page_height=2000, cjk=True)
    assert page.text == "开展临床药师" and page.uncertain == []


def test_a_character_the_other_two_cannot_see_is_not_dropped():
    # Neither script model reads a bold sans 四; the first one did.
    assert _voted("四、來年工作重點", "、來年工作重點", "、来年工作重点") == "四、來年工作重點"


def test_where_the_other_two_differ_from_each_other_the_first_reading_stands():
    assert _voted("服務質素真獻", "服務質素頁獻", "服务质素贡献") == "服務質素真獻"


def test_a_line_cut_differently_by_another_model_puts_nothing_in():
    assert _voted("問題", "問題調查全國", "问题调查全国") == "問題"


def test_the_voted_line_goes_back_into_its_words():
    words = [_word("問題", 95, 100, width=80), _word("調查", 95, 180, width=80)]
    seconds = [_word("問題", 95, 100, width=80), _word(",", 90, 178, width=8), _word("調查", 95, 190, width=70)]
    thirds = [_word("问题，调查", 90, 100, width=160)]
    voted = outvoted(words, seconds, thirds)
    assert [w.text for w in voted] == ["問題,", "調查"]
    assert page_text(voted, page_height=2000, cjk=True).text == "問題，調查"
    assert outvoted(words, words, thirds) == words


# -- heading numerals no model reads ------------------------------------------------------


def test_a_heading_read_without_its_numeral_is_numbered_on_from_the_heading_before_it():
    pages = [["一、会员服务", "正文。", "三、社会参与", "正文。"], ["正文。", "、来年工作重点", "正文。"]]
    assert restore_heading_numerals(pages)[1][1] == "四、来年工作重点"


def test_a_sentence_read_as_opening_with_the_enumeration_comma_is_not_numbered_as_a_heading():
    pages = [["三、社会参与", "、完成会员登记，共计八十六名。"]]
    assert restore_heading_numerals(pages) == pages


def test_a_lost_numeral_with_no_numbered_heading_before_it_is_left_as_read():
    assert restore_heading_numerals([["（一）会员服务", "、来年工作重点"]]) == [["（一）会员服务", "、来年工作重点"]]


def test_a_line_read_as_opening_with_the_enumeration_comma_starts_its_own_paragraph():
    words = [_word("全年服务市民一千六百余人次。", 95, 100, width=600), _word("、来年工作重点", 95, 100, width=300, line=2)]
    assert page_text(words, page_height=2000, cjk=True).paragraphs == ["全年服务市民一千六百余人次。", "、来年工作重点"]


# -- on a real scan ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def macao_pdf():
    # Text drawn on which Debian's chi_tra model reads the document number unsure, and loses
    # the bold 四 of the last heading.
    document = scans.load_document("zh-hant-macao")
    return document, parse_bytes(scans.pdf_bytes(scans.render_pages(document), quality=90), filename="scan.pdf")


def test_a_word_the_second_model_reads_alike_is_not_marked_on_a_real_scan(macao_pdf):
    document, parsed = macao_pdf
    first = parsed.scanned_pages[0].text
    assert first.startswith(document.number) and DAMAGE_MARK not in first.split("\n\n")[0]


def test_a_heading_numeral_no_model_reads_is_restored_on_a_real_scan(macao_pdf):
    _document, parsed = macao_pdf
    assert "四、來年工作重點" in [section.heading for section in parsed.sections]


def test_lost_bands_of_print_cost_one_more_reading_however_many_there_are(monkeypatch):
    # A form of dotted rows: a hundred bands of ink, none of them words.
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    draw.text((150, 60), "text", fill=0)
    for row in range(100):
        for x in range(150, 1000, 14):
            draw.ellipse((x, 140 + row * 20, x + 5, 145 + row * 20), fill=0)
    page = prepare(image)
    calls = []
    monkeypatch.setattr(tesseract, "read_words", lambda image, **kwargs: calls.append(kwargs) or [])
    words = [Word("text", 95, 150, 60, 40, 12, block=1, paragraph=1, line=1)]
    assert _lost_lines_read_again(page, words, model="chi_sim") == words
    assert len(calls) == 1


def test_a_line_tesseract_drops_from_the_page_is_read_again_alone():
    # Drawn so that Tesseract, over the whole page, returns no word for the signature the seal
    # was stamped over, though it is clean once the red is out.
    document = scans.load_document("zh-hans-pharmacy")
    last = scans.render_pages(document)[-1]
    parsed = parse_bytes(scans.png_bytes(last), filename="scan.png")
    lines = parsed.scanned_pages[0].text.split("\n\n")
    assert lines[-2:] == [document.signature, document.date]


# -- the models, checked on deploy ------------------------------------------------------------


def test_the_deploy_check_names_a_missing_model_and_its_package(monkeypatch):
    from reports.ingest.extract.ocr import checks
    monkeypatch.setattr(checks, "installed_models", lambda: frozenset({"chi_sim", "chi_tra", "eng", "osd", "HanS"}))
    (warning,) = checks.ocr_models_installed(None)
    assert warning.id == "archive.W002" and "HanT" in warning.msg and "tesseract-ocr-script-hant" in warning.hint


def test_the_deploy_check_is_quiet_when_every_model_is_installed():
    # The test set-up installs them (scripts/install-ocr.sh), as a deployment must.
    from reports.ingest.extract.ocr import checks
    assert checks.ocr_models_installed(None) == []
