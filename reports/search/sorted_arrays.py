"""Set operations on sorted arrays of unique integers, without re-sorting them.

numpy's ``intersect1d``, ``isin`` and ``unique`` sort their input again; the
document numbers and (document, position) keys of a search are sorted already,
so a binary search or a merge of sorted runs does the same work in a fraction
of the time.
"""

from __future__ import annotations

import numpy as np


def members(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """True for each of ``values`` that is in ``pool`` (sorted)."""
    if not len(pool) or not len(values):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(pool, values), len(pool) - 1)
    return pool[at] == values


def intersect(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The values in both sorted unique arrays, with where each is in ``a`` and in ``b``."""
    if len(a) > len(b):
        common, in_b, in_a = intersect(b, a)
        return common, in_a, in_b
    if not len(a) or not len(b):
        empty = np.zeros(0, dtype=np.int64)
        return a[:0], empty, empty
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    found = b[at] == a
    return a[found], np.flatnonzero(found), at[found]


def distinct(arrays: list[np.ndarray]) -> np.ndarray:
    """The distinct values of several sorted arrays, sorted (one array is returned as it is)."""
    if len(arrays) == 1:
        return arrays[0]
    values = np.concatenate(arrays)
    values.sort(kind="stable")   # timsort: merging sorted runs is linear-ish
    return runs(values)[0]


def merge(arrays: list[np.ndarray], weights: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of several sorted arrays, each with the sum of its weights."""
    values = np.concatenate(arrays)
    summed = np.concatenate(weights)
    order = np.argsort(values, kind="stable")   # timsort: merging sorted runs is linear-ish
    values, summed = values[order], summed[order]
    return runs(values, summed)


def runs(values: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a sorted array, with the sum of their weights (or their counts)."""
    if not len(values):
        return values, np.zeros(0)
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    if weights is None:
        return values[starts], np.diff(np.append(starts, len(values))).astype(np.float64)
    return values[starts], np.add.reduceat(weights, starts)
