from reports.ingest.clean import (
    DAMAGE_MARK,
    clean_text,
    join_broken_paragraphs,
    join_spaced_numbers,
    mark_damage,
    remove_glued_pinyin,
    remove_site_chrome,
    remove_template_debris,
    tighten_cjk_spacing,
)


def test_glued_pinyin_is_removed_everywhere_in_the_file():
    text = "醫(yī)院黨建“創(chuàng)新合伙人”平臺(tái)助力健康海淀建設(shè)"
    assert remove_glued_pinyin(text) == "醫院黨建“創新合伙人”平臺助力健康海淀建設"


def test_neutral_tone_pinyin_goes_only_in_a_file_annotated_throughout():
    annotated = "醫(yī)院的(de)平臺(tái)建設(shè)"
    assert remove_glued_pinyin(annotated) == "醫院的平臺建設"
    # A lone "(de)" with no toned syllables around is not taken for pinyin.
    assert remove_glued_pinyin("规则(de)条款") == "规则(de)条款"


def test_english_words_in_brackets_are_not_pinyin():
    text = "carry out 51 health popular science activities (times), play 50 videos"
    assert remove_glued_pinyin(text) == text


def test_template_debris_is_removed_and_the_metadata_kept():
    text = "- 來源:北京支部生活 smarty:if $article.tag?>\n- 關鍵字:醫院,黨建 smarty:/if?>"
    assert remove_template_debris(text) == "- 來源:北京支部生活\n- 關鍵字:醫院,黨建"


def test_breadcrumb_view_counter_and_footer_are_removed():
    text = (
        "当前位置:对外交流 > 地方医学会 > 内容\n\n标题\n"
        "发布日期:2021-06-30 浏览次数:\n\n正文。\n\nProduced By 大汉网络 大汉版通发布系统"
    )
    cleaned = remove_site_chrome(text)
    assert "当前位置" not in cleaned
    assert "浏览次数" not in cleaned
    assert "Produced By" not in cleaned
    assert "标题\n发布日期:2021-06-30" in cleaned
    assert "正文。" in cleaned


def test_spaces_inside_numbers_are_joined_in_chinese_text():
    assert join_spaced_numbers("共有专科分会7 6个、会员23 095人") == "共有专科分会76个、会员23095人"
    assert join_spaced_numbers("全年完成1 5 7 期") == "全年完成157期"


def test_deliberate_spaces_around_numbers_are_kept():
    assert join_spaced_numbers("四川省医院协会 2021 年度工作总结") == "四川省医院协会 2021 年度工作总结"
    assert join_spaced_numbers("in 2019 2020 plans") == "in 2019 2020 plans"


def test_spaces_beside_chinese_punctuation_are_removed():
    assert tighten_cjk_spacing("坚持党支部“ 三会一课” 制度") == "坚持党支部“三会一课”制度"
    assert tighten_cjk_spacing("通过学习, 学会全体职工") == "通过学习,学会全体职工"
    # A space between two phrases of a title is the author's.
    assert tighten_cjk_spacing("党建引领 久久为功") == "党建引领 久久为功"


def test_page_break_inside_a_sentence_is_repaired():
    text = "组织专班宣传，警醒城乡居民克服麻痹松劲情绪，编印了群众喜闻\n\n乐见，易记易懂抗疫顺口溜。"
    assert join_broken_paragraphs(text) == "组织专班宣传，警醒城乡居民克服麻痹松劲情绪，编印了群众喜闻乐见，易记易懂抗疫顺口溜。"


def test_short_stand_alone_headings_are_not_joined_to_their_text():
    text = "围绕中心,服务大局\n\n天津市医学会成立于1947年。"
    assert join_broken_paragraphs(text) == text


def test_a_numbered_heading_is_not_joined_to_its_text():
    text = "(一)以党建工作为引领,不断加强自身建设,加强学会管理水平\n\n1.坚定不移坚持党的领导: 河北省医学会慎终如始。"
    assert join_broken_paragraphs(text) == text


def test_damaged_characters_are_marked_and_reported():
    text = "深化6個片區綜合醫聯體和6個??漆t聯體聯動互補"
    marked, damages = mark_damage(text)
    assert marked == f"深化6個片區綜合醫聯體和6個{DAMAGE_MARK}聯體聯動互補"
    assert [d.original for d in damages] == ["??漆t"]
    assert "??漆t" in damages[0].context


def test_damage_with_a_lost_bracket_and_bopomofo_is_one_span():
    text = remove_glued_pinyin("?。ㄘ?zé)任編輯:曹曉晨)")
    marked, damages = mark_damage(text)
    assert marked == f"{DAMAGE_MARK}任編輯:曹曉晨)"
    assert damages[0].original == "?。ㄘ?"


def test_real_question_marks_are_not_damage():
    text = "What is next? We plan ahead.\n你好吗? 很好。"
    marked, damages = mark_damage(text)
    assert marked == text and damages == []


def test_clean_text_keeps_every_real_word(seed_bytes):
    raw = seed_bytes("004").decode("utf-8")
    cleaned = clean_text(raw)
    for phrase in ["醫院黨建", "海淀區委堅持黨組織牽頭抓總", "北京大學口腔醫院", "中關村健康論壇"]:
        assert phrase in cleaned
    assert "smarty" not in cleaned and "(yī)" not in cleaned


def test_control_characters_are_damage_shown_as_pictures():
    marked, damages = mark_damage("河北省医学\x00会成立于1962年")
    assert marked == f"河北省医学{DAMAGE_MARK}会成立于1962年"
    assert damages[0].original == "\u2400"
    assert "\x00" not in damages[0].context


def test_question_marks_in_a_web_address_are_not_damage():
    text = "详见 http://example.org/view.php?id=3 。"
    assert mark_damage(text) == (text, [])


def test_a_half_width_question_mark_in_chinese_text_is_punctuation():
    text = "我们怎么办?我们要坚持。为什么?因为责任重大。"
    assert mark_damage(text) == (text, [])
