"""BibTeX entries, written by bibtexparser.

bibtexparser writes the entry; what goes into a field is LaTeX, so the characters
LaTeX treats specially are escaped here (its own LaTeX encoder would also turn
Chinese punctuation into macros). Non-ASCII text stays UTF-8, which biber,
BibTeX 0.99d and every reference manager read.
"""

from __future__ import annotations

import re
from datetime import date

import bibtexparser
from bibtexparser.model import Entry, Field

from reports.interop.records import CitedReport, Name, one_line

_LATEX_SPECIALS = str.maketrans({
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
})
# LaTeX joins -- and --- into dashes; a hyphen before a hyphen is kept apart.
_HYPHEN_PAIR = re.compile(r"-(?=-)")
# A techreport's kind, in its own language: without it BibTeX styles print "Technical Report".
_REPORT_TYPE = {"zh-Hans": "报告", "zh-Hant": "報告"}


def latex_text(text: str) -> str:
    """``text`` as LaTeX that typesets (and decodes) back to ``text``."""
    return _HYPHEN_PAIR.sub("-{}", one_line(text).translate(_LATEX_SPECIALS))


def _author(name: Name) -> str:
    if name.family and name.given:
        return f"{latex_text(name.family)}, {latex_text(name.given)}"
    # Braced, so BibTeX takes a body or a Chinese name whole instead of finding a
    # "last name" in it.
    return "{" + latex_text(name.text) + "}"


def bibtex_entry(record: CitedReport, *, accessed: date) -> str:
    """One ``@techreport`` entry (BibTeX's type for a report an institution issues)."""
    fields = [
        ("author", " and ".join(_author(name) for name in record.authors)),
        # Braced whole, so a style's sentence case leaves the title as written.
        ("title", "{" + latex_text(record.title) + "}"),
        ("institution", latex_text(record.association)),
        ("type", _REPORT_TYPE.get(record.language, "Report")),
    ]
    if record.number:
        fields.append(("number", latex_text(record.number)))
    if record.published:
        fields += [("year", str(record.published.year)), ("date", record.published.isoformat())]
    fields += [("url", record.url), ("urldate", accessed.isoformat())]
    library = bibtexparser.Library([Entry("techreport", record.key, [Field(key, value) for key, value in fields])])
    return bibtexparser.write_string(library)
