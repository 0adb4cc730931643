"""Two readings against one, character by character, on each line of a page.

The first model's line is the text; the second and third models' readings of
the same line are aligned to it (edit distance, compared in Simplified with
widths and bracket shapes folded, so that a Traditional and a Simplified model
can agree). Where the other two read the same character in place of the
first's, or the same mark the first left out (a comma), theirs stands.
Where they differ from each other, or from the line's length in a way no
character-for-character alignment explains, the first's reading stands.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from functools import cache

from rapidfuzz.distance import Levenshtein

from reports.ingest.extract.ocr.tesseract import Word
from reports.text import to_simplified

# At most this many characters together the first reading left out (or read where the other two
# read nothing) are put in (or taken out) where the other two agree: more is a line cut differently.
_MOST_ADDED = 2

Line = list[int]   # indices of the first reading's words on one line, in reading order


def outvoted(words: list[Word], seconds: list[Word], thirds: list[Word]) -> list[Word]:
    """``words`` with each character the second and third readings agree against changed to theirs.

    A line either other model read nothing on is left as it is: silence is no vote. A word the
    vote leaves empty (a stray mark the others did not see) is dropped.
    """
    out = list(words)
    for line in _lines(words):
        first = _text(words, line)
        second, third = _reading_of(words, line, seconds), _reading_of(words, line, thirds)
        if not (first and second and third) or folded(first) == folded(second):
            continue
        pieces = vote(first, second, third)
        if "".join(pieces) != first:
            _spread(out, line, pieces)
    return [word for word in out if word.text]


def vote(first: str, second: str, third: str) -> list[str]:
    """What is put in before the first character of ``first``, then what becomes of each character
    (with what is put in after it).

    ``"".join(vote(...))`` is the voted line; each piece stays with the character it stands for.
    """
    f = folded(first)
    at_second, gaps_second = _against(f, folded(second), second)
    at_third, gaps_third = _against(f, folded(third), third)

    def added(gap: int) -> str:
        two, three = gaps_second[gap], gaps_third[gap]
        return two if two and len(two) <= _MOST_ADDED and folded(two) == folded(three) else ""

    pieces = [added(0)]
    for i, char in enumerate(first):
        b, c = at_second[i], at_third[i]
        agreed = b is not None and c is not None and folded(b) == folded(c) != f[i]
        # What is put in after a character goes with it: "WHO," then "and", not "WHO" then ",and".
        pieces.append((b if agreed else char) + added(i + 1))
    return pieces


def _against(first: str, other_folded: str, other: str) -> tuple[list[str | None], list[str]]:
    """What ``other`` has in place of each character of ``first`` ("": nothing, None: no single
    character), and what it has that ``first`` lacks, before each of its characters and after the last."""
    at: list[str | None] = [None] * len(first)
    gaps = [""] * (len(first) + 1)
    for op in Levenshtein.opcodes(first, other_folded):
        length = op.src_end - op.src_start
        if op.tag == "equal" or (op.tag == "replace" and length == op.dest_end - op.dest_start):
            for k in range(length):
                at[op.src_start + k] = other[op.dest_start + k]
        elif op.tag == "insert":
            gaps[op.src_start] += other[op.dest_start:op.dest_end]
        elif op.tag == "delete" and length <= _MOST_ADDED and all(_is_mark(c) for c in first[op.src_start:op.src_end]):
            # Only marks are taken out: a character or a figure the first model read (a bold 四 the
            # other two cannot see, a 6 of 1860) is not dropped for their silence.
            for k in range(length):
                at[op.src_start + k] = ""
    return at, gaps


def folded(text: str) -> str:
    """The text as compared between models, one character for one: Simplified, half-width, one bracket shape."""
    return "".join(_folded_char(char) for char in text)


def shape_folded(text: str) -> str:
    """The text with only what print does not tell apart folded: widths and bracket shapes, not scripts."""
    return unicodedata.normalize("NFKC", text).translate(_BRACKETS)


@cache
def _folded_char(char: str) -> str:
    folded_char = to_simplified(shape_folded(char))
    return folded_char if len(folded_char) == 1 else char


_BRACKETS = str.maketrans("【〔［〖】〕］〗", "[[[[]]]]")


def _is_mark(char: str) -> bool:
    """Punctuation or a symbol (Unicode P* and S*), not a letter or a figure."""
    return unicodedata.category(char)[0] in "PS"


def _lines(words: list[Word]) -> list[Line]:
    lines: list[Line] = []
    for index, word in enumerate(words):
        if lines and words[lines[-1][0]].line_key == word.line_key:
            lines[-1].append(index)
        else:
            lines.append([index])
    return lines


def _text(words: list[Word], line: Line) -> str:
    return "".join(words[i].text for i in line)


def _reading_of(words: list[Word], line: Line, others: list[Word]) -> str:
    """The other reading's words standing on this line (their middles within its box), left to right."""
    top, bottom = min(words[i].top for i in line), max(words[i].bottom for i in line)
    left, right = min(words[i].left for i in line), max(words[i].right for i in line)
    slack = (bottom - top) // 2
    there = [o for o in others
             if top <= (o.top + o.bottom) / 2 <= bottom and left - slack <= (o.left + o.right) / 2 <= right + slack]
    return "".join(o.text for o in sorted(there, key=lambda o: o.left))


def _spread(out: list[Word], line: Line, pieces: list[str]) -> None:
    """Each word of the line takes the voted pieces of its characters (the first word, what was put in before it)."""
    start = 1
    for position, i in enumerate(line):
        stop = start + len(out[i].text)
        out[i] = replace(out[i], text=(pieces[0] if position == 0 else "") + "".join(pieces[start:stop]))
        start = stop
