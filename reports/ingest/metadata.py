"""Title, date, document number, source, author, association, year and language of a report.

Stated values come from the header: the title line and the metadata lines
under it, in Chinese or English (``发布日期:`` ``来源:`` ``作者:`` ``Author:``
``Addtime:`` ``發布時間:``), a date standing alone on a line, and, above the
title of an official document (红头文件), its letterhead (``四川省医院协会文件``)
and document number (文号, ``川医协〔2022〕1号``). An official document dates
itself under its signature at the end: that date counts as stated too. What has
to be inferred from the text is returned as guessed, so it can be shown and
corrected as such.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from reports.ingest.clean import HAN
from reports.ingest.dates import looks_like_standalone_date, parse_date, standalone_date, written_year
from reports.ingest.gazetteer import FULL_NAME, FULL_NAME_BY_ENGLISH, SHORT_NAMES
from reports.text import to_simplified

_FIELD_KEYS = {
    "published": ["发布日期", "發布日期", "发布时间", "發布時間", "發佈時間", "发表日期", "發表日期", "发表时间", "發表時間",
                  "日期", "时间", "時間", "Addtime", "Add time", "Date", "Published", "Posted"],
    "source": ["来源", "來源", "出处", "出處", "Source"],
    "authors": ["作者", "撰稿", "撰文", "Authors", "Author", "By"],
    "keywords": ["关键字", "關鍵字", "关键词", "關鍵詞", "Keywords", "Tags"],
    "editor": ["责任编辑", "責任編輯", "编辑", "編輯", "Editor"],
    "number": ["发文字号", "發文字號", "文号", "文號", "字号", "字號"],
}
_KEY_TO_FIELD = {key.lower(): name for name, keys in _FIELD_KEYS.items() for key in keys}
_KEY = "|".join(sorted((re.escape(k) for k in _KEY_TO_FIELD), key=len, reverse=True))
_PAIR = re.compile(rf"(?:^|(?<=\s))({_KEY})\s*[:：]\s*", re.I)
_BULLET = re.compile(r"^[-•·*]\s*")
_BYLINE = re.compile(r"^文\s*[◎/／|｜:：]\s*(?P<authors>\S.{0,60})$")
_LETTERHEAD = re.compile(r"^(?P<name>.{2,30}?)\s*文件$")
# Letterheads are often spread out: "四 川 省 医 院 协 会 文 件".
_SPREAD = re.compile(rf"^(?:[{HAN}][ \u3000]+)+[{HAN}]$")
# A rule typed under the letterhead where the red line is ("━━━━", "————").
_RULE = re.compile(r"^[-—–─━=＝_＿~～*＊★☆·•\s]{3,}$")
_HEADER_LINES = 8
# 文号: issuer's abbreviation, the year in brackets of any kind, the serial number:
# 川医协〔2022〕1号, 川医协[2022]1号, 川医协（2022）1号; or Taiwan's 衛部醫字第1121660123號.
_DOCUMENT_NUMBER = re.compile(
    rf"[{HAN}]{{1,12}}\s*[〔\[［(（【]\s*(?:19|20)\d{{2}}\s*[〕\]］)）】]\s*第?\s*\d{{1,6}}\s*[号號]"
    rf"|[{HAN}]{{1,12}}字第\s*\d{{1,12}}\s*[号號]"
)
# What may stand beside the number on its line: the person who signed it off.
_SIGNER = re.compile(r"^(?:签发人|簽發人)\s*[:：]")
# A signature's date is among the last lines (the distribution lines, 抄送 and 印发, may follow it).
_CLOSING_LINES = 8
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_SUMMARY_YEAR = re.compile(
    r"(?:summary|report)\s+of\s+(?:work\s+in\s+)?((?:19|20)\d{2})\b|((?:19|20)\d{2})\s*年度?\s*(?:工作)?(?:总结|總結|报告|報告)",
    re.I,
)
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")

_ORG_SUFFIXES = ["医院协会", "医师协会", "医学会", "护理学会", "药学会", "学会", "协会", "委员会"]
_ORG_KIND = {"医院协会": "医院协会", "医师协会": "医师协会", "医学会": "医学会", "护理学会": "护理学会",
             "药学会": "药学会", "学会": "学会", "协会": "协会", "委员会": "委员会"}
_PROVINCE = "|".join(sorted(SHORT_NAMES, key=len, reverse=True))
_SUFFIX = "|".join(_ORG_SUFFIXES)
# Organisation names anchored on a province, optionally with a city: 河北省医学会, 四川省医院协会.
_PROVINCIAL_ORG = re.compile(
    rf"(?:{_PROVINCE})(?:省|市|自治区|特别行政区|壮族自治区|回族自治区|维吾尔自治区)?(?:[{HAN}]{{2}}(?:市|州|区|县))?(?:{_SUFFIX})"
)
# "区医院党建工作指导委员会": an organisation named after "the district", named in full with the district's name.
_DISTRICT_ORG = re.compile(rf"区([{HAN}]{{2,12}}?委员会)")
_DISTRICT = re.compile(rf"([{HAN}]{{2}})区(?:委|政府|卫生|医院|内)")
_ENGLISH_ORG = re.compile(
    r"\b(Medical Association of (?:the )?[A-Z][\w-]*(?: [A-Za-z][\w-]*){0,4}? (?:Zone|District|City|County|Province))\b"
)


@dataclass
class Header:
    title: str
    fields: dict[str, str]
    letterhead: str
    body_lines: list[str]


@dataclass
class Metadata:
    title: str
    published: date | None
    document_number: str
    year: int | None
    source: str
    authors: str
    language: str
    association_name: str
    association_region: str
    association_kind: str
    guessed: list[dict] = field(default_factory=list)


def split_header(text: str) -> Header:
    """The title, the metadata lines under it, and the body; a repeated title line is dropped.

    Above the title an official document may carry its letterhead, its document
    number and a rule; they are read here and are not the title.
    """
    lines = text.split("\n")
    index, letterhead = 0, ""
    fields: dict[str, str] = {}
    while index < len(lines):
        line = lines[index].strip()
        match = _LETTERHEAD.match(_unspread(line))
        number = document_number_of(line)
        if match and not letterhead:
            letterhead = match.group("name").strip()
        elif number:
            fields.setdefault("number", number)
        elif line and not _RULE.match(line):
            break
        index += 1
    title = lines[index].strip() if index < len(lines) else ""
    index += 1
    scanned = 0
    while index < len(lines) and scanned < _HEADER_LINES:
        line = lines[index].strip()
        if line:
            found = parse_metadata_line(line)
            if not found:
                break
            for name, value in found.items():
                fields.setdefault(name, value)
            scanned += 1
        index += 1
    body_lines = _without_first_repeat(lines[index:], title)
    return Header(title=title, fields=fields, letterhead=letterhead, body_lines=body_lines)


def _unspread(line: str) -> str:
    return re.sub(r"[ \u3000]+", "", line) if _SPREAD.match(line) else line


def document_number_of(line: str) -> str:
    """The document number (文号) a line consists of, as written; "" if the line is anything else.

    The number may share its line with the person who signed the document off
    (``川医协〔2022〕1号　　签发人：张三``). A number cited inside a sentence is a
    reference to another document, not this one's number.
    """
    line = line.strip()
    match = _DOCUMENT_NUMBER.match(line)
    if not match:
        return ""
    rest = line[match.end():].strip()
    if rest and not _SIGNER.match(rest):
        return ""
    return re.sub(r"\s+", "", match.group())


def _without_first_repeat(lines: list[str], title: str) -> list[str]:
    """Sites often print the title again above the text; drop that one line, nothing else."""
    key = re.sub(r"\s+", "", title)
    for position, line in enumerate(lines):
        if key and re.sub(r"\s+", "", line) == key:
            return lines[:position] + lines[position + 1:]
    return lines


def parse_metadata_line(line: str) -> dict[str, str]:
    """``发布日期:2021-06-30 来源:... 作者:...`` as fields; {} if the line is not metadata."""
    line = _BULLET.sub("", line.strip())
    byline = _BYLINE.match(line)
    if byline:
        return {"authors": byline.group("authors").strip()}
    if looks_like_standalone_date(line):
        return {"published": line}
    number = document_number_of(line)
    if number:
        return {"number": number}
    matches = list(_PAIR.finditer(line))
    if not matches or matches[0].start() != 0:
        return {}
    fields = {}
    for match, following in zip(matches, matches[1:] + [None]):
        value = line[match.end(): following.start() if following else len(line)].strip()
        name = _KEY_TO_FIELD[match.group(1).lower()]
        if value:
            fields.setdefault(name, value)
    return fields


def detect_language(text: str) -> str:
    han = re.findall(f"[{HAN}]", text)
    latin_words = re.findall(r"[A-Za-z]{2,}", text)
    if len(han) < len(latin_words):
        return "en"
    simplified = to_simplified("".join(han))
    traditional_chars = sum(1 for a, b in zip(han, simplified) if a != b)
    # Traditional text changes under t2s in one character of every few; Simplified text hardly at all.
    return "zh-Hant" if traditional_chars > len(han) * 0.03 else "zh-Hans"


def extract_metadata(header: Header, body: str) -> Metadata:
    guessed: list[dict] = []
    language = detect_language(header.title + "\n" + body)
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    signature = _signature(lines)
    stated = header.fields.get("published", "")
    published = parse_date(stated) or _opening_date(lines) or signature.published
    if published is None:
        for unreadable in (stated, signature.date_line):
            if unreadable:
                guessed.append({"field": "published", "value": "", "reason": "not_a_date", "written": unreadable,
                                "message": f"“{unreadable}” is not a valid date; please set the date."})
    year = _year_covered(header.title, body, published, guessed)
    name, kind, name_guessed = _association(header, body, language, signer=signature.signer)
    if name_guessed:
        guessed.append({"field": "association", "value": name, "reason": "from_text",
                        "message": "Association inferred from the text"})
    region = _region(name, header.title + "\n" + body, guessed)
    return Metadata(
        title=header.title,
        published=published,
        document_number=header.fields.get("number", ""),
        year=year,
        source=header.fields.get("source", ""),
        authors=_stated_authors(header.fields.get("authors", ""), language=language),
        language=language,
        association_name=name,
        association_region=region,
        association_kind=kind,
        guessed=guessed,
    )


def _stated_authors(stated: str, *, language: str) -> str:
    """The author a page states, unless an English page states it in Chinese characters
    alone: the English edition of a Chinese site shows its system's posting account
    there, untranslated (``Author:党群服务与组织管理``, ``Author:质控``: the department
    that put the page up, as ``发布者`` on the Chinese edition), not who wrote the text.
    The association, which the text names, is then its author."""
    if language == "en" and re.fullmatch(rf"[{HAN}\s]+", stated):
        return ""
    return stated


@dataclass
class _Signature:
    published: date | None = None
    date_line: str = ""      # the line shaped as a date, whether or not it is a valid one
    signer: str = ""         # the line above it, when that names an organisation


def _signature(lines: list[str]) -> _Signature:
    """The date under the signature at the end: the last line among the closing ones that is a date alone."""
    closing = lines[-_CLOSING_LINES:]
    for position in range(len(closing) - 1, -1, -1):
        line = closing[position]
        if looks_like_standalone_date(line):
            above = closing[position - 1] if position else ""
            signer = above if _org_kind(above) and len(above) <= 30 and not re.search(r"[。，,；;：:]", above) else ""
            return _Signature(standalone_date(line), line, signer)
    return _Signature()


def _opening_date(lines: list[str]) -> date | None:
    """A date alone on a line near the top of the body (under a subtitle, say)."""
    for line in lines[:3]:
        found = standalone_date(line)
        if found:
            return found
    return None


def _year_covered(title: str, body: str, published: date | None, guessed: list[dict]) -> int | None:
    stated = _TITLE_YEAR.search(title)
    if stated:
        return int(stated.group(1))
    # 二〇二一年度工作总结, 民國112年度工作報告
    in_words = written_year(title)
    if in_words:
        return in_words
    stated = _SUMMARY_YEAR.search(title) or _SUMMARY_YEAR.search(body)
    if stated:
        return int(next(group for group in stated.groups() if group))
    if published:
        guessed.append({"field": "year", "value": published.year, "reason": "from_date",
                        "message": "Year covered taken from the publication date"})
        return published.year
    years = [int(y) for y in _ANY_YEAR.findall(title + "\n" + body) if 1949 <= int(y) <= date.today().year]
    if years:
        year = max(years)
        guessed.append({"field": "year", "value": year, "reason": "latest_year_mentioned",
                        "message": "Year covered guessed as the latest year the text mentions"})
        return year
    return None


def _association(header: Header, body: str, language: str, *, signer: str = "") -> tuple[str, str, bool]:
    """(name as written, kind, guessed?)."""
    if language == "en":
        return _english_association(header.title + "\n" + body)
    # A joint letterhead names several issuers ("四川省医院协会 四川省医师协会文件"): the first leads.
    issuers = re.split(r"[\s、]+", header.letterhead)
    for stated in (*issuers, header.fields.get("authors", "")):
        kind = _org_kind(stated)
        if stated and kind and len(stated) <= 30:
            return stated, kind, False
    in_title = _provincial_orgs(header.title)
    if in_title:
        return in_title[0], _org_kind(in_title[0]), False
    if signer:
        return signer, _org_kind(signer), False
    in_body = _provincial_orgs(body)
    if in_body:
        name = Counter(in_body).most_common(1)[0][0]
        return name, _org_kind(name), True
    return _district_association(header.title + "\n" + body)


def _provincial_orgs(text: str) -> list[str]:
    simplified = to_simplified(text)
    return [_as_written(text, simplified, m.start(), m.end()) for m in _PROVINCIAL_ORG.finditer(simplified)]


def _as_written(text: str, simplified: str, start: int, end: int) -> str:
    """The span of ``text`` found at ``start:end`` in its Simplified form, in the text's own script.

    OpenCC keeps lengths for nearly every character, but not always; when it did not,
    the Simplified span is the honest answer.
    """
    return text[start:end] if len(text) == len(simplified) else simplified[start:end]


def _district_association(text: str) -> tuple[str, str, bool]:
    simplified = to_simplified(text)
    districts = Counter(_DISTRICT.findall(simplified))
    # A bare 区 ("the district"), not the end of a district's own name such as 海淀区.
    committee = next(
        (m for m in _DISTRICT_ORG.finditer(simplified) if simplified[max(0, m.start() - 2):m.start()] not in districts),
        None,
    )
    if committee and districts:
        district = districts.most_common(1)[0][0]
        start = simplified.index(district)
        written_district = _as_written(text, simplified, start, start + len(district))
        written = _as_written(text, simplified, committee.start(), committee.end())
        return written_district + written, "委员会", True
    return "", "", True


def _english_association(text: str) -> tuple[str, str, bool]:
    match = _ENGLISH_ORG.search(text)
    if not match:
        return "", "", True
    name = match.group(1)
    unnamed = re.search(r" of the (.+)$", name)
    if unnamed:
        # "of the Hi-tech Zone": the text names the place in full elsewhere ("Chengdu Hi-tech Zone").
        place = re.search(rf"\b([A-Z][a-z]+) {re.escape(unnamed.group(1))}", text, re.I)
        if place and place.group(1).lower() != "the":
            name = name[: unnamed.start()] + f" of {place.group(1)} {unnamed.group(1)}"
    return name, "医学会", False


def _org_kind(name: str) -> str:
    simplified = to_simplified(name or "")
    for suffix in _ORG_SUFFIXES:
        if simplified.endswith(suffix):
            return _ORG_KIND[suffix]
    return ""


def _region(name: str, text: str, guessed: list[dict]) -> str:
    simplified_name = to_simplified(name)
    for short in sorted(SHORT_NAMES, key=len, reverse=True):
        if simplified_name.startswith(short):
            return FULL_NAME[short]
    simplified = to_simplified(text)
    counts = Counter({short: simplified.count(short) for short in SHORT_NAMES})
    counts.update({FULL_NAME_BY_ENGLISH[english]: text.count(english) for english in FULL_NAME_BY_ENGLISH})
    merged = Counter()
    for key, count in counts.items():
        merged[FULL_NAME.get(key, key)] += count
    best, count = merged.most_common(1)[0] if merged else ("", 0)
    if not count:
        return ""
    guessed.append({"field": "region", "value": best, "reason": "from_places",
                    "message": "Region inferred from the places the text names"})
    return best
