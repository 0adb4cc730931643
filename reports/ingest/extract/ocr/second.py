"""A second model's opinion on the words the first one was unsure of.

Tesseract's confidence in a word says little on its own: measured on
``bench/ocr.py``'s pages, most words Debian's language models read below
confidence 20 were read right (``97.5%。``, ``〔2025〕``, a comma), and each
would be marked as damaged. The script models (``HanS``, ``HanT``: trained on
every language written in that script, a different network) misread other
places than the language models do. Where the second model reads the unsure
word's place surely, its reading stands; where it is unsure too, the word
stays marked. Two models agreeing by chance on a wrong reading, both sure,
is what remains.
"""

from __future__ import annotations

from dataclasses import replace
import re
import subprocess
import unicodedata
from functools import cache

from PIL import Image

from reports.ingest.extract.ocr import tesseract
from reports.ingest.extract.ocr.layout import UNSURE_BELOW
from reports.ingest.extract.ocr.tesseract import Word
from reports.text import to_simplified

# The second model of each language: the script model of the same script.
SECOND_MODELS = {"zh-Hans": "HanS", "zh-Hant": "HanT"}
# A second reading this sure settles an unsure word.
SURE_AT = 60
# The other model's words must cover this share of the word's width, so that a
# comma read beside a word does not stand for the whole word.
_COVER = 0.7


def second_opinion(image: Image.Image, words: list[Word], *, language: str) -> list[Word]:
    """``words`` with the places the models read differently settled (see the module's text)."""
    second = SECOND_MODELS.get(language)
    if second not in installed_models() or all(w.confidence >= UNSURE_BELOW for w in words):
        return words
    seconds = placed(words, tesseract.read_words(image, model=second))
    return [settled(w, s) if w.confidence < UNSURE_BELOW else w for w, s in zip(words, seconds)]


def settled(word: Word, second: Word | None) -> Word:
    """An unsure word, as the second reading of its place (None: nothing read there) settles it."""
    if second is None:
        return word
    if second.confidence >= SURE_AT:
        return replace(word, text=second.text, confidence=second.confidence)
    if same(second.text, word.text):
        # Both unsure, and both read the same: two networks rarely agree on a misreading.
        return replace(word, confidence=UNSURE_BELOW)
    return word


def placed(words: list[Word], others: list[Word]) -> list[Word | None]:
    """For each word, the other reading of its place: its words there as one (the least confidence), or None."""
    at: list[list[Word]] = [[] for _ in words]
    for other in others:
        nearest = _nearest(other, words)
        if nearest is not None and _within(other, words[nearest]):
            at[nearest].append(other)
    readings: list[Word | None] = []
    for word, there in zip(words, at):
        if not there or max(o.right for o in there) - min(o.left for o in there) < _COVER * word.width:
            readings.append(None)
        else:
            readings.append(replace(word, text="".join(o.text for o in there), confidence=min(o.confidence for o in there)))
    return readings


def _nearest(other: Word, words: list[Word]) -> int | None:
    """The index of the word whose middle is nearest to ``other``'s, on its line (boxes may overlap)."""
    middle = (other.left + other.right) / 2
    same_line = [i for i, w in enumerate(words) if min(w.bottom, other.bottom) - max(w.top, other.top) > 0]
    return min(same_line, key=lambda i: abs((words[i].left + words[i].right) / 2 - middle), default=None)


def _within(other: Word, word: Word) -> bool:
    """``other`` stands inside ``word``'s box, on the same line (half its height of slack either side: the models draw boxes differently)."""
    slack = word.height / 2
    overlap = min(word.bottom, other.bottom) - max(word.top, other.top)
    return other.left >= word.left - slack and other.right <= word.right + slack and overlap > 0.5 * word.height


def same(a: str, b: str) -> bool:
    """The two readings are the same text: alike in Simplified, with the widths and bracket shapes models differ in folded."""
    return _folded(a) == _folded(b)


def _folded(text: str) -> str:
    text = to_simplified(unicodedata.normalize("NFKC", text)).translate(_BRACKETS)
    return re.sub(r"([\[\]])\1+", r"\1", text)


_BRACKETS = str.maketrans("【〔［〖】〕］〗", "[[[[]]]]")


@cache
def installed_models() -> frozenset[str]:
    """The models this machine's Tesseract has (``tesseract --list-langs``)."""
    try:
        done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in done.stdout.decode("utf-8", "replace").splitlines()[1:] if line.strip())
