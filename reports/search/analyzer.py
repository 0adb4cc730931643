"""The one analyzer: how text becomes search tokens, at index time and at query time.

Steps, each keeping a map from the text it produces back to the text as written,
so that highlights land on the right characters of the original:

1. Unicode NFKC (full-width Latin and digits become ASCII, compatibility ideographs
   become the unified ones).
2. OpenCC Traditional-to-Simplified, so 醫學會, 医学会 and 醫学会 give the same tokens.
3. Tokens: a run of Han characters becomes overlapping two-character pieces, and
   its last character also stands alone (so a run of one character stays one
   piece, and every character of a text begins some token: a one-character query
   is a cheap prefix look-up, never a scan of every term); a run of letters is
   one word, lower-cased and, if English, stemmed by the Snowball English
   stemmer (cooperated, cooperates -> cooper); a run of digits is one token. Everything else,
   including U+FFFD (the mark the cleaner leaves on damaged text), only separates
   tokens and is never indexed. A Latin word glued to Han (CT医) is its own token,
   so ``ct`` never matches the letters inside ``district``.

Positions count characters within a Han run (the piece starting at each
character; the lone last character at the last) and tokens elsewhere, so a
several-character query can be matched as a phrase of adjacent pieces.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from whoosh.analysis import Token, Tokenizer

from reports.text import convert_with_map, converted_by_halves, to_simplified

# Han ideographs (basic block, extension A, compatibility, extensions B and on)
# plus the iteration mark 々 and the ideographic zero 〇.
HAN_CLASS = "\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
# Han first, then digits, then words (runs of letters that are not Han); anything else separates.
_PIECES = re.compile(rf"(?P<han>[{HAN_CLASS}]+)|(?P<digits>\d+)|(?P<word>(?:(?![{HAN_CLASS}])[^\W\d_])+)")
_ASCII_WORD = re.compile(r"[a-z]+")

HAN = "han"
WORD = "word"
DIGITS = "digits"


@dataclass(frozen=True)
class NormalizedText:
    """Text after NFKC and t2s, with each character's span in the original."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original characters behind normalized characters ``start:end``."""
        return self.starts[start], self.ends[end - 1]


@dataclass(frozen=True)
class AnalyzedToken:
    text: str                 # what is indexed and searched for
    kind: str                 # HAN, WORD or DIGITS
    position: int
    start: int                # span in the original text
    end: int
    # Original span of each normalized character, so a highlight can mark one
    # character of a two-character piece.
    char_spans: tuple[tuple[int, int], ...] = ()
    run_length: int = 0       # for Han tokens, the length of the run they come from


# ASCII and the unified ideographs never change under NFKC: runs of them are copied
# as they are, which is most of any report, instead of character by character.
_NFKC_STABLE = re.compile("[\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]+")


def _nfkc_with_map(text: str) -> tuple[str, list[int], list[int]]:
    # Normalise one base character with its combining marks at a time: that is
    # where NFKC can change length (ﬁ -> fi, ㈠ -> (一)), and every output
    # character can point back to the characters it came from.
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        stable = _NFKC_STABLE.match(text, i)
        if stable:
            j = stable.end()
            if j < n and unicodedata.combining(text[j]):
                j -= 1   # the last character composes with the mark after it
            if j > i:
                out.append(text[i:j])
                starts.extend(range(i, j))
                ends.extend(range(i + 1, j + 1))
                i = j
                continue
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        chunk = text[i:j]
        normal = chunk if chunk.isascii() else unicodedata.normalize("NFKC", chunk)
        out.append(normal)
        starts.extend([i] * len(normal))
        ends.extend([j] * len(normal))
        i = j
    return "".join(out), starts, ends


def normalize(text: str, *, convert=to_simplified) -> NormalizedText:
    """NFKC then Traditional-to-Simplified, keeping a map to the original text."""
    nfkc, starts, ends = _nfkc_with_map(text)
    pieces: list[str] = []
    index_map: list[int] = []
    last = 0
    # Only Han runs go through OpenCC: it never needs to touch Latin or digits.
    for match in _HAN_RUN.finditer(nfkc):
        pieces.append(nfkc[last:match.start()])
        index_map.extend(range(last, match.start()))
        converted, run_map = convert_with_map(match.group(), convert)
        pieces.append(converted)
        index_map.extend(match.start() + index for index in run_map)
        last = match.end()
    pieces.append(nfkc[last:])
    index_map.extend(range(last, len(nfkc)))
    return NormalizedText(
        "".join(pieces),
        tuple(starts[i] for i in index_map),
        tuple(ends[i] for i in index_map),
    )


# Characters that neither compose with a neighbour nor reorder across one under
# NFKC (no combining marks, no Hangul or kana, no ccc-0 vowel signs): for a text
# made only of them, normalising it whole gives what normalising it one character
# (with its marks) at a time gives, which is what ``normalize`` does.
_NFKC_WHOLE_SAFE = re.compile(
    "[\x00-\xff\u2000-\u206f\u3000-\u3029\u3030-\u303f\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff01-\uff5e\uffe0-\uffe6\U00020000-\U0003134f]*"
)


def normalized_text(text: str, *, convert=to_simplified) -> str:
    """The text every token is made from (NFKC, Simplified), without the offset map.

    The same text as ``normalize(text).text``, several times faster: indexing
    needs no offsets, and almost every report takes the whole-text path.
    """
    if not text:
        return text
    if _NFKC_WHOLE_SAFE.fullmatch(text) is None:
        return normalize(text, convert=convert).text
    nfkc = unicodedata.normalize("NFKC", text)
    return _HAN_RUN.sub(lambda match: converted_by_halves(match.group(), convert), nfkc)


# Which stemmer made an index's English terms; the index records it (see
# CrossScriptTokenizer) and one made by another is refused until rebuilt, since its
# terms would not meet the queries' (Whoosh's Porter stemmer made cooperat of
# cooperated but cooper of cooperate). PyStemmer's version names the Snowball
# algorithms it compiles in, so an upgrade that may change stems asks for a rebuild.
STEMMER = f"snowball-english/pystemmer-{Stemmer.version()}"
# A PyStemmer stemmer must not be used by two threads at once: one per thread.
_stemmers = threading.local()


def _english_stem(word: str) -> str:
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = Stemmer.Stemmer("english", 0)   # our own cache is below
    return stemmer.stemWord(word)


@lru_cache(maxsize=4096)
def stem_word(word: str) -> str:
    """Lower-case, and stem English words (inspections and inspection meet)."""
    word = word.lower()
    return _english_stem(word) if _ASCII_WORD.fullmatch(word) else word


def engine_text(text: str) -> str:
    """What an engine that tokenizes by itself (Elasticsearch) is given for ``text``:
    this analyzer's pieces of the normalised text (Han runs, digit runs, words as
    their terms: lower-cased, stemmed), one space between each.

    Its English terms are then this analyzer's, not those of its own stemmer, and
    the pieces are split where this analyzer splits them: Elasticsearch's tokenizer
    alone would keep covid19, don't or u.s whole. The pieces keep their order, and
    Han runs stay runs, so phrases and two-character pieces still work.
    """
    return " ".join(
        stem_word(match.group()) if match.lastgroup == "word" else match.group()
        for match in _PIECES.finditer(normalized_text(text))
    )


def tokens_of(normalized: NormalizedText) -> list[AnalyzedToken]:
    tokens: list[AnalyzedToken] = []
    position = 0
    text = normalized.text
    span = normalized.original_span
    for match in _PIECES.finditer(text):
        start, end = match.span()
        if match.lastgroup == "han":
            length = end - start
            spans = tuple(span(i, i + 1) for i in range(start, end))
            for i in range(length - 1):
                pair = spans[i:i + 2]
                tokens.append(AnalyzedToken(
                    text[start + i:start + i + 2], HAN, position, pair[0][0], pair[1][1],
                    char_spans=pair, run_length=length,
                ))
                position += 1
            tokens.append(AnalyzedToken(
                text[end - 1], HAN, position, *spans[-1], char_spans=spans[-1:], run_length=length,
            ))
            position += 1
        else:
            kind = WORD if match.lastgroup == "word" else DIGITS
            value = stem_word(match.group()) if kind == WORD else match.group()
            tokens.append(AnalyzedToken(value, kind, position, *span(start, end)))
            position += 1
    return tokens


def index_terms(text: str) -> list[str]:
    """The texts of ``analyze(text)``'s tokens, in position order, made without offsets.

    What the index writer needs (a term per position) and nothing more: no
    per-character spans and no token objects, which are most of what
    :func:`analyze` costs. Tests hold the two to the same output.
    """
    terms: list[str] = []
    append = terms.append
    for match in _PIECES.finditer(normalized_text(text)):
        piece = match.group()
        kind = match.lastgroup
        if kind == "han":
            terms.extend([piece[i:i + 2] for i in range(len(piece) - 1)])
            append(piece[-1])
        elif kind == "word":
            append(stem_word(piece))
        else:
            append(piece)
    return terms


def analyze(text: str) -> tuple[AnalyzedToken, ...]:
    """The tokens of ``text``, with spans in ``text`` as written."""
    if not text:
        return ()
    return tuple(tokens_of(normalize(text)))


class CrossScriptTokenizer(Tokenizer):
    """Whoosh face of :func:`analyze`: one analyzer for the index and the queries.

    Whoosh pickles it into the index's schema, with the name of the stemmer that
    made the index's terms (:data:`STEMMER`), which tells an index whose terms came
    from another stemmer (``reports.search.backend``). Nothing else is kept: OpenCC
    converters and stemmers are cached module-wide.
    """

    def __init__(self):
        # An instance attribute, not a class one: an index pickled before it existed
        # must read back without it.
        self.stemmer = STEMMER

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __hash__(self):
        return hash(self.__class__)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # Whoosh asks for the whole value as one term (e.g. for a term query).
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        if not chars and not keeporiginal:
            # Indexing: Whoosh wants each term and its position only.
            for position, term in enumerate(index_terms(value), start_pos):
                token.text = term
                token.boost = 1.0
                token.stopped = False
                token.pos = position
                yield token
            return
        for analyzed in analyze(value):
            token.text = analyzed.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[analyzed.start:analyzed.end]
            if positions:
                token.pos = start_pos + analyzed.position
            if chars:
                token.startchar = start_char + analyzed.start
                token.endchar = start_char + analyzed.end
            yield token


def CrossScriptAnalyzer() -> CrossScriptTokenizer:  # noqa: N802 (named like Whoosh's analyzers)
    return CrossScriptTokenizer()
