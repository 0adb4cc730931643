"""A term's postings in one index segment, read a block at a time into numpy arrays.

Whoosh's matchers step through postings one document at a time in Python, which
for a word in nearly every section of a ten-thousand-report archive costs most of
a second. Its on-disk blocks, though, hold a few hundred postings each as a
pickled tuple of document-number gaps, weights and values: read whole, they turn
into arrays at C speed, and phrase matching, scoring, grouping and facets become
array operations (:mod:`reports.search.matching`).

This leans on the block layout of Whoosh 2.7's ``W3`` codec (``requirements.txt``
pins that release, the last there will be); ``tests/search/test_postings.py``
checks the arrays against Whoosh's own matchers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from reports.search.codec import PackedLeafMatcher
from reports.search.positions import ESCAPE, decode_gaps

_LENGTH_OF_BYTE = np.array([byte_to_length(value) for value in range(256)], dtype=np.float64)
_LITTLE_UINT16 = np.dtype("<u2")


@dataclass(frozen=True)
class TermPostings:
    """One term's postings in one segment, documents in ascending order."""

    docs: np.ndarray                   # int64 document numbers in the segment
    weights: np.ndarray                # float64 term frequency times the field's boost
    positions: np.ndarray | None       # int64, every posting's positions one after another
    counts: np.ndarray | None          # int64, how many of ``positions`` each posting has

    @classmethod
    def empty(cls, with_positions: bool) -> "TermPostings":
        none = np.zeros(0, dtype=np.int64)
        return cls(none, np.zeros(0), none if with_positions else None, none if with_positions else None)

    def position_keys(self) -> np.ndarray:
        """Every (document, position) as one sortable int64: document * 2**32 + position."""
        docs = np.repeat(self.docs, self.counts)
        return (docs << 32) + self.positions


def read_postings(reader, field: str, text: str, *, with_positions: bool) -> TermPostings:
    """``text``'s postings in ``field`` of one segment reader (deleted documents included)."""
    # The segment's own term table, not reader.postings(): that also wraps the
    # matcher to skip deleted documents (rebuilding the set of them on every call),
    # and deletions are applied to whole arrays afterwards (reports.search.evaluation).
    terms = reader._terms
    try:
        info = terms.term_info(field, text.encode("utf-8"))
    except TermNotFound:
        return TermPostings.empty(with_positions)
    matcher = terms._codec.postings_reader(terms._postfile, info, reader.schema[field].format)
    blocks = list(_blocks(matcher))
    docs = np.concatenate([block.docs for block in blocks])
    weights = np.concatenate([block.weights for block in blocks])
    if not with_positions:
        return TermPostings(docs, weights, None, None)
    counts, positions = zip(*(_positions(block.joined_values(), block.lengths) for block in blocks))
    return TermPostings(docs, weights, np.concatenate(positions), np.concatenate(counts))


def _blocks(matcher):
    # Whoosh keeps a term's postings with the term itself only below its "inline
    # limit" of one posting, that is never: every term has blocks.
    if not isinstance(matcher, PackedLeafMatcher):
        raise TypeError(f"postings written by {type(matcher).__name__}, not the archive's codec: "
                        "run `manage.py rebuild_index`")
    while True:
        matcher._read_data()
        yield matcher._data
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)


def _positions(joined: bytes, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(count per posting, positions) from a block's packed values (reports.search.positions)."""
    gaps = np.frombuffer(joined, dtype=_LITTLE_UINT16).astype(np.int64)
    if (gaps == ESCAPE).any():   # a very wide gap somewhere: decode posting by posting
        ends = np.cumsum(lengths).tolist()
        decoded = [decode_gaps(joined[start:end]) for start, end in zip([0] + ends[:-1], ends)]
        counts = np.array([len(positions) for positions in decoded], dtype=np.int64)
        return counts, np.array([p for positions in decoded for p in positions], dtype=np.int64)
    counts = lengths // 2
    # Gaps restart at each posting: a running sum over the block, less the sum
    # reached before the posting's first gap.
    running = np.cumsum(gaps)
    starts = np.cumsum(counts) - counts
    return counts, running - np.repeat(running[starts] - gaps[starts], counts)


def field_lengths(reader, field: str) -> np.ndarray:
    """Every document's length in ``field`` (in tokens, as Whoosh rounds it), by document number."""
    count = reader.doc_count_all()
    column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return np.zeros(count)
    return _LENGTH_OF_BYTE[np.fromiter(column, dtype=np.uint8, count=count)]


def live_mask(reader) -> np.ndarray:
    """True for each document of the segment that is not deleted."""
    mask = np.ones(reader.doc_count_all(), dtype=bool)
    if reader.has_deletions():
        mask[np.fromiter(reader._perdoc.deleted_docs(), dtype=np.int64)] = False
    return mask

