"""How term positions are stored in the index: packed 16-bit gaps.

Whoosh's own ``Positions`` format pickles each posting's list of gaps behind a
four-byte count: some ten bytes a posting, and decoding it means unpickling one
list per document, which at archive scale is most of a phrase search's time.
Here a posting's positions are the gaps between them as little-endian unsigned
16-bit numbers, nothing else, so a whole block of postings decodes at once with
numpy (:mod:`reports.search.postings`). A gap of 0xFFFF or more (a term first
seen deep into a very long section) is written as 0xFFFF and then the gap in two
16-bit halves, high first; the block reader takes a slower path for a block that
holds one.

The class is pickled into the index's schema, so it must stay importable here.
"""

from __future__ import annotations

import sys
from array import array

from whoosh.formats import Positions

ESCAPE = 0xFFFF


def encode_gaps(positions: list[int]) -> bytes:
    gaps = array("H")
    previous = 0
    for position in positions:
        gap = position - previous
        previous = position
        if gap < ESCAPE:
            gaps.append(gap)
        else:
            gaps.extend((ESCAPE, gap >> 16, gap & 0xFFFF))
    if sys.byteorder != "little":
        gaps.byteswap()
    return gaps.tobytes()


def decode_gaps(value: bytes) -> list[int]:
    gaps = array("H")
    gaps.frombytes(value)
    if sys.byteorder != "little":
        gaps.byteswap()
    positions = []
    position = 0
    i, n = 0, len(gaps)
    while i < n:
        gap = gaps[i]
        if gap == ESCAPE:
            gap = (gaps[i + 1] << 16) | gaps[i + 2]
            i += 2
        position += gap
        positions.append(position)
        i += 1
    return positions


class PackedPositions(Positions):
    """Whoosh's ``Positions`` with the postings' values packed (see the module's text)."""

    def encode(self, poslist):
        return encode_gaps(poslist)

    def decode_positions(self, valuestring):
        return decode_gaps(valuestring)

    def decode_frequency(self, valuestring):
        return len(decode_gaps(valuestring))

    def combine(self, vs):
        return encode_gaps(sorted({position for value in vs for position in decode_gaps(value)}))
