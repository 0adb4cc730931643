"""Cleaning rules: remove what a site or a converter added, keep every real word.

Each rule is a small function from text to text, so each can be tested on
its own; ``clean_text`` applies them in the order that matters. Damaged text
is not cleaned away: ``mark_damage`` replaces each damaged span with U+FFFD
and reports what it found, so readers and warnings can show it.
"""

import re
import unicodedata
from dataclasses import dataclass

from reports.ingest.numbering import numbering_of

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK punctuation that never takes a space beside it in Chinese text.
CJK_OPENING = "“‘「『《（【〔"
CJK_CLOSING = "”’」』》）】〕"
CJK_PUNCT = "、，。：；！？"
SENTENCE_END = "。！？!?…"

DAMAGE_MARK = "\ufffd"

_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_LETTERS = f"a-zü{_TONE_VOWELS}"
# A pinyin syllable with a tone mark is unmistakable wherever it stands.
_TONED_SYLLABLE = rf"[{_PINYIN_LETTERS}]*[{_TONE_VOWELS}][{_PINYIN_LETTERS}]*"
_GLUED_TONED_PINYIN = re.compile(rf"\(\s*{_TONED_SYLLABLE}\s*\)")
# The same annotation whose opening bracket was lost to damage: "??zé)" after a damaged span.
_ORPHAN_TONED_PINYIN = re.compile(rf"(?<=[?\ufffd]){_TONED_SYLLABLE}\)")
# Neutral-tone syllables carry no mark; they are removed only after a Han character,
# and only in a file that is annotated throughout (see remove_glued_pinyin).
_GLUED_PLAIN_PINYIN = re.compile(rf"(?<=[{HAN}])\([a-zü]{{2,6}}\)")
_ANNOTATED_FILE_MIN = 3

# A leaked tag is short, so the search for its end stops after _TAG_SPAN characters, and
# a match starts only where a run of spaces does: a line full of "<?" or of spaces is
# otherwise scanned to its end from every one of them (hours for a long line).
_TAG_SPAN = 300
_TEMPLATE_DEBRIS = re.compile(
    r"(?<![ \t])[ \t]*(?:smarty:[^\n]{0,%(span)d}?\?>|<\?(?:php)?[^\n]{0,%(span)d}?\?>|\{\{[^\n{}]*\}\}"
    r"|\{%%[^\n]{0,%(span)d}?%%\}|<!--[^\n]{0,%(span)d}?-->)" % {"span": _TAG_SPAN}
)

_BREADCRUMB = re.compile(r"^[ \t]*(?:当前位置|當前位置|您的位置|你的位置|您现在的位置|您現在的位置|现在位置)\s*[:：].*$", re.M)
_FOOTER = re.compile(
    r"^[ \t]*(?:Produced\s+By\b|Powered\s+by\b|Copyright\s*©|©\s*\d{4}|版权所有|版權所有|技术支持[:：]|技術支持[:：]).*$",
    re.M | re.I,
)
_VIEW_COUNTER = re.compile(
    r"(?:浏览次数|瀏覽次數|浏览量|瀏覽量|阅读次数|閱讀次數|阅读量|閱讀量|点击数|點擊數|点击量|點擊量|访问量|訪問量|Views|Hits)[ \t]*[:：][ \t]*\d*",
    re.I,
)

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


def normalise_layout(text: str) -> str:
    """One newline convention, no zero-width characters, no trailing spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_ZERO_WIDTH)
    text = text.replace("\u00a0", " ").replace("\u3000", " ")
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def remove_template_debris(text: str) -> str:
    """Template tags that leaked into the page (``smarty:if $article.tag?>``)."""
    return _TEMPLATE_DEBRIS.sub("", text)


def remove_glued_pinyin(text: str) -> str:
    """``醫(yī)院`` becomes ``醫院``: the pronunciation a site glued after each character."""
    annotated = len(_GLUED_TONED_PINYIN.findall(text)) >= _ANNOTATED_FILE_MIN
    text = _GLUED_TONED_PINYIN.sub("", text)
    text = _ORPHAN_TONED_PINYIN.sub("", text)
    if annotated:
        text = _GLUED_PLAIN_PINYIN.sub("", text)
    return text


def remove_site_chrome(text: str) -> str:
    """Breadcrumbs, view counters and the site's footer: the site's words, not the report's."""
    text = _BREADCRUMB.sub("", text)
    text = _FOOTER.sub("", text)
    return _VIEW_COUNTER.sub("", text)


def join_spaced_numbers(text: str) -> str:
    """``7 6个`` becomes ``76个``: spaces a converter put inside a number in Chinese text."""

    def join(match: re.Match) -> str:
        return match.group(1).replace(" ", "")

    return re.sub(rf"(?<=[{HAN}])(\d{{1,3}}(?: \d{{1,3}})+) ?(?=[{HAN}])", join, text)


def tighten_cjk_spacing(text: str) -> str:
    """Spaces beside Chinese punctuation (``“ 三会一课” 制度``) are converter noise."""
    text = re.sub(rf"(?<=[{CJK_OPENING}{CJK_PUNCT}]) +(?=\S)", "", text)
    text = re.sub(rf"(?<=\S) +(?=[{CJK_CLOSING}{CJK_PUNCT}])", "", text)
    text = re.sub(rf"(?<=[{CJK_CLOSING}]) +(?=[{HAN}])", "", text)
    # Half-width commas in Chinese text, followed by a space: the space goes, the comma stays.
    return re.sub(rf"(?<=[{HAN}][,;:]) +(?=[{HAN}{CJK_OPENING}(])", "", text)


def join_broken_paragraphs(text: str) -> str:
    """Repair page breaks that cut a sentence: ``喜闻\\n\\n乐见`` becomes ``喜闻乐见``.

    A paragraph is joined to the next when it is a long piece of running text
    that stops in the middle of a word (a Han character, not punctuation), and
    the next one is not a numbered heading. Short lines are left alone: they
    are the stand-alone headings of some reports.
    """
    paragraphs = [p for p in re.split(r"\n\s*\n", text)]
    joined: list[str] = []
    for paragraph in paragraphs:
        if joined and _cut_mid_sentence(joined[-1], paragraph):
            joined[-1] = joined[-1].rstrip() + paragraph.lstrip()
        else:
            joined.append(paragraph)
    return "\n\n".join(joined)


# Longer than any stand-alone heading in the seeds (the longest has 16 characters).
_MIN_RUNNING_TEXT = 20
# A numbered line this short is a heading, which ends without punctuation by nature.
_MAX_NUMBERED_HEADING = 40


def _cut_mid_sentence(before: str, after: str) -> bool:
    before, after = before.strip(), after.strip()
    if not before or not after or "\n" in before:
        return False
    if len(before) < _MIN_RUNNING_TEXT or not re.search(rf"[{HAN}]$", before):
        return False
    # Running text has clauses inside it; a heading has few, and a numbered heading no full stop.
    if not re.search(rf"[{CJK_PUNCT},;]", before):
        return False
    numbered = numbering_of(before)
    if numbered is not None and len(numbered.rest) <= _MAX_NUMBERED_HEADING:
        return False
    return numbering_of(after) is None and re.match(rf"[{HAN}]", after) is not None


@dataclass(frozen=True)
class Damage:
    original: str
    context: str
    line: int


# Signs of damage on their own: U+FFFD, "??", a question mark opening a line, bopomofo
# (never used in these reports; it is what a mis-paired GBK byte becomes) and control
# characters (a NUL among them: a byte the source lost or garbled).
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+"
_STRONG_DAMAGE = rf"\ufffd+|\?{{2,}}|^\?+|[\u3100-\u312f]+|{_CONTROL}"
# A lone half-width question mark inside Chinese text is usually real punctuation
# (我们怎么办?我们要坚持); it counts as damage only right beside a strong sign.
_CJK_NEIGHBOUR = rf"[{HAN}{CJK_OPENING}{CJK_CLOSING}{CJK_PUNCT}\u3100-\u312f]"
_LONE_QUESTION = rf"(?<={_CJK_NEIGHBOUR})\?|\?(?={_CJK_NEIGHBOUR})"
_DAMAGE_SEED = re.compile(rf"(?P<strong>{_STRONG_DAMAGE})|(?P<weak>{_LONE_QUESTION})", re.M)
# After a lost byte, a legacy decoder pairs the wrong bytes until it meets an ASCII one:
# a few wrong Han characters and a stray Latin letter follow the damage ("??漆t").
_MISALIGNED_TAIL = re.compile(rf"[{HAN}]{{0,2}}[A-Za-z](?=[{HAN}])")
_SEED_GAP = 2


def mark_damage(text: str) -> tuple[str, list[Damage]]:
    """Replace each damaged span with one U+FFFD and say what it was.

    ``??`` left by a broken encoding upstream, question marks that are not
    punctuation, bopomofo from a mis-decoded byte pair and the misaligned
    characters after them: never passed off as clean text.
    """
    spans = _damage_spans(text)
    if not spans:
        return text, []
    damages, pieces, last = [], [], 0
    for start, end in spans:
        line = text.count("\n", 0, start) + 1
        context = text[max(0, start - 12):min(len(text), end + 12)].replace("\n", " ")
        damages.append(Damage(original=_visible(text[start:end]), context=_visible(context), line=line))
        pieces.append(text[last:start])
        pieces.append(DAMAGE_MARK)
        last = end
    pieces.append(text[last:])
    return "".join(pieces), damages


def _visible(text: str) -> str:
    """Control characters as their Unicode pictures (NUL as ␀): shown, and storable anywhere."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: chr(0x2400 + ord(m.group())) if m.group() != "\x7f" else "\u2421", text)


def _damage_spans(text: str) -> list[tuple[int, int]]:
    clusters: list[list] = []   # [start, end, has a strong sign]
    for match in _DAMAGE_SEED.finditer(text):
        start, end = match.span()
        strong = match.lastgroup == "strong"
        last = clusters[-1] if clusters else None
        if last and start - last[1] <= _SEED_GAP and "\n" not in text[last[1]:start]:
            last[1], last[2] = end, last[2] or strong
        else:
            clusters.append([start, end, strong])
    spans = []
    for start, end, strong in clusters:
        if not strong:
            continue
        tail = _MISALIGNED_TAIL.match(text, end)
        spans.append((start, tail.end() if tail else end))
    return spans


def clean_text(text: str) -> str:
    """Every rule that does not need to know the document's structure, in order."""
    text = normalise_layout(text)
    text = remove_template_debris(text)
    text = remove_glued_pinyin(text)
    text = remove_site_chrome(text)
    text = join_spaced_numbers(text)
    text = tighten_cjk_spacing(text)
    return "\n".join(line.rstrip() for line in text.split("\n"))
