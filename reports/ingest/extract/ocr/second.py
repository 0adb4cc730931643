"""Other models' opinions of a Chinese page: misreadings outvoted, unsure words settled.

Debian's Chinese language models (``chi_sim``, ``chi_tra``) are fast models
with their own blind spots (藥 read as 爍, a comma left out), and their
confidence in a word says little on its own: measured on ``bench/ocr.py``'s
pages, most words read below confidence 20 were read right (``97.5%。``,
``〔2025〕``). Two other networks read the page too, side by side: the script
model of the same script (``HanS``, ``HanT``: trained on every language
written in it) and the other script's language model, which reads this
script's print as its own (the vote compares the readings in Simplified). Where the two others agree against the first, character by
character, they win (``vote.py``). A word still unsure is kept if another
model read it alike, replaced if the script model read it surely, and marked
otherwise. What remains is where two of the three misread alike.
"""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import cache

from PIL import Image

from reports.ingest.clean import HAN
from reports.ingest.errors import IngestError
from reports.ingest.extract.ocr import tesseract
from reports.ingest.extract.ocr.layout import UNSURE_BELOW
from reports.ingest.extract.ocr.tesseract import Word
from reports.ingest.extract.ocr.vote import outvoted, shape_folded
from reports.text import to_simplified, to_traditional

# The second model of each language: the script model of the same script.
SECOND_MODELS = {"zh-Hans": "HanS", "zh-Hant": "HanT"}
# The third: the other script's language model, which reads this script's print as its own
# script (the vote compares the readings in Simplified; an unsure word is settled in the page's
# script, the third reading converted into it).
THIRD_MODELS = {"zh-Hans": "chi_tra", "zh-Hant": "chi_sim"}
# A second reading this sure settles an unsure word.
SURE_AT = 60
# The other model's words must cover this share of the word's width, so that a
# comma read beside a word does not stand for the whole word.
_COVER = 0.7


def second_opinion(image: Image.Image, words: list[Word], *, language: str, psm: int = 6) -> list[Word]:
    """``words`` with the places the models read differently settled (see the module's text).

    The other readings are opinions: if either cannot be had (a model missing, Tesseract failing
    on it), the page is as the first model read it, unsure words marked.
    """
    second, third = SECOND_MODELS.get(language), THIRD_MODELS.get(language)
    models = installed_models()
    if second not in models or third not in models:
        return words
    # Both read side by side: nearly every page has a place the first two read differently, and a
    # page read alone (the first of a file, or a file of one page) is then done sooner.
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            readings = [pool.submit(tesseract.read_words, image, model=model, psm=psm) for model in (second, third)]
            seconds, thirds = (reading.result() for reading in readings)
    except IngestError:
        return words
    words = outvoted(words, seconds, thirds)
    if all(w.confidence >= UNSURE_BELOW for w in words):
        return words
    in_script = to_traditional if language == "zh-Hant" else to_simplified
    thirds = [replace(w, text=in_script(w.text)) for w in thirds]
    unsure = [placed(words, readings) for readings in (seconds, thirds)]
    return [settled(w, s, t) if w.confidence < UNSURE_BELOW else w for w, s, t in zip(words, *unsure)]


def settled(word: Word, second: Word | None, third: Word | None = None) -> Word:
    """An unsure word, as the second and third readings of its place (None: nothing read there) settle it.

    The third reading comes converted into the page's script (OpenCC, phrase by phrase): a
    Simplified reading of 复杂 agrees with 複雜, not with the 復雜 of a misreading.
    """
    if any(other is not None and same(other.text, word.text) for other in (second, third)):
        # Another network read the same: a low confidence was the first one's doubt, not a misreading.
        return replace(word, confidence=UNSURE_BELOW)
    if second is not None and second.confidence >= SURE_AT and _han_count(second.text) == _han_count(word.text):
        # As many characters as the first read there: a sure reading of part of the word is not the word.
        return replace(word, text=second.text, confidence=second.confidence)
    return word


def _han_count(text: str) -> int:
    return len(_HAN.findall(text))


_HAN = re.compile(f"[{HAN}]")


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
    """The two readings are the same text in the same script, but for widths and bracket shapes,
    a doubled bracket too (``[2025】〕``)."""
    return _DOUBLED_BRACKET.sub(r"\1", shape_folded(a)) == _DOUBLED_BRACKET.sub(r"\1", shape_folded(b))


_DOUBLED_BRACKET = re.compile(r"([\[\]])\1+")


@cache
def installed_models() -> frozenset[str]:
    """The models this machine's Tesseract has (``tesseract --list-langs``)."""
    try:
        done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in done.stdout.decode("utf-8", "replace").splitlines()[1:] if line.strip())
