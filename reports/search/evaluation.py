"""A parsed query evaluated over the Whoosh index with arrays.

A word's postings come whole from :mod:`reports.search.postings`; a phrase is the
(document, position) pairs of its pieces, each shifted back by its place in the
phrase, intersected from the rarest piece up; AND, OR and NOT are intersections,
unions and differences of sorted document arrays. Scores are BM25 as Whoosh's
default model computes it (its idf, over the documents not deleted), a phrase
scored by how often the whole phrase occurs. Nothing here steps through
documents one at a time in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import log

import numpy as np

from reports.search.postings import TermPostings, field_lengths, live_mask, read_postings
from reports.search.query import Element, Node, Not, Or, Pattern, Text, pattern_of
from reports.search.sorted_arrays import distinct, intersect, members, merge, runs

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class Scored:
    docs: np.ndarray       # sorted, unique int64 document numbers
    scores: np.ndarray     # float64, one per document

    @classmethod
    def nothing(cls) -> "Scored":
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0))


def union(parts: list[Scored]) -> Scored:
    """Documents in any part, scores added."""
    parts = [part for part in parts if len(part.docs)]
    if not parts:
        return Scored.nothing()
    if len(parts) == 1:
        return parts[0]
    return Scored(*merge([part.docs for part in parts], [part.scores for part in parts]))


def intersection(parts: list[Scored]) -> Scored:
    """Documents in every part, scores added; the smallest part first."""
    parts = sorted(parts, key=lambda part: len(part.docs))
    result = parts[0]
    for part in parts[1:]:
        docs, mine, theirs = intersect(result.docs, part.docs)
        result = Scored(docs, result.scores[mine] + part.scores[theirs])
    return result


def difference(kept: Scored, removed: np.ndarray) -> Scored:
    mask = ~members(kept.docs, removed)
    return Scored(kept.docs[mask], kept.scores[mask])


class IndexView:
    """What evaluation needs of one open searcher: its segments, live documents and
    field lengths. Made once per searcher (per index generation) and shared by queries."""

    def __init__(self, searcher, fields: tuple[str, ...]):
        # An empty index has one reader with no segment behind it: nothing to read.
        self.readers = [(reader, offset) for reader, offset in searcher.reader().leaf_readers()
                        if reader.doc_count_all()]
        self.doc_count_all = sum(reader.doc_count_all() for reader, _ in self.readers)
        self.live = (np.concatenate([live_mask(reader) for reader, _ in self.readers])
                     if self.readers else np.zeros(0, dtype=bool))
        self.live_docs = np.flatnonzero(self.live).astype(np.int64)
        self._lengths: dict[str, np.ndarray] = {}
        self._average_lengths: dict[str, float] = {}
        for field in fields:   # read now, before the first query needs them
            self.lengths(field)

    def lengths(self, field: str) -> np.ndarray:
        if field not in self._lengths:
            lengths = (np.concatenate([field_lengths(reader, field) for reader, _ in self.readers])
                       if self.readers else np.zeros(0))
            live = lengths[self.live]
            self._lengths[field] = lengths
            self._average_lengths[field] = float(live.mean()) if len(live) and live.mean() > 0 else 1.0
        return self._lengths[field]

    def average_length(self, field: str) -> float:
        self.lengths(field)
        return self._average_lengths[field]

    def terms(self, field: str, element: Element) -> list[str]:
        """The index terms an element stands for: itself, and for a prefix element
        every two-character term that starts with it."""
        if not element.prefix:
            return [element.text]
        found = {element.text}
        for reader, _ in self.readers:
            terms = (term.decode("utf-8") for term in reader.expand_prefix(field, element.text))
            found.update(term for term in terms if len(term) == 2)
        return sorted(found)

    def postings(self, field: str, text: str, *, with_positions: bool) -> TermPostings:
        """A term's postings over every segment, in index-wide document numbers."""
        parts = []
        for reader, offset in self.readers:
            part = read_postings(reader, field, text, with_positions=with_positions)
            if len(part.docs):
                parts.append(TermPostings(part.docs + offset, part.weights, part.positions, part.counts))
        if not parts:
            return TermPostings.empty(with_positions)
        if len(parts) == 1:
            return parts[0]
        return TermPostings(
            np.concatenate([part.docs for part in parts]),
            np.concatenate([part.weights for part in parts]),
            np.concatenate([part.positions for part in parts]) if with_positions else None,
            np.concatenate([part.counts for part in parts]) if with_positions else None,
        )


class Evaluation:
    """One query's evaluation: patterns are matched once per field and remembered."""

    def __init__(self, view: IndexView, fields: dict[str, float], field_boosts: dict[str, float]):
        self.view = view
        self.fields = fields
        self.field_boosts = field_boosts
        self._patterns: dict[tuple[str, Pattern], Scored] = {}
        self._weights: dict[tuple[str, Pattern], tuple[np.ndarray, np.ndarray]] = {}

    def node(self, node: Node) -> Scored:
        if isinstance(node, Text):
            pattern = pattern_of(node.raw)
            return union([self.pattern(field, pattern) for field in self.fields])
        if isinstance(node, Not):
            return difference(self._everything(), self.node(node.child).docs)
        if isinstance(node, Or):
            return union([self.node(child) for child in node.children])
        positive = [self.node(child) for child in node.children if not isinstance(child, Not)]
        result = intersection(positive) if positive else self._everything()
        for child in node.children:
            if isinstance(child, Not):
                result = difference(result, self.node(child.child).docs)
        return result

    def _everything(self) -> Scored:
        return Scored(self.view.live_docs, np.zeros(len(self.view.live_docs)))

    def pattern(self, field: str, pattern: Pattern) -> Scored:
        key = (field, pattern)
        if key not in self._patterns:
            self._patterns[key] = self._match(field, pattern)
        return self._patterns[key]

    def occurrences(self, field: str, pattern: Pattern) -> tuple[np.ndarray, np.ndarray]:
        """The live documents holding the pattern in ``field``, with how often it occurs in each."""
        docs, weights = self._weighted(field, pattern)
        return docs, weights / self.field_boosts.get(field, 1.0)

    def _weighted(self, field: str, pattern: Pattern) -> tuple[np.ndarray, np.ndarray]:
        """Live documents holding the pattern, with its weight: how often, times the field's boost."""
        key = (field, pattern)
        if key not in self._weights:
            self._weights[key] = self._read_weighted(field, pattern)
        return self._weights[key]

    def _read_weighted(self, field: str, pattern: Pattern) -> tuple[np.ndarray, np.ndarray]:
        if not pattern:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if len(pattern) == 1:
            docs, weights = self._element_docs(field, pattern[0])
        else:
            docs, counts = self._phrase_docs(field, pattern)
            # As the stored weights of a single term do (Whoosh's BM25F), a count
            # weighs times the field's own boost (the title's 2 in search_indexes.py).
            weights = counts * self.field_boosts.get(field, 1.0)
        live = self.view.live[docs]
        return docs[live], weights[live]

    def _match(self, field: str, pattern: Pattern) -> Scored:
        docs, weights = self._weighted(field, pattern)
        return Scored(docs, self.fields[field] * self._bm25(field, docs, weights))

    def _element_docs(self, field: str, element: Element) -> tuple[np.ndarray, np.ndarray]:
        """Documents holding the element, with its stored weight (how often, times the field's boost)."""
        parts = [self.view.postings(field, term, with_positions=False) for term in self.view.terms(field, element)]
        parts = [part for part in parts if len(part.docs)]
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if len(parts) == 1:
            return parts[0].docs, parts[0].weights
        return merge([part.docs for part in parts], [part.weights for part in parts])

    def _phrase_docs(self, field: str, pattern: Pattern) -> tuple[np.ndarray, np.ndarray]:
        """Documents holding the elements at consecutive positions, with how often."""
        pieces = [
            [self.view.postings(field, term, with_positions=True) for term in self.view.terms(field, element)]
            for element in pattern
        ]
        # Only documents that hold every element can hold the phrase: narrowing to
        # them first keeps the position arrays of a common element small.
        candidates = None
        for piece in sorted(pieces, key=lambda piece: sum(len(part.docs) for part in piece)):
            docs = distinct([part.docs for part in piece])
            candidates = docs if candidates is None else intersect(candidates, docs)[0]
            if not len(candidates):
                return candidates, np.zeros(0)
        keys = []
        for place, piece in enumerate(pieces):
            keys.append(distinct([_keys_within(part, candidates) - place for part in piece]))
        keys.sort(key=len)
        found = keys[0]
        for more in keys[1:]:
            found = intersect(found, more)[0]
            if not len(found):
                break
        return runs(found >> 32)

    def _bm25(self, field: str, docs: np.ndarray, frequencies: np.ndarray) -> np.ndarray:
        # ``frequencies``: as Whoosh weighs them, times the field's boost.
        # Whoosh's idf, with one more document counted so that it stays defined
        # (and positive) on an index whose documents are all deleted.
        idf = log((len(self.view.live_docs) + 1) / (len(docs) + 1)) + 1
        lengths = self.view.lengths(field)[docs]
        norm = K1 * ((1 - B) + B * lengths / self.view.average_length(field))
        return idf * frequencies * (K1 + 1) / (frequencies + norm)


def _keys_within(part: TermPostings, docs: np.ndarray) -> np.ndarray:
    """``part``'s (document, position) keys for the documents in ``docs`` only."""
    keep = members(part.docs, docs)
    if keep.all():
        return part.position_keys()
    return TermPostings(part.docs[keep], part.weights[keep], part.positions[np.repeat(keep, part.counts)],
                        part.counts[keep]).position_keys()
