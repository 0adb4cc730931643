"""A report as a citable work: the one record every citation, tag and export is written from.

What it holds is what the archive knows, and nothing guessed: the publication
date when the report gives one (the year it covers is not when it appeared), the
association as the author when the report names nobody (it published the
report), and the title and names as the document writes them, in its own script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from reports.models import Report
from reports.originals import content_type_for

# Names written in the Latin alphabet have a given name and a family name to tell
# apart; Chinese names (and any other) are kept whole, as written.
_LATIN_NAME = re.compile(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F .'\-]*")
# Between names: 、，；; always; a comma only where both sides are whole names
# ("John Smith, Mary Jones", not "Smith, John").
_NAME_LIST = re.compile(r"\s*[、，；;]\s*|\s+(?:and|&)\s+")
_LIST_COMMA = re.compile(r"\s*,\s*")
# A Chinese personal name is two to four characters; names of bodies are longer.
_PERSONAL_NAME_LENGTH = range(2, 5)


@dataclass(frozen=True)
class Name:
    """One author. ``family``/``given`` only for a personal name in the Latin alphabet."""

    text: str                 # as written
    family: str = ""
    given: str = ""
    corporate: bool = False   # a body (the association, a department), not a person

    @property
    def inverted(self) -> str:
        """``Family, Given`` where the parts are known, else the name as written."""
        return f"{self.family}, {self.given}" if self.family and self.given else self.text


@dataclass(frozen=True)
class CitedReport:
    id: int
    url: str                  # the report's page: where a reader finds the record
    title: str
    authors: tuple[Name, ...]
    association: str          # the publisher
    published: date | None
    year_covered: int | None
    language: str             # BCP 47, as stored
    pdf_url: str = ""         # the original, when it is a PDF
    number: str = ""          # an official document's number (文号), as written

    @property
    def key(self) -> str:
        """A citation key that stays the same for this report (BibTeX, CSL ``id``)."""
        return f"report-{self.id}"

    @property
    def authored_by_association(self) -> bool:
        return self.authors == (Name(self.association, corporate=True),)


def one_line(text: str) -> str:
    """``text`` with each run of white space, line breaks included, as one space: a
    value of a line-based format (RIS) or a field (BibTeX) cannot break a line."""
    return " ".join(text.split())


def split_names(text: str) -> tuple[Name, ...]:
    """The names in a report's author field: ``葛珞 林堅游 胡維雙``, ``张三、李四``,
    ``John Smith, Mary Jones``, ``Smith, John; Jones, Mary``. A name that cannot be
    told apart as a person's stays whole."""
    text = one_line(text)
    if not text:
        return ()
    parts = [part for part in _NAME_LIST.split(text) if part]
    if len(parts) == 1 and _LATIN_NAME.fullmatch(text.replace(",", "")):
        by_comma = _LIST_COMMA.split(text)
        if len(by_comma) > 1 and all(" " in part for part in by_comma):
            parts = by_comma
    names = []
    for part in parts:
        pieces = part.split(" ")
        if not _LATIN_NAME.fullmatch(part.replace(",", "")) and len(pieces) > 1 and all(
                len(piece) in _PERSONAL_NAME_LENGTH for piece in pieces):
            names.extend(Name(piece) for piece in pieces)   # 葛珞 林堅游: names set apart by spaces
        else:
            names.append(_name(part))
    return tuple(names)


def _name(text: str) -> Name:
    if not _LATIN_NAME.fullmatch(text.replace(",", "")):
        return Name(text, corporate=len(text) not in _PERSONAL_NAME_LENGTH)
    if "," in text:
        family, _, given = text.partition(",")
        return Name(text, family=family.strip(), given=given.strip())
    words = text.split(" ")
    if 2 <= len(words) <= 3:
        return Name(text, family=words[-1], given=" ".join(words[:-1]))
    return Name(text, corporate=True)   # "Secretariat", "Office of the Medical Association"


def cited_report(report: Report, *, site: str) -> CitedReport:
    """The record of ``report``, its links made absolute with ``site`` (``https://host``).

    Reads the report's own fields and its association's name; the text is not needed.
    """
    association = report.association.name
    authors = split_names(report.authors) or (Name(association, corporate=True),)
    is_pdf = content_type_for(report.source_name) == "application/pdf"
    return CitedReport(
        id=report.pk,
        url=site + report.get_absolute_url(),
        title=report.title,
        authors=authors,
        association=association,
        published=report.published,
        year_covered=report.year,
        language=report.language,
        pdf_url=site + reverse("reports:report_original", kwargs={"pk": report.pk}) if is_pdf else "",
        number=report.document_number,
    )
