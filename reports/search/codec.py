"""Whoosh's W3 codec with posting blocks laid out as arrays.

Whoosh pickles each block of postings as a tuple of Python numbers and byte
strings: unpickling a block of a common term makes thousands of objects, and it
was most of a search's time at archive scale. Here a block is two zlib streams:

- the head: a weight mode byte (0: every weight 1, 1: one weight for all, then it
  as float32, 2: a float32 per posting after the rest), the document-number gaps
  and the value lengths as little-endian uint32, and the weights if mode 2;
- the tail: every posting's value (its packed positions) one after another.

numpy reads the head without a Python object per posting, and a search that needs
no positions never decompresses the tail. Whoosh's own readers (merging
segments, deleting by term) get the tuples they expect from
:class:`PackedLeafMatcher`. Segments pickle their codec, so these classes must
stay importable here.
"""

from __future__ import annotations

import struct
import zlib
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.util.numeric import length_to_byte

_UINT32 = np.dtype("<u4")
_FLOAT32 = np.dtype("<f4")
_HEAD_LENGTH = struct.Struct("<I")
ALL_ONE, ALL_SAME, EACH = 0, 1, 2


def pack_block(ids: list[int], weights: list[float], values: list[bytes | None], compression: int) -> bytes:
    gaps = np.diff(np.asarray(ids, dtype=np.int64), prepend=0).astype(_UINT32)
    if len(values) != len(ids):
        # Whoosh's writer keeps only non-empty values: a format without values
        # (a keyword field's) leaves none at all.
        assert not values, "values for only some postings"
        values = [b""] * len(ids)
    lengths = np.fromiter(map(len, values), dtype=_UINT32, count=len(values))
    first = weights[0]
    if all(weight == 1.0 for weight in weights):
        mode, tail_weights = bytes([ALL_ONE]), b""
    elif all(weight == first for weight in weights):
        mode, tail_weights = bytes([ALL_SAME]) + struct.pack("<f", first), b""
    else:
        mode, tail_weights = bytes([EACH]), np.asarray(weights, dtype=_FLOAT32).tobytes()
    head = zlib.compress(mode + gaps.tobytes() + lengths.tobytes() + tail_weights, compression)
    joined = b"".join(values)
    return _HEAD_LENGTH.pack(len(head)) + head + (zlib.compress(joined, compression) if joined else b"")


class PackedBlock:
    """One block read back: arrays at once, the values only when asked for."""

    def __init__(self, raw: bytes, count: int):
        (head_length,) = _HEAD_LENGTH.unpack_from(raw)
        head = zlib.decompress(raw[_HEAD_LENGTH.size:_HEAD_LENGTH.size + head_length])
        self._tail = raw[_HEAD_LENGTH.size + head_length:]
        self.count = count
        mode, offset = head[0], 1
        if mode == ALL_SAME:
            (same,) = struct.unpack_from("<f", head, offset)
            offset += 4
        self.docs = np.cumsum(np.frombuffer(head, _UINT32, count, offset), dtype=np.int64)
        offset += 4 * count
        self.lengths = np.frombuffer(head, _UINT32, count, offset).astype(np.int64)
        offset += 4 * count
        if mode == ALL_ONE:
            self.weights = np.ones(count)
        elif mode == ALL_SAME:
            self.weights = np.full(count, same)
        else:
            self.weights = np.frombuffer(head, _FLOAT32, count, offset).astype(np.float64)

    def joined_values(self) -> bytes:
        return zlib.decompress(self._tail) if self._tail else b""

    def values(self) -> tuple[bytes, ...]:
        joined = self.joined_values()
        ends = np.cumsum(self.lengths).tolist()
        return tuple(joined[start:end] for start, end in zip([0] + ends[:-1], ends))


class PackedPostingsWriter(W3PostingsWriter):
    def _write_block(self, last=False):
        # W3PostingsWriter._write_block with the block data packed (see the module).
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = pack_block(self._ids, self._weights, self._values, self._compression)
        ids = self._ids
        infobytes = dumps((len(ids), ids[-1], self._maxweight, self._compression,
                           length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        blocklength = len(infobytes) + len(databytes)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class PackedLeafMatcher(W3LeafMatcher):
    def _read_data(self):
        raw = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        self._data = PackedBlock(raw, self._blocklength)

    def _read_ids(self):
        if self._data is None:
            self._read_data()
        self._ids = tuple(self._data.docs.tolist())

    def _read_weights(self):
        if self._data is None:
            self._read_data()
        self._weights = self._data.weights.tolist()

    def _read_values(self):
        if self._data is None:
            self._read_data()
        if self._fixedsize == 0:
            self._values = (None,) * self._blocklength
        else:
            self._values = self._data.values()


class PackedCodec(W3Codec):
    def postings_writer(self, dbfile, byteids=False):
        if byteids:   # term vectors, which the archive does not keep
            return super().postings_writer(dbfile, byteids=byteids)
        return PackedPostingsWriter(dbfile, blocklimit=self._blocklimit, compression=self._compression,
                                    inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():   # never, at Whoosh's inline limit of one posting
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return PackedLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
