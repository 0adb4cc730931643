"""Find the headings of a report's body and nest them.

Reports number their headings in many styles (``一、`` ``（一）`` ``1.`` ``(1)``
``Ii.``), use the same styles for plain list items, run a heading into its
paragraph (``1.坚定不移坚持党的领导: 河北省医学会...``), or set short headings
on lines of their own with no number at all. The rules, in order:

1. Every numbered line takes a depth from the order in which styles open
   (a style seen before closes everything opened after it), as a reader does.
2. A numbered line can be a heading if it is short and not a sentence, or if
   a short lead-in ends with a colon. Siblings decide together: when most of
   a run of siblings are sentences, the run is a list, not a set of headings.
3. A short line on its own without a number, without a full stop, followed by
   text, is a heading too (the Tianjin and Haidian reports). A date alone on a
   line is never a heading, nor is the signature above it.
4. A heading's level counts only the headings above it.
5. At most ``max_sections`` sections: a text whose "headings" run into the
   thousands is a list (a line per item, each numbered or short), not a
   structure, and a contents list of thousands of entries helps no reader. So
   the deepest level of headings goes back to being paragraphs of the section
   above it, then the next deepest, until the sections fit; nothing of the text
   is lost, and the caller says so in a warning.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from reports.ingest.clean import HAN, SENTENCE_END
from reports.ingest.dates import looks_like_standalone_date
from reports.ingest.numbering import Numbering, numbering_of

_MAX_CJK_HEADING = 40
_MAX_LATIN_HEADING = 200
_MAX_STANDALONE_HEADING = 20
_MAX_RUN_IN_LEAD = 30
_RUN_IN = re.compile(r"^(?P<lead>[^。；;:：]{2,%d}?)\s*[:：]\s*(?P<text>\S.*)$" % _MAX_RUN_IN_LEAD, re.S)
_PLAIN = "plain"


@dataclass
class Section:
    level: int
    heading: str
    anchor: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class _Block:
    text: str
    numbering: Numbering | None = None
    candidate: str | None = None      # "short", "run-in" or "standalone" when it may be a heading
    group: int | None = None
    ancestors: list[int] = field(default_factory=list)
    is_heading: bool = False


@dataclass
class FoundSections:
    sections: list[Section]
    demoted: int = 0      # headings kept as paragraphs to stay within max_sections


def split_sections(paragraphs: list[str]) -> list[Section]:
    """The body's paragraphs, grouped under their headings; text before the first heading is level 0."""
    return find_sections(paragraphs).sections


def find_sections(paragraphs: list[str], *, max_sections: int | None = None) -> FoundSections:
    """:func:`split_sections`, at most ``max_sections`` of them (rule 5), saying how many headings it demoted."""
    blocks = [_Block(p) for p in _split_glued_headings([p.strip() for p in paragraphs if p.strip()])]
    for index, block in enumerate(blocks):
        block.numbering = numbering_of(block.text)
        following = blocks[index + 1].text if index + 1 < len(blocks) else None
        block.candidate = _candidate(block, following)
    _nest(blocks)
    _decide_groups(blocks)
    demoted = _demote_deepest(blocks, max_sections) if max_sections is not None else 0
    return FoundSections(_assemble(blocks), demoted)


def _demote_deepest(blocks: list[_Block], max_sections: int) -> int:
    """Turn the deepest level of headings back into paragraphs until there are ``max_sections``; how many went."""
    demoted = 0
    while True:
        levels = _heading_levels(blocks)
        opening = 1 if blocks and not blocks[0].is_heading else 0   # text before the first heading
        if len(levels) + opening <= max_sections or not levels:
            return demoted
        deepest = max(levels.values())
        for index, level in levels.items():
            if level == deepest:
                blocks[index].is_heading = False
                demoted += 1


def _heading_levels(blocks: list[_Block]) -> dict[int, int]:
    """Each heading's level, by its block's index (rule 4)."""
    return {index: 1 + sum(1 for i in block.ancestors if blocks[i].is_heading)
            for index, block in enumerate(blocks) if block.is_heading}


def _candidate(block: _Block, following: str | None) -> str | None:
    if block.numbering is None:
        return "standalone" if _is_standalone_heading(block.text, following) else None
    rest = block.numbering.rest.strip()
    if not re.search(f"[{HAN}]", rest):
        too_long = len(rest) > _MAX_LATIN_HEADING
        return None if too_long or rest[-1] in ".;:!?," else "short"
    inner = rest[:-1]
    if len(rest) <= _MAX_CJK_HEADING and not re.search(r"[。；;！？]", inner) and rest[-1] not in "，,；;：:、":
        # Top-level "一、" headings often end with a full stop; list items of other styles are sentences.
        if rest[-1] not in SENTENCE_END or block.numbering.style == "cn、":
            return "short"
    if _RUN_IN.match(rest):
        return "run-in"
    return None


def _is_standalone_heading(text: str, following: str | None) -> bool:
    if following is None or len(text) > _MAX_STANDALONE_HEADING:
        return False
    if looks_like_standalone_date(text) or looks_like_standalone_date(following):
        return False
    if not re.search(f"[{HAN}]", text) or text[0] in "(（[【“\"《-—":
        return False
    return not re.search(r"[。；;！？!?:：]", text) and text[-1] not in "，,、"


def _nest(blocks: list[_Block]) -> None:
    """Give every numbered or stand-alone block a group of siblings and its chain of ancestors."""
    stack: list[tuple[str, int, int, int]] = []   # (style, group, last value, block index)
    next_group = 0
    for index, block in enumerate(blocks):
        style = _style(block)
        if style is None:
            continue
        value = block.numbering.value if block.numbering else 0
        styles = [entry[0] for entry in stack]
        if style == "I." and style not in styles:
            # "1. ... Ii. ... Iii.": a Roman count that goes on from an Arabic one is the same count.
            for position, (other, group, last, at) in enumerate(stack):
                if other == "1." and last == value - 1:
                    stack[position] = ("I.", group, last, at)
                    styles[position] = "I."
                    break
        if style in styles:
            position = styles.index(style)
            group = stack[position][1]
            del stack[position:]
        else:
            group = next_group
            next_group += 1
        block.group = group
        block.ancestors = [entry[3] for entry in stack]
        stack.append((style, group, value, index))


def _style(block: _Block) -> str | None:
    if block.numbering:
        return block.numbering.style
    return _PLAIN if block.candidate == "standalone" else None


def _decide_groups(blocks: list[_Block]) -> None:
    members: dict[int, list[_Block]] = {}
    for block in blocks:
        if block.group is not None:
            members.setdefault(block.group, []).append(block)
    for group in members.values():
        qualifying = [b for b in group if b.candidate]
        if 2 * len(qualifying) >= len(group):
            for block in qualifying:
                block.is_heading = True


def _assemble(blocks: list[_Block]) -> list[Section]:
    sections: list[Section] = []
    counters: list[int] = []
    levels = _heading_levels(blocks)
    for index, block in enumerate(blocks):
        if not block.is_heading:
            if not sections:
                sections.append(Section(level=0, heading="", anchor="intro"))
            sections[-1].paragraphs.append(block.text)
            continue
        level = levels[index]
        del counters[level:]
        counters.extend([0] * (level - len(counters)))
        counters[level - 1] += 1
        heading, text = _heading_and_text(block)
        section = Section(level=level, heading=heading, anchor="s" + "-".join(map(str, counters)))
        if text:
            section.paragraphs.append(text)
        sections.append(section)
    return sections


def _heading_and_text(block: _Block) -> tuple[str, str]:
    if block.numbering is None:
        return block.text, ""
    # "4 . 做好..." is written "4.做好..." by its siblings: drop the converter's spaces in the number.
    prefix = re.sub(r"\s+", "", block.numbering.prefix)
    rest = block.numbering.rest.strip()
    if re.match(r"[A-Za-z]", rest) and prefix[-1] in ".)）":
        prefix += " "
    if block.candidate == "run-in":
        match = _RUN_IN.match(rest)
        return prefix + match.group("lead").strip(), match.group("text").strip()
    return prefix + rest, ""


def _split_glued_headings(paragraphs: list[str]) -> list[str]:
    """Undo two ways a heading gets glued to its neighbour when a page is copied as text."""
    return _split_glued_standalone(_split_glued_arabic(paragraphs))


_GLUED_ARABIC = re.compile(r"(?<=[.;!?])\s+(\d{1,2})\.\s*(?=[A-Z])")


def _split_glued_arabic(paragraphs: list[str]) -> list[str]:
    """``...among the masses. 2. Building organizations``: the next number of a count, after a sentence."""
    result: list[str] = []
    last_value = 0
    for paragraph in paragraphs:
        numbering = numbering_of(paragraph)
        if numbering and numbering.style == "1.":
            last_value = numbering.value
        match = _GLUED_ARABIC.search(paragraph)
        if match and last_value and int(match.group(1)) == last_value + 1:
            result.extend([paragraph[: match.start()].rstrip(), paragraph[match.start():].strip()])
            last_value += 1
        else:
            result.append(paragraph)
    return result


_SPACED_HEADING = re.compile(rf"^([{HAN}]{{2,4}}) ([{HAN}]{{4,12}})$")


def _split_glued_standalone(paragraphs: list[str]) -> list[str]:
    """``聚合力 步調一致共謀發展近年來,...``: a heading of the same shape as the report's others, run into text."""
    shapes = Counter((len(m.group(1)), len(m.group(2))) for p in paragraphs if (m := _SPACED_HEADING.match(p)))
    repeated = [shape for shape, count in shapes.items() if count >= 2]
    if not repeated:
        return paragraphs
    result: list[str] = []
    for paragraph in paragraphs:
        for first, second in repeated:
            glued = re.match(rf"^([{HAN}]{{{first}}} [{HAN}]{{{second}}})(?=[{HAN}].*[，,。])", paragraph)
            if glued:
                result.extend([glued.group(1), paragraph[glued.end():]])
                break
        else:
            result.append(paragraph)
    return result
