"""What a report page tells machines about itself: Highwire Press ``citation_*``
tags (read by Zotero's connector and Google Scholar) and schema.org JSON-LD."""

from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe

from reports.interop.records import CitedReport

# The escaping of Django's json_script: inside <script>, "</script>" or "<!--" in a
# title must not end or change the element, so <, > and & become JSON escapes.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def highwire_tags(record: CitedReport) -> list[tuple[str, str]]:
    """``(name, content)`` pairs for ``<meta>`` tags, in the order Google Scholar documents them."""
    tags = [("citation_title", record.title)]
    # One tag per author: Zotero splits a tag's content at semicolons, and a
    # "Family, Given" form tells it which part is which.
    tags += [("citation_author", name.inverted) for name in record.authors]
    if record.published:
        tags.append(("citation_publication_date", record.published.strftime("%Y/%m/%d")))
    tags += [
        # The institution makes the record a report for Zotero; Scholar reads the publisher.
        ("citation_technical_report_institution", record.association),
        *([("citation_technical_report_number", record.number)] if record.number else []),
        ("citation_publisher", record.association),
        ("citation_language", record.language),
        ("citation_fulltext_html_url", record.url),
    ]
    if record.pdf_url:
        tags.append(("citation_pdf_url", record.pdf_url))
    return tags


def json_ld(record: CitedReport) -> dict:
    """The report as a schema.org ``Report``."""
    data = {
        "@context": "https://schema.org",
        "@type": "Report",
        "@id": record.url,
        "url": record.url,
        "name": record.title,
        "headline": record.title,
        "author": [_agent(name.text, corporate=name.corporate) for name in record.authors],
        "publisher": _agent(record.association, corporate=True),
        "inLanguage": record.language,
    }
    if record.number:
        data["reportNumber"] = record.number
    if record.published:
        data["datePublished"] = record.published.isoformat()
    if record.year_covered:
        data["temporalCoverage"] = str(record.year_covered)
    if record.pdf_url:
        data["encoding"] = {"@type": "MediaObject", "contentUrl": record.pdf_url, "encodingFormat": "application/pdf"}
    return data


def _agent(name: str, *, corporate: bool) -> dict:
    return {"@type": "Organization" if corporate else "Person", "name": name}


def json_ld_script(data: dict) -> SafeString:
    """``data`` as a ``<script type="application/ld+json">`` block, safe in any HTML.

    A data block, not a script: the Content-Security-Policy (no inline script)
    does not apply to it, as browsers never run it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
