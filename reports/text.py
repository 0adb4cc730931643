"""Script conversion shared by parsing, search and display; text made fit for XML.

OpenCC converters are costly to build and safe to reuse, so each is made once.
"""

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

import opencc


@lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def load_converters() -> None:
    """Build both converters now (some 20 ms each) rather than on first use."""
    for config in ("t2s", "s2t"):
        _converter(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text) if text else text


def to_traditional(text: str) -> str:
    """Standard (OpenCC) Traditional forms, as a reader choosing 繁體 expects."""
    return _converter("s2t").convert(text) if text else text


_CONVERTERS = {"hans": to_simplified, "hant": to_traditional}

# What XML 1.0 cannot carry: C0 controls but tab and line ends, lone surrogates, U+FFFE/FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` with what XML cannot carry as U+FFFD, the archive's mark for damaged text.

    Ingest marks control characters as damage, but a title pasted into the admin from
    a word processor brings its line breaks (U+000B) along; an XML document (the OAI
    records, the Atom feed) shows them as damage rather than failing whole.
    """
    return _NOT_XML.sub("\ufffd", text)


def convert_script(text: str, script: str | None) -> str:
    """Show ``text`` in ``script`` ('hans' or 'hant'); anything else leaves it as written."""
    convert = _CONVERTERS.get(script)
    return convert(text) if convert is not None else text


def convert_with_map(text: str, convert) -> tuple[str, list[int]]:
    """Convert ``text``; return the result and, per output character, its input index.

    OpenCC converts phrases as well as characters and is not always
    length-preserving. When the whole text keeps its length the map is 1:1; when it
    does not, halve the text until the pieces do (or are single characters), which
    keeps as much phrase context as the map allows.
    """
    converted = convert(text)
    if len(converted) == len(text):
        return converted, list(range(len(text)))
    if len(text) == 1:
        return converted, [0] * len(converted)
    middle = len(text) // 2
    left, left_map = convert_with_map(text[:middle], convert)
    right, right_map = convert_with_map(text[middle:], convert)
    return left + right, left_map + [middle + index for index in right_map]


def converted_by_halves(text: str, convert) -> str:
    """:func:`convert_with_map` without the map (the same halving, so the same text)."""
    converted = convert(text)
    if len(converted) == len(text) or len(text) == 1:
        return converted
    middle = len(text) // 2
    return converted_by_halves(text[:middle], convert) + converted_by_halves(text[middle:], convert)


@dataclass(frozen=True)
class ConvertedText:
    """A text shown in a script, with where each of its characters came from."""

    text: str
    sources: tuple[int, ...]   # per character of ``text``, the index of the original character

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where original characters ``start:end`` are in the converted text.

        The sources never decrease, so this is every converted character that came
        from one of them: a character that became two is marked whole.
        """
        return bisect_left(self.sources, start), bisect_left(self.sources, end)


def convert_script_mapped(text: str, script: str | None) -> ConvertedText:
    """:func:`convert_script` with a map back to ``text``, for marks made on the text as written."""
    convert = _CONVERTERS.get(script)
    if convert is None or not text:
        return ConvertedText(text, tuple(range(len(text))))
    converted, sources = convert_with_map(text, convert)
    return ConvertedText(converted, tuple(sources))


def script_key(text: str) -> str:
    """One spelling for comparing names across scripts and widths: NFKC, Simplified, case-folded."""
    return to_simplified(unicodedata.normalize("NFKC", text)).casefold().strip()


# A word, as word processors count them: a run without spaces that holds a letter or digit.
_WORD = re.compile(r"\S*[^\W_]\S*")
_SPACE = re.compile(r"\s")


def text_counts(text: str) -> tuple[int, int]:
    """Words (runs of non-space holding a letter or digit) and characters (spaces and
    line breaks aside): how English and Chinese readers count a text's length."""
    return len(_WORD.findall(text)), len(text) - len(_SPACE.findall(text))
