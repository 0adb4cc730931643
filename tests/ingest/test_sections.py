from reports.ingest.numbering import numbering_of
from reports.ingest.sections import split_sections


def headings(paragraphs):
    return [(s.level, s.heading) for s in split_sections(paragraphs) if s.heading]


def test_every_numbering_style_is_recognised():
    cases = {
        "一、继续做好新冠肺炎疫情防控工作": ("cn、", 1),
        "（一）各分支机构都按照章程": ("(cn)", 1),
        "(四)立足社会责任": ("(cn)", 4),
        "十二、其他": ("cn、", 12),
        "1.坚定不移坚持党的领导": ("1.", 1),
        "4 . 做好第三方调查评估工作": ("1.", 4),
        "(1)Strengthening Party governance": ("(1)", 1),
        "（2）提供优先": ("(1)", 2),
        "Ii. Analysis of main existing problems": ("I.", 2),
        "Iii. Work plan for 2020": ("I.", 3),
        "①第一项": ("①", 1),
    }
    for line, (style, value) in cases.items():
        numbering = numbering_of(line)
        assert (numbering.style, numbering.value) == (style, value), line


def test_years_and_decimals_are_not_numbering():
    assert numbering_of("2021 年，我们始终坚持") is None
    assert numbering_of("6.88%的委员") is None


def test_styles_nest_in_the_order_they_open():
    paragraphs = [
        "开展的主要工作",
        "(一)以党建工作为引领,不断加强自身建设",
        "1.坚定不移坚持党的领导: 河北省医学会慎终如始,把党建工作列入重要议事日程。",
        "2.加强办事机构能力建设:改进工作作风,提高工作效率。",
        "(二)严格依法依规办会,学术交流活动蓬勃开展",
        "1.学术活动蓬勃开展:绝大多数专科分会举办的学术年会。",
        "思考",
        "在梳理工作、总结成绩的同时,也清醒地看到学会工作还存在一些问题与不足。",
    ]
    assert headings(paragraphs) == [
        (1, "开展的主要工作"),
        (2, "(一)以党建工作为引领,不断加强自身建设"),
        (3, "1.坚定不移坚持党的领导"),
        (3, "2.加强办事机构能力建设"),
        (2, "(二)严格依法依规办会,学术交流活动蓬勃开展"),
        (3, "1.学术活动蓬勃开展"),
        (1, "思考"),
    ]


def test_run_in_heading_keeps_its_text_in_the_section():
    sections = split_sections(["1.坚定不移坚持党的领导: 河北省医学会慎终如始。", "2.专科分会规范健康发展:不断加强管理。"])
    assert sections[0].heading == "1.坚定不移坚持党的领导"
    assert sections[0].text == "河北省医学会慎终如始。"


def test_numbered_sentences_are_list_items_not_headings():
    paragraphs = [
        "一、如期完成工作目标任务，业务学术活动丰富多彩",
        "（一）各分支机构都按照章程和组织管理办法，如期完成了规定的会议的召开，完成了学术年会的举办。",
        "（二）协会通过各分支机构，举办了各类主题线上学术研讨交流 23 场次。",
        "（三）业务继教培训：我们举办了第十八期医院管理干部培训班，共培训各级各类医院管理人员 3292 人次。",
        "二、服务基层",
        "（一）组织专家对十三家国家临床药师培训基地进行了指导检查。",
    ]
    assert headings(paragraphs) == [(1, "一、如期完成工作目标任务，业务学术活动丰富多彩"), (1, "二、服务基层")]


def test_roman_count_continuing_an_arabic_one_is_the_same_level():
    paragraphs = [
        "1. Work summary of 2019",
        "(1)Strengthening Party governance",
        "One is to strengthen the construction.",
        "Ii. Analysis of main existing problems",
        "(1) There are difficulties in gaining support from social forces",
        "At present, social support is mainly obtained.",
        "Iii. Work plan for 2020",
        "1. To strengthen the Party and promote the development of the Society",
        "(1)Give full play to the role of the Party branch as a battle fortress.",
        "(2)Build a home for scattered Party members.",
    ]
    assert headings(paragraphs) == [
        (1, "1. Work summary of 2019"),
        (2, "(1) Strengthening Party governance"),
        (1, "Ii. Analysis of main existing problems"),
        (2, "(1) There are difficulties in gaining support from social forces"),
        (1, "Iii. Work plan for 2020"),
        (2, "1. To strengthen the Party and promote the development of the Society"),
    ]


def test_a_heading_glued_after_a_sentence_is_split_off():
    paragraphs = [
        "1. To strengthen the Party",
        "(1)Actively carry out health poverty alleviation work. 2. Building organizations and expanding the ranks",
        "(1)Strengthen the capacity building of the academy.",
    ]
    assert [h for _, h in headings(paragraphs)] == ["1. To strengthen the Party", "2. Building organizations and expanding the ranks"]


def test_stand_alone_headings_and_a_glued_sibling():
    paragraphs = [
        "聚合力 步調一致共謀發展近年來,海淀區委堅持黨組織牽頭抓總,確保步調一致共謀發展。",
        "建體系整合資源。以區醫院黨建工作指導委員會為小平臺。",
        "搭平臺 探索互聯互通路徑",
        "黨組織著眼提升地區整體醫療服務能力和水平。",
        "求實效 深化融合發展模式",
        "在具體工作中,進一步激發醫院黨組織和黨員作用。",
    ]
    sections = split_sections(paragraphs)
    assert [(s.level, s.heading) for s in sections] == [
        (1, "聚合力 步調一致共謀發展"),
        (1, "搭平臺 探索互聯互通路徑"),
        (1, "求實效 深化融合發展模式"),
    ]
    assert sections[0].text.startswith("近年來,海淀區委")


def test_text_before_the_first_heading_is_the_introduction_and_anchors_are_hierarchical():
    sections = split_sections(["党的十八大以来,社会组织发展进入了快车道。", "一、总体情况", "（一）学术交流", "具体内容很多。", "（二）科普工作", "内容。", "二、下一步计划", "内容。"])
    assert [(s.anchor, s.level) for s in sections] == [("intro", 0), ("s1", 1), ("s1-1", 2), ("s1-2", 2), ("s2", 1)]


def test_thousands_of_headings_are_a_list_kept_as_paragraphs_deepest_level_first():
    from reports.ingest.sections import find_sections

    chapters = "一二三四五六七八九十"
    paragraphs = ["前言。"]
    for chapter in chapters:
        paragraphs.append(f"{chapter}、第{chapter}章")
        for item in range(1, 9):
            paragraphs += [f"（{chapters[item - 1]}）第{chapter}章的小节{item}", "内容。"]
    found = find_sections(paragraphs, max_sections=50)
    # 10 chapters of 8 subsections: 91 sections with the opening text. The subsections go back
    # into their chapters' text; the chapters stay, and not a word is lost.
    assert [(s.level, s.heading) for s in found.sections[:3]] == [(0, ""), (1, "一、第一章"), (1, "二、第二章")]
    assert len(found.sections) == 11 and found.demoted == 80
    assert found.sections[1].text.startswith("（一）第一章的小节1\n\n内容。")
    assert sum(len(s.heading) + sum(map(len, s.paragraphs)) for s in found.sections) == sum(map(len, paragraphs))
    # Within the limit nothing changes.
    assert find_sections(paragraphs, max_sections=91) == find_sections(paragraphs)


def test_a_list_of_a_hundred_thousand_lines_is_one_section():
    from reports.ingest.sections import find_sections

    found = find_sections([f"第{n}行 内容" for n in range(100_000)], max_sections=2000)
    assert [(s.anchor, s.level) for s in found.sections] == [("intro", 0)]
    # (The last line has no text after it, so it was never a heading.)
    assert found.demoted == 99_999 and len(found.sections[0].paragraphs) == 100_000
