"""Related reports: the few reports most alike a report in content, across scripts.

A report is described by its distinctive terms: the analyzer's own terms (two-
character pieces of Chinese folded to Simplified, stemmed English words), so a
Traditional report and a Simplified one meet on the same terms. Its most frequent
terms (``CANDIDATES`` of them; a term said once is not what a report is about)
are weighed by tf-idf against the index, the ``TERMS`` best kept, and the index
is asked for the reports that hold them (:func:`reports.search.similar_reports`).
The reason shown for each is the terms it shares, each grown in the report's own
text as far as the other report has the same characters (院党 -> 医院党建): words,
as the report writes them, rather than two-character pieces.

Everything is read from the live index at request time, so a report added or
removed is found or gone at once, and a report is never related to itself.
Only the first ``text_chars`` characters of a very long report are read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from math import log

from whoosh.analysis import STOP_WORDS

from reports.models import Report, Section
from reports.search import (
    HAN_CLASS,
    NormalizedText,
    index_terms,
    normalize,
    section_frequencies,
    similar_reports,
)
from reports.text import script_key

SHOWN = 5               # related reports shown with a report
CANDIDATES = 100        # the report's most frequent terms, weighed against the index
TERMS = 25              # the distinctive ones asked for
MIN_SHARED = 3          # fewer shared terms than this is chance, not likeness
REASONS = 4             # words shown as the reason
GROW_MOST = 6           # characters a shared word may grow to: a term (河北省医学会), not a sentence
# Characters that join words rather than make them: a grown word does not start or end with one.
JOINERS = "的了在等和与及是对为将把被也都而之其或并从以于"
GROW_TRIES = 3          # occurrences of a term tried in each section
_HAN_PAIR = re.compile(f"[{HAN_CLASS}]{{2}}")
_HAN_CHAR = re.compile(f"[{HAN_CLASS}]")
_WORD = re.compile(r"[a-z]{3,}")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Related:
    report: Report
    score: float
    shared: list[str]       # the words both hold, as the asked-about report writes them


def related_reports(*, report: Report, limit: int, text_chars: int) -> list[Related]:
    """Up to ``limit`` reports most alike ``report``, best first."""
    texts = _texts(report, text_chars)
    counts, section_counts = _term_counts(texts)
    candidates = [term for term, count in counts.most_common(CANDIDATES) if count > 1] or \
        [term for term, _ in counts.most_common(CANDIDATES)]
    statistics = section_frequencies(candidates)
    if statistics is None or not candidates:
        return []
    sections, frequencies = statistics
    weights = {}
    for term, frequency in zip(candidates, frequencies.tolist()):
        elsewhere = frequency - section_counts[term]     # the report's own sections do not count
        if elsewhere > 0:
            weights[term] = (1 + log(counts[term])) * log((sections + 1) / (elsewhere + 1))
    chosen = dict(sorted(weights.items(), key=lambda item: -item[1])[:TERMS])
    found = similar_reports(chosen, exclude=report.pk, limit=limit, min_shared=MIN_SHARED)
    ids = [similar.report for similar in found]
    reports = Report.objects.select_related("association").in_bulk(ids)
    others = _normalized_texts(ids, text_chars)
    normals = [_folded_with_map(text) for text in texts] if found else []
    return [Related(reports[similar.report], similar.score,
                    shared_words(normals, others.get(similar.report, ""), similar.shared, limit=REASONS))
            for similar in found if similar.report in reports]


def _texts(report: Report | int, text_chars: int) -> list[str]:
    """The report's sections as the index reads them, up to ``text_chars`` characters in all."""
    texts, left = [], text_chars
    # Fetched a few sections at a time: of a long report only the first are read.
    for section in Section.objects.filter(report=report).order_by("order").only("heading", "text").iterator(chunk_size=20):
        if left <= 0:
            break
        text = section.indexed_text[:left]
        texts.append(text)
        left -= len(text)
    return texts


def _normalized_texts(report_ids: list[int], text_chars: int) -> dict[int, str]:
    """Each report's text in one script and form (``script_key``), up to ``text_chars``:
    of a long report only its first sections are read."""
    return {report_id: script_key("\n".join(_texts(report_id, text_chars))[:text_chars]) for report_id in report_ids}


def _folded_with_map(text: str) -> tuple[str, NormalizedText]:
    """``text`` with its folded form and the way back to the characters as written.

    Folding the whole text in one conversion is many times faster than the
    analyzer's run by run, and gives the same characters at the same places
    whenever the length does not change (nearly always); otherwise the analyzer's
    own map is used."""
    folded = script_key(text)
    if len(folded) == len(text):
        return text, NormalizedText(folded, range(len(text)), range(1, len(text) + 1))
    return text, normalize(text)


def _term_counts(texts: list[str]) -> tuple[Counter, Counter]:
    """How often each telling term occurs, and in how many of the sections."""
    counts, section_counts = Counter(), Counter()
    stop = _stop_terms()
    for text in texts:
        terms = [term for term in index_terms(text)
                 if _HAN_PAIR.fullmatch(term) or (_WORD.fullmatch(term) and term not in stop)]
        counts.update(terms)
        section_counts.update(set(terms))
    return counts, section_counts


@cache
def _stop_terms() -> frozenset[str]:
    # English function words as the analyzer writes them (stemmed as it stems).
    return frozenset(index_terms(" ".join(STOP_WORDS)))


def shared_words(normals: list[tuple[str, NormalizedText]], other: str, terms: tuple[str, ...], *,
                 limit: int) -> list[str]:
    """What the shared terms stand for, as the report writes them: each Chinese piece
    grown, in the report's text, as far as the other report (``other``, normalised)
    has the same characters, up to ``GROW_MOST`` and not into a joining character
    (讨交 -> 研讨交流, 院党 -> 医院党建, not 的医院), each English stem
    shown as a word it came from; the most telling first, at most ``limit``."""
    shown: list[str] = []
    seen: set[str] = set()        # the pieces of the words shown, to leave out one mostly shown
    for term in terms:
        found = _grown(normals, other, term) if not term.isascii() else _english_word(normals, term)
        if found is None:
            continue
        key, written = found
        pieces = _pieces(key)
        if len(pieces & seen) * 2 > len(pieces):
            continue   # mostly a word already shown
        seen |= pieces
        shown.append(written)
        if len(shown) == limit:
            break
    return shown


def _pieces(word: str) -> set[str]:
    return {word[index:index + 2] for index in range(len(word) - 1)} or {word}


def _grown(normals, other: str, term: str) -> tuple[str, str] | None:
    """The longest stretch around the term's first occurrences that ``other`` holds too."""
    best = None
    for text, normal in normals:
        folded = normal.text
        start = folded.find(term)
        for _ in range(GROW_TRIES):
            if start < 0:
                break
            left, right = start, start + len(term)
            while left > 0 and right - left < GROW_MOST and _HAN_CHAR.match(folded[left - 1]) \
                    and folded[left - 1:right] in other:
                left -= 1
            while right < len(folded) and right - left < GROW_MOST and _HAN_CHAR.match(folded[right]) \
                    and folded[left:right + 1] in other:
                right += 1
            while right - left > 2 and folded[left] in JOINERS:
                left += 1
            while right - left > 2 and folded[right - 1] in JOINERS:
                right -= 1
            if best is None or right - left > len(best[0]):
                written_start, written_end = normal.original_span(left, right)
                best = (folded[left:right], text[written_start:written_end])
            start = folded.find(term, start + 1)
    if best is not None and (best[0][0] in JOINERS or best[0][-1] in JOINERS):
        return None   # a piece like 的基 or 出了: not a word to show
    return best


def _english_word(normals, term: str) -> tuple[str, str] | None:
    for text, normal in normals:
        for match in _LATIN_WORD.finditer(normal.text):
            terms = index_terms(match.group())
            if terms and terms[0] == term:
                written_start, written_end = normal.original_span(*match.span())
                return term, text[written_start:written_end]
    return None
