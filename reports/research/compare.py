"""Comparing two reports sentence by sentence: what is new, what is gone, what stayed.

Sentences are compared in one folded form (NFKC, Simplified, case and white space
ignored: :func:`reports.text.script_key`), so a sentence written in Traditional in one report and in Simplified in
the other counts as kept, and so does a sentence that only moved. Only the first ``max_chars`` characters of each report are compared, and
the comparison says so when a report is longer: a two-million-character report
must not hold a worker for minutes.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from reports.models import Report, Section
from reports.research.filters import ResearchError
from reports.text import script_key

ADDED, REMOVED, KEPT = "added", "removed", "kept"
CHANGES = (ADDED, REMOVED, KEPT)
# A sentence ends at a line break, at Chinese or English end punctuation (with the
# closing quotes or brackets after it), or at a full stop followed by a space.
_SENTENCE_END = re.compile(r"(?:[。！？!?；;…]+|\.(?=\s|$))[”’」』）)\]\"']*|\n")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Sentence:
    text: str                 # as written
    change: str               # added, removed or kept


@dataclass(frozen=True)
class Passage:
    """Sentences next to each other with the same change, in reading order."""

    change: str
    sentences: list[Sentence]


@dataclass
class Comparison:
    report: Report            # what is new is new in this one
    other: Report             # compared against this one
    sentences: list[Sentence] = field(default_factory=list)
    shortened: list[Report] = field(default_factory=list)   # only their first characters were compared

    @property
    def counts(self) -> dict[str, int]:
        """Sentences added, removed and kept."""
        counts = dict.fromkeys(CHANGES, 0)
        for sentence in self.sentences:
            counts[sentence.change] += 1
        return counts

    @property
    def passages(self) -> list[Passage]:
        passages: list[Passage] = []
        for sentence in self.sentences:
            if passages and passages[-1].change == sentence.change:
                passages[-1].sentences.append(sentence)
            else:
                passages.append(Passage(sentence.change, [sentence]))
        return passages


def compare_reports(*, report: Report, other: Report, max_chars: int) -> Comparison:
    """``report`` against ``other``: its new sentences are added, ``other``'s missing
    from it removed. Raises :class:`ResearchError` for a report compared with itself."""
    if report.pk == other.pk:
        raise ResearchError(_("A report cannot be compared with itself; choose another report."))
    comparison = Comparison(report, other)
    ours, shortened = _text(report, max_chars)
    theirs, other_shortened = _text(other, max_chars)
    comparison.shortened = [item for item, cut in ((report, shortened), (other, other_shortened)) if cut]
    comparison.sentences = diff(sentences_of(theirs), sentences_of(ours))
    return comparison


def _text(report: Report, max_chars: int) -> tuple[str, bool]:
    """The report's headings and text, one per line, up to ``max_chars``; and whether it was cut."""
    parts, length = [], 0
    for section in Section.objects.filter(report=report).order_by("order").only("heading", "text").iterator():
        parts.append(section.indexed_text)
        length += len(parts[-1]) + 1
        if length > max_chars:
            break
    text = "\n".join(parts) if parts else report.body
    return text[:max_chars], len(text) > max_chars


def sentences_of(text: str) -> list[str]:
    """The sentences of ``text``, as written, white space at their ends trimmed."""
    found, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        piece = text[start:end.end()].strip()
        if piece:
            found.append(piece)
        start = end.end()
    if text[start:].strip():
        found.append(text[start:].strip())
    return found


def sentence_key(sentence: str) -> str:
    """One spelling of a sentence for comparing: NFKC, Simplified, case folded, no white space."""
    return _SPACE.sub("", script_key(sentence))


def diff(old: list[str], new: list[str]) -> list[Sentence]:
    """``new`` in reading order, each sentence kept (``old`` has it, wherever) or added,
    with ``old``'s other sentences (removed) after the sentence that followed what
    came before them. Linear in the sentences: no edit-distance table, which for
    thousands of sentences would take seconds."""
    waiting: dict[str, deque[int]] = defaultdict(deque)       # key -> old sentences not yet matched
    for number, key in enumerate(_keys(old)):
        waiting[key].append(number)
    new_of_old: list[int | None] = [None] * len(old)
    kept = []
    for number, key in enumerate(_keys(new)):
        if waiting[key]:
            new_of_old[waiting[key].popleft()] = number
            kept.append(True)
        else:
            kept.append(False)
    removed_after: dict[int, list[str]] = defaultdict(list)   # new sentence -> removed old ones after it
    anchor = -1
    for number, sentence in enumerate(old):
        if new_of_old[number] is None:
            removed_after[anchor].append(sentence)
        else:
            anchor = new_of_old[number]
    result = [Sentence(sentence, REMOVED) for sentence in removed_after[-1]]
    for number, sentence in enumerate(new):
        result.append(Sentence(sentence, KEPT if kept[number] else ADDED))
        result.extend(Sentence(removed, REMOVED) for removed in removed_after.get(number, ()))
    return result


def _keys(sentences: list[str]) -> list[str]:
    # One conversion for the whole text, not one per sentence: OpenCC's per-call cost
    # is most of it. Joined by line breaks, which no sentence holds and which the
    # conversion keeps, so the keys split back one to one.
    keys = script_key("\n".join(sentences)).split("\n")
    if len(keys) != len(sentences):
        return [sentence_key(sentence) for sentence in sentences]
    return [_SPACE.sub("", key) for key in keys]
