"""RIS records, written by rispy."""

from __future__ import annotations

from datetime import date

import rispy

from reports.interop.records import CitedReport, one_line


class _Writer(rispy.RisWriter):
    """RIS as reference managers write it: no record counter line before ``TY``,
    lines ending in CR LF."""

    NEWLINE = "\r\n"

    def set_header(self, count: int) -> str:
        return ""


def _ris_date(day: date) -> str:
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}/"


def ris_record(record: CitedReport, *, accessed: date) -> str:
    """One ``RPRT`` record (RIS's type for a report)."""
    # One line each: a line break inside a value would start a new tag line (even "ER  -").
    fields = {
        "type_of_reference": "RPRT",
        "title": one_line(record.title),
        "authors": [one_line(name.inverted) for name in record.authors],
        "publisher": one_line(record.association),
    }
    if record.number:
        # SN, which rispy calls "issn": a report's number in RIS, as Zotero reads and writes it.
        fields["issn"] = one_line(record.number)
    if record.published:
        fields["year"] = str(record.published.year)
        fields["date"] = _ris_date(record.published)
    fields.update(
        urls=[record.url],
        access_date=_ris_date(accessed),
        language=record.language,
    )
    return rispy.dumps([fields], implementation=_Writer)
