"""The sorted-array set operations agree with numpy's own (which sort again)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from reports.search.sorted_arrays import distinct, intersect, members, merge, runs

sorted_unique = st.lists(st.integers(min_value=0, max_value=2**40), max_size=80, unique=True).map(
    lambda values: np.array(sorted(values), dtype=np.int64))


@given(sorted_unique, sorted_unique)
def test_intersect_and_members_agree_with_numpy(a, b):
    common, in_a, in_b = intersect(a, b)
    expected, expected_a, expected_b = np.intersect1d(a, b, assume_unique=True, return_indices=True)
    assert common.tolist() == expected.tolist()
    assert in_a.tolist() == expected_a.tolist() and in_b.tolist() == expected_b.tolist()
    assert members(a, b).tolist() == np.isin(a, b).tolist()


@given(st.lists(sorted_unique, min_size=1, max_size=5))
def test_merge_sums_the_weights_of_each_value(arrays):
    weights = [np.arange(len(array), dtype=np.float64) + 1 for array in arrays]
    values, summed = merge(arrays, weights)
    expected: dict[int, float] = {}
    for array, weight in zip(arrays, weights):
        for value, w in zip(array.tolist(), weight.tolist()):
            expected[value] = expected.get(value, 0.0) + w
    assert values.tolist() == sorted(expected)
    assert summed.tolist() == [expected[value] for value in sorted(expected)]


def test_runs_count_repeats_of_a_sorted_array():
    values, counts = runs(np.array([3, 3, 5, 9, 9, 9], dtype=np.int64))
    assert values.tolist() == [3, 5, 9] and counts.tolist() == [2.0, 1.0, 3.0]
    assert runs(np.zeros(0, dtype=np.int64))[0].tolist() == []


@given(st.lists(sorted_unique, min_size=1, max_size=5))
def test_distinct_is_the_sorted_union(arrays):
    assert distinct(arrays).tolist() == np.unique(np.concatenate(arrays)).tolist()
