"""A long sequence made only for the slice asked for, from groups of known sizes.

A search's results (a report's matching sections) and a concordance's lines (a
section's occurrences) come in groups whose sizes the index tells without reading
them: a page of results needs only the groups it falls in, whatever the length of
the whole. Django's ``Paginator`` pages such a sequence like a list.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class GroupedSequence(Sequence):
    """Items in consecutive groups of ``sizes`` items; a subclass makes the groups."""

    def __init__(self, sizes: np.ndarray):
        self.ends = np.cumsum(sizes, dtype=np.int64) if len(sizes) else np.zeros(0, dtype=np.int64)

    def groups(self, first: int, stop: int) -> list[list]:
        """The items of groups ``first`` to ``stop - 1``, one list a group. A group may
        turn out shorter than its size (its rows changed since the index counted them)."""
        raise NotImplementedError

    def __len__(self) -> int:
        return int(self.ends[-1]) if len(self.ends) else 0

    def __getitem__(self, index):
        if not isinstance(index, slice):
            position = index + len(self) if index < 0 else index
            if not 0 <= position < len(self):
                raise IndexError(index)
            return self[position:position + 1][0]
        start, stop, _ = index.indices(len(self))
        return self.items(start, stop) if start < stop else []

    def items(self, start: int, stop: int) -> list:
        """Items ``start`` to ``stop - 1`` (``start < stop``), from the groups they fall in; a
        subclass that can make a slice faster with arrays alone overrides this."""
        first, last = np.searchsorted(self.ends, [start, stop - 1], side="right")
        items = []
        for number, group in enumerate(self.groups(int(first), int(last) + 1), start=int(first)):
            begin = int(self.ends[number - 1]) if number else 0
            group = group[:int(self.ends[number]) - begin]
            items.extend(group[max(0, start - begin):max(0, stop - begin)])
        return items
