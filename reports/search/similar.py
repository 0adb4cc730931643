"""Reports alike in content: a weighted OR of terms, scored per report, with arrays.

What :mod:`reports.research.related` asks of the index: how many sections hold
each of a report's terms (to tell its distinctive terms from everyday ones), and
which reports hold the distinctive ones and how strongly. A report's score is
BM25 over whole reports (every term's occurrences summed over the report's
sections, the report's length the sum of theirs), each term weighed by how
much it says about the report asked about; the terms a report shares with it,
most telling first, are the reason it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import log

import numpy as np
from whoosh.reading import TermNotFound

from reports.search.evaluation import B, K1, IndexView

FREQUENCIES_KEPT = 200_000     # section counts of terms kept per open index (some 20 MB at most)


@dataclass(frozen=True)
class Similar:
    report: int                  # report id
    score: float
    shared: tuple[str, ...]      # the terms it shares, most telling first


class ReportView:
    """The open index's sections grouped by report: which report each section is in,
    and each report's length in tokens. Made once per searcher."""

    def __init__(self, view: IndexView, report_of_section: np.ndarray, field: str):
        self.view = view
        self.field = field
        self.reports, self.report_index = np.unique(report_of_section, return_inverse=True)
        live_lengths = np.where(view.live, view.lengths(field), 0.0)
        self.lengths = np.bincount(self.report_index, weights=live_lengths, minlength=len(self.reports))
        alive = np.bincount(self.report_index, weights=view.live, minlength=len(self.reports)) > 0
        self.live_reports = int(alive.sum())
        self.average_length = float(self.lengths[alive].mean()) if alive.any() and self.lengths[alive].mean() else 1.0
        self._frequencies: dict[str, int] = {}

    def section_frequencies(self, terms: list[str]) -> np.ndarray:
        """How many sections hold each term (sections deleted but not yet merged away
        included: close enough to tell rare terms from common ones).

        A look-up costs some microseconds in every segment, and the everyday terms
        of one report are the everyday terms of the next: answers are kept for the
        index this view belongs to (a bounded number of them)."""
        unknown = [term for term in dict.fromkeys(terms) if term not in self._frequencies]
        if len(self._frequencies) + len(unknown) > FREQUENCIES_KEPT:
            self._frequencies.clear()
        for term in unknown:
            self._frequencies[term] = 0
        for reader, _ in self.view.readers:
            table = reader._terms
            for term in unknown:
                try:
                    self._frequencies[term] += table.term_info(self.field, term.encode("utf-8")).doc_frequency()
                except TermNotFound:
                    pass
        return np.array([self._frequencies[term] for term in terms], dtype=np.int64)

    def similar(self, weights: dict[str, float], *, exclude: int, limit: int, min_shared: int) -> list[Similar]:
        """The ``limit`` reports (not ``exclude``) that share at least ``min_shared`` of the
        weighted terms, best first."""
        terms = list(weights)
        per_term: list[tuple[np.ndarray, np.ndarray]] = []
        for term in terms:
            postings = self.view.postings(self.field, term, with_positions=False)
            live = self.view.live[postings.docs]
            holders, tf = np.unique(self.report_index[postings.docs[live]], return_inverse=True)
            frequencies = np.bincount(tf, weights=postings.weights[live], minlength=len(holders))
            idf = log(1 + (self.live_reports - len(holders) + 0.5) / (len(holders) + 0.5))
            norm = K1 * ((1 - B) + B * self.lengths[holders] / self.average_length)
            per_term.append((holders, weights[term] * idf * frequencies * (K1 + 1) / (frequencies + norm)))
        if not per_term:
            return []
        holders = np.concatenate([holders for holders, _ in per_term])
        contributions = np.concatenate([contribution for _, contribution in per_term])
        scores = np.bincount(holders, weights=contributions, minlength=len(self.reports))
        shared = np.bincount(holders, minlength=len(self.reports))
        position = np.searchsorted(self.reports, exclude)
        if position < len(self.reports) and self.reports[position] == exclude:
            scores[position] = 0.0
        candidates = np.flatnonzero((shared >= min_shared) & (scores > 0))
        best = candidates[np.lexsort((self.reports[candidates], -scores[candidates]))][:limit]
        found = []
        for index in best.tolist():
            telling = []
            for term, (term_holders, contribution) in zip(terms, per_term):
                at = np.searchsorted(term_holders, index)
                if at < len(term_holders) and term_holders[at] == index:
                    telling.append((-float(contribution[at]), term))
            found.append(Similar(int(self.reports[index]), float(scores[index]),
                                 tuple(term for _, term in sorted(telling))))
        return found


def _report_view() -> ReportView | None:
    from haystack import connections

    view = getattr(connections["default"].get_backend(), "report_view", None)
    return view() if view is not None else None


def section_frequencies(terms: list[str]) -> tuple[int, np.ndarray] | None:
    """How many sections the index holds, and how many hold each term; None from an
    engine that cannot say (Elasticsearch). Raises SearchUnavailable when the index
    cannot be read."""
    from reports.search.searching import SearchUnavailable

    try:
        view = _report_view()
        if view is None:
            return None
        return len(view.view.live_docs), view.section_frequencies(terms)
    except Exception as error:
        raise SearchUnavailable(str(error)) from error


def similar_reports(weights: dict[str, float], *, exclude: int, limit: int, min_shared: int = 2) -> list[Similar]:
    """The reports most alike a report described by weighted terms (see the module);
    none from an engine that cannot say."""
    from reports.search.searching import SearchUnavailable

    try:
        view = _report_view()
        return view.similar(weights, exclude=exclude, limit=limit, min_shared=min_shared) if view else []
    except Exception as error:
        raise SearchUnavailable(str(error)) from error
