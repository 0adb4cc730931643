"""A report as unqualified Dublin Core (oai_dc), and the fingerprint that dates its record.

OAI-PMH asks that a record's datestamp change whenever the metadata a harvester
receives changes, and only then. The fingerprint is a hash of exactly what
``elements`` produces (and of the record's sets), so ``upkeep`` can tell an edit
that matters from a save that changes nothing a harvester sees.
"""

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from reports.models import Report
from reports.originals import content_type_for

# The DCMI Type Vocabulary's term, then what kind of text it is.
TYPES = ("Text", "Report")

_SPACES = re.compile(r"\s+")
# Within this share of the end of the cut, an English text is cut at a space instead.
_WORD_CUT_SHARE = 0.8


@dataclass(frozen=True)
class Element:
    name: str  # the Dublin Core element: title, creator, date...
    value: str
    lang: str | None = None  # xml:lang, on text written in the report's own language


def opening_length(limit: int) -> int:
    """How many characters of the text ``describe`` needs to make a description of ``limit``."""
    # Twice the limit leaves room for the white space that is folded away; one more tells
    # whether the text goes on.
    return 2 * limit + 1 if limit else 0


def describe(opening: str, *, limit: int) -> str:
    """The opening of a text on one line, at most ``limit`` characters, with "…" where it was cut.

    ``opening`` is the text's first ``opening_length(limit)`` characters, or all of a shorter text.
    """
    if not limit:
        return ""
    goes_on = len(opening) >= opening_length(limit)
    text = _SPACES.sub(" ", opening[: 2 * limit]).strip()
    if len(text) > limit:
        text, goes_on = text[:limit], True
        space = text.rfind(" ")
        if space > limit * _WORD_CUT_SHARE:
            text = text[:space]
    return text.rstrip() + "…" if goes_on and text else text


def elements(report: Report, *, url: str, description: str) -> list[Element]:
    """The report's oai_dc elements, in the schema's order; empty values are left out.

    ``report`` needs its association; ``description`` comes from ``describe``.
    """
    lang = report.language or None
    found = [
        Element("title", report.title, lang),
        # The authors, then the association that published it (once, when it is the author).
        *(Element("creator", name, lang) for name in dict.fromkeys((report.authors, report.association.name))),
        Element("description", description, lang),
        Element("date", report.published.isoformat() if report.published else str(report.year or "")),
        *(Element("type", kind) for kind in TYPES),
        Element("format", content_type_for(report.source_name) if report.source_name else ""),
        Element("identifier", url),
        # The official document number (文号) is the second identifier librarians look for.
        Element("identifier", report.document_number),
        Element("source", report.source),
        Element("language", report.language),
        Element("coverage", str(report.year or "")),
    ]
    return [element for element in found if element.value]


def fingerprint(report: Report, *, description: str, set_specs: Iterable[str]) -> str:
    """A hash of everything the record shows but its URL's host, which depends on the request."""
    shown = [
        [element.name, element.value, element.lang]
        for element in elements(report, url=report.get_absolute_url(), description=description)
    ]
    payload = json.dumps([shown, sorted(set_specs)], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
