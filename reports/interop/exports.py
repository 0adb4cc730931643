"""Every result of a search as a file: CSV or JSON Lines (one row per matching
section, with its link), BibTeX or RIS (one entry per matching report).

The search hands over ids (``reports.search.Matches``); rows are read from the
database a batch at a time without report bodies or section texts, and the file
is produced as a sequence of pieces, so neither the result nor the file is ever
whole in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from reports.interop.bibtex import bibtex_entry
from reports.interop.records import cited_report
from reports.interop.ris import ris_record
from reports.models import Report, Section
from reports.search import Matches

BATCH = 500   # rows read per query


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    media_type: str
    extension: str


EXPORT_FORMATS = {
    export.name: export
    for export in (
        ExportFormat("csv", "CSV", "text/csv; charset=utf-8; header=present", "csv"),
        ExportFormat("jsonl", "JSON Lines", "application/jsonl; charset=utf-8", "jsonl"),
        ExportFormat("bibtex", "BibTeX", "application/x-bibtex; charset=utf-8", "bib"),
        ExportFormat("ris", "RIS", "application/x-research-info-systems; charset=utf-8", "ris"),
    )
}

CSV_COLUMNS = ("report_id", "title", "association", "published", "year", "language", "authors", "source",
               "section", "link", "report_url")
# A cell a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage
# return before one) is opened with an apostrophe, which shows it as text. Excel on
# a Chinese or Japanese system reads the full-width forms (＝, ＋, －, ＠) as the
# same signs, so the first character is compared in its NFKC form.
_FORMULA_START = frozenset("=+-@\t\r")
# Line breaks JSON leaves as they are but line readers split at (Python's
# str.splitlines, JavaScript before ES2019): escaped, so a line is always one record.
_JSON_LINE_BREAKS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


class ExportTooLarge(Exception):
    def __init__(self, report_count: int, limit: int):
        super().__init__(f"{report_count} reports match; an export holds at most {limit}.")
        self.report_count = report_count
        self.limit = limit


def check_export_size(matches: Matches, *, limit: int) -> None:
    """Refuse before the first byte an export that could not finish in one request."""
    if len(matches.report_ids) > limit:
        raise ExportTooLarge(len(matches.report_ids), limit)


def export_file_name(query: str, export: ExportFormat) -> str:
    """``search-医院党建.csv``: the query, cut short, with what a file name cannot hold left out."""
    words = re.sub(r"[\W_]+", "-", query).strip("-")[:40].strip("-")
    return f"search-{words or 'results'}.{export.extension}"


def export_pieces(matches: Matches, *, export: ExportFormat, site: str, accessed: date,
                  report_json: Callable[[list[Report]], list[dict]]) -> Iterator[str]:
    """The file, piece by piece. ``report_json`` turns reports into the API's JSON
    for them (JSON Lines carries the same report objects as ``/api/search/``)."""
    if export.name == "csv":
        return _csv(matches, site=site)
    if export.name == "jsonl":
        return _jsonl(matches, site=site, report_json=report_json)
    if export.name == "bibtex":
        return (bibtex_entry(cited_report(report, site=site), accessed=accessed) + "\n"
                for report in _ranked_reports(matches))
    return (ris_record(cited_report(report, site=site), accessed=accessed) + "\r\n"
            for report in _ranked_reports(matches))


def spreadsheet_safe(value: str) -> str:
    return "'" + value if unicodedata.normalize("NFKC", value[:1]) in _FORMULA_START else value


def _csv(matches: Matches, *, site: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)   # Excel's dialect: commas, quotes, CR LF

    def flushed() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    # With the byte-order mark Excel reads the file as UTF-8 (without, as the
    # system's code page: GBK on a Chinese Windows); csv readers strip it with utf-8-sig.
    writer.writerow(CSV_COLUMNS)
    yield codecs.BOM_UTF8.decode() + flushed()
    for results in _result_batches(matches, site=site):
        for result in results:
            report = result.report
            writer.writerow([
                report.pk,
                *(spreadsheet_safe(text) for text in (report.title, report.association.name)),
                report.published.isoformat() if report.published else "",
                report.year or "",
                report.language,
                *(spreadsheet_safe(text) for text in (report.authors, report.source, result.heading)),
                result.link,
                result.report_url,
            ])
        yield flushed()


def _jsonl(matches: Matches, *, site: str, report_json) -> Iterator[str]:
    for results in _result_batches(matches, site=site):
        reports = list({result.report.pk: result.report for result in results}.values())
        described = dict(zip((report.pk for report in reports), report_json(reports)))
        yield "".join(
            json.dumps({
                "report": described[result.report.pk],
                "section": {"anchor": result.anchor, "heading": result.heading} if result.anchor else None,
                "url": result.link,
            }, ensure_ascii=False).translate(_JSON_LINE_BREAKS) + "\n"
            for result in results
        )


@dataclass(frozen=True)
class _Result:
    """One result as a row shows it: a matching section, or a report matched by its title."""

    report: Report
    report_url: str
    anchor: str = ""
    heading: str = ""

    @property
    def link(self) -> str:
        # Section.get_absolute_url's link, without a URL lookup per section.
        return f"{self.report_url}#{self.anchor}" if self.anchor else self.report_url


def _result_batches(matches: Matches, *, site: str) -> Iterator[list[_Result]]:
    """The results in rank order, read from the database a batch at a time."""
    entries = matches.entries
    for start in range(0, len(entries), BATCH):
        batch = entries[start:start + BATCH]
        reports = _reports({report_id for report_id, _ in batch})
        urls = {report_id: site + report.get_absolute_url() for report_id, report in reports.items()}
        sections = {section_id: (anchor, heading) for section_id, anchor, heading in Section.objects.filter(
            pk__in=[section_id for _, section_id in batch if section_id]).values_list("id", "anchor", "heading")}
        results = []
        for report_id, section_id in batch:
            if report_id not in reports or (section_id and section_id not in sections):
                continue   # deleted since it was indexed
            anchor, heading = sections[section_id] if section_id else ("", "")
            results.append(_Result(reports[report_id], urls[report_id], anchor, heading))
        yield results


def _ranked_reports(matches: Matches) -> Iterator[Report]:
    ids = matches.report_ids.tolist()
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        reports = _reports(batch)
        yield from (reports[report_id] for report_id in batch if report_id in reports)


def _reports(ids: Iterable[int]) -> dict[int, Report]:
    # Everything a row shows but the text, which can be megabytes per report.
    return Report.objects.select_related("association").defer("body").in_bulk(list(ids))
