"""The results of a search as (report, section) entries, cut into any slice (pages, export batches)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from reports.search.hits import Column, SectionMatches
from reports.search.searching import SearchParams, _Entries, _Groups, _Selection

# One row per matching section: (report id, its place in the report, whether its own text matched).
ROWS = st.lists(st.tuples(st.integers(1, 6), st.integers(0, 30), st.booleans()), min_size=1, max_size=60,
                unique_by=lambda row: row[:2])


def section_matches(rows: list[tuple[int, int, bool]], scores: list[float]) -> SectionMatches:
    count = len(rows)
    blank = Column(np.zeros(count, np.int64), ("",))
    return SectionMatches(
        report=np.array([report for report, _, _ in rows], np.int64),
        section=np.array([report * 1000 + order for report, order, _ in rows], np.int64),
        order=np.array([order for _, order, _ in rows], np.int64),
        score=np.array(scores[:count], np.float64),
        flagged=np.array([flagged for _, _, flagged in rows], bool),
        facets={name: blank for name in ("association", "year", "language")},
        date=blank,
    )


def expected_entries(groups: _Groups, ranked: np.ndarray) -> list[tuple[int, int | None]]:
    """Each ranked report's matching sections in reading order, or the report alone when none matched by its text."""
    matches, entries = groups.matches, []
    for group in ranked.tolist():
        report = int(groups.report[group])
        own = sorted((int(matches.order[row]), int(matches.section[row])) for row in range(len(matches))
                     if groups.group_of_row[row] == group and matches.flagged[row])
        entries += [(report, section) for _, section in own] or [(report, None)]
    return entries


@given(rows=ROWS, scores=st.lists(st.floats(0, 10), min_size=60, max_size=60),
       cut=st.tuples(st.integers(0, 70), st.integers(0, 70)))
def test_any_slice_is_that_slice_of_every_result_in_order(rows, scores, cut):
    groups = _Groups.of(section_matches(rows, scores))
    ranked = _Selection(groups, SearchParams()).ranked("relevance")
    entries = _Entries(groups, ranked)
    every = expected_entries(groups, ranked)
    assert len(entries) == len(every)
    start, stop = sorted(cut)
    assert entries[start:stop] == every[start:stop]
    assert [entries[index] for index in range(len(every))] == every
