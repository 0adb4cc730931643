"""What a search engine answers: every matching section, as columns of arrays.

Grouping by report, facet counts, filtering and sorting (in
:mod:`reports.search.searching`) are array operations on these columns, the same
for every engine; only the page shown is turned into database rows.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np

FACET_COLUMNS = ("association", "year", "language")
# The keyword fields a row is made from (SectionMatches.from_rows).
MATCH_COLUMNS = ("django_id", "report_id", "order", "published", *FACET_COLUMNS)


@dataclass(frozen=True)
class Column:
    """Text values as codes into sorted labels (code order is text order)."""

    codes: np.ndarray
    labels: tuple[str, ...]

    @classmethod
    def of(cls, values) -> "Column":
        labels = sorted(set(values))
        code_of = {label: code for code, label in enumerate(labels)}
        return cls(np.fromiter((code_of[value] for value in values), dtype=np.int64, count=len(values)),
                   tuple(labels))

    @classmethod
    def concatenate(cls, columns: list["Column"]) -> "Column":
        """One column of the rows of ``columns`` in turn, codes into their labels together."""
        labels = sorted(set().union(*(column.labels for column in columns)))
        merged = np.array(labels, dtype=object)
        codes = [np.searchsorted(merged, np.array(column.labels, dtype=object)).astype(np.int64)[column.codes]
                 if column.labels else column.codes for column in columns]
        return cls(np.concatenate(codes) if codes else np.zeros(0, np.int64), tuple(labels))

    def take(self, rows) -> "Column":
        return Column(self.codes[rows], self.labels)

    def code(self, label: str) -> int:
        """The code of ``label``, or -1 when no row has it."""
        index = bisect_left(self.labels, label)
        return index if index < len(self.labels) and self.labels[index] == label else -1


@dataclass(frozen=True)
class SectionMatches:
    """One row per matching section (or report, when only its title matched)."""

    report: np.ndarray        # int64 report id
    section: np.ndarray       # int64 section id
    order: np.ndarray         # int64 the section's place in its report
    score: np.ndarray         # float64 relevance
    flagged: np.ndarray       # bool: the section's own text matched, not only its report's title
    facets: dict[str, Column]
    date: Column              # publication date, else year, as sortable text ("" when unknown)
    # int64 how often the query's words occur in the section's own text, from the
    # index's positions; None from an engine that does not count them.
    occurrences: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.report)

    def take(self, rows) -> "SectionMatches":
        return SectionMatches(
            self.report[rows], self.section[rows], self.order[rows], self.score[rows], self.flagged[rows],
            {name: column.take(rows) for name, column in self.facets.items()}, self.date.take(rows),
            None if self.occurrences is None else self.occurrences[rows],
        )

    def without_reports(self, report_ids: np.ndarray) -> "SectionMatches":
        if not len(report_ids):
            return self
        return self.take(~np.isin(self.report, report_ids))

    @classmethod
    def from_rows(cls, rows: list[tuple[dict[str, str], float, bool]]) -> "SectionMatches":
        """From (keyword values, score, flagged) rows, as an engine that returns documents gives them."""
        def numbers(name):
            return numbers_of([values[name] for values, _, _ in rows])

        return cls(
            report=numbers("report_id"),
            section=numbers("django_id"),
            order=numbers("order"),
            score=np.fromiter((score for _, score, _ in rows), dtype=np.float64, count=len(rows)),
            flagged=np.fromiter((flagged for _, _, flagged in rows), dtype=bool, count=len(rows)),
            facets={name: Column.of([values[name] for values, _, _ in rows]) for name in FACET_COLUMNS},
            date=Column.of([date_key(values["published"], values["year"]) for values, _, _ in rows]),
        )


def numbers_of(values: list[str]) -> np.ndarray:
    """A keyword column of numbers (ids, orders) as int64; "" counts as 0."""
    return np.fromiter((int(value or 0) for value in values), dtype=np.int64, count=len(values))


def date_key(published: str, year: str) -> str:
    """Sortable date: the publication date, else the year covered, else "" (last)."""
    if published:
        return published
    return f"{year}-00-00" if year else ""
