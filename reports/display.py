"""Turning stored report text into safe HTML for reading.

Plain functions so tests can call them directly; the template filters in
``reports.templatetags.reading`` only wrap them.
"""

import re

from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext

from reports.ingest.clean import DAMAGE_MARK
from reports.search.analyzer import HAN_CLASS
from reports.text import convert_script, to_simplified, to_traditional

# The parser's mark for a damaged span: one definition, in reports.ingest.clean.
_DAMAGED_RUN = re.compile(f"{DAMAGE_MARK}+")
_PARAGRAPH_BREAK = re.compile(r"\n+")
_HAN = re.compile(f"[{HAN_CLASS}]")
_LETTER = re.compile(r"[^\W\d_]")
# The language a text is in, when it is to be read from the text itself (a name).
FROM_TEXT = "auto"

# Warning kinds the parser raises, with the names readers see; unknown kinds show as they are.
WARNING_KIND_LABELS = {
    "damaged": gettext_noop("Damaged text"),
    "undecodable": gettext_noop("Undecodable bytes"),
    "uncertain": gettext_noop("Uncertain reading"),
    "guessed": gettext_noop("Guessed field"),
}


def mark_damaged(text: str) -> SafeString:
    """Escape ``text`` and wrap each run of U+FFFD in a visible, explained ``<mark>``.

    The parser keeps damaged characters as U+FFFD instead of passing off a guess as
    clean text; readers should see exactly where that happened.
    """
    title = gettext("Damaged in the source: these characters could not be read.")
    pieces = []
    position = 0
    for match in _DAMAGED_RUN.finditer(text):
        pieces.append(escape(text[position:match.start()]))
        pieces.append(format_html('<mark class="damaged" title="{}">{}</mark>', title, match.group()))
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))


def split_paragraphs(text: str) -> list[str]:
    """The cleaned text keeps one paragraph per line; blank lines carry no meaning."""
    return [line.strip() for line in _PARAGRAPH_BREAK.split(text or "") if line.strip()]


def render_paragraphs(text: str) -> SafeString:
    """``text`` as escaped ``<p>`` elements with damaged spans marked."""
    return mark_safe("\n".join(format_html("<p>{}</p>", mark_damaged(p)) for p in split_paragraphs(text)))


def has_damage(text: str) -> bool:
    return DAMAGE_MARK in (text or "")


def heading_level(level: int) -> int:
    """HTML heading rank for a section level: the report title is h1, sections h2 to h6."""
    return min(max(level, 1) + 1, 6)


def warning_label(kind: str) -> str:
    label = WARNING_KIND_LABELS.get(kind)
    return gettext(label) if label else kind


# Fields the parser may record as guessed, with the names the report page uses for them.
GUESSED_FIELD_LABELS = {
    "title": gettext_noop("Title"),
    "published": gettext_noop("Date"),
    "year": gettext_noop("Year covered"),
    "source": gettext_noop("Source"),
    "authors": gettext_noop("Author"),
    "language": gettext_noop("Language"),
    "association": gettext_noop("Association"),
    "region": gettext_noop("Region"),
}


# How a guessed field was inferred: the parser records a reason code; rows stored
# before it did carry only its English sentence, which names the same reason.
GUESS_REASONS_OF_MESSAGES = {
    "Association inferred from the text": "from_text",
    "Year covered taken from the publication date": "from_date",
    "Year covered guessed as the latest year the text mentions": "latest_year_mentioned",
    "Region inferred from the places the text names": "from_places",
}
GUESS_SENTENCES = {
    ("association", "from_text"): gettext_noop(
        "The association is not stated in the source; “%(value)s” was inferred from the text."),
    ("year", "from_date"): gettext_noop(
        "The year covered is not stated in the source; %(value)s was taken from the publication date."),
    ("year", "latest_year_mentioned"): gettext_noop(
        "The year covered is not stated in the source; %(value)s is the latest year the text mentions."),
    ("region", "from_places"): gettext_noop(
        "The region is not stated in the source; “%(value)s” was inferred from the places the text names."),
}


def describe_warning(warning: dict, script: str | None = None) -> str:
    """A warning in the reader's interface language, built from its kind and fields.

    The parser's ``message`` is English prose, for the command line; the sentence
    shown is made here from the fields it was made from (line, original, context;
    field, value and how it was inferred; count), so that it can be translated.
    Quoted report text follows the reader's script. A warning with none of the
    fields known here (a kind added later, a row stored long ago) shows its message.
    """
    kind = warning.get("kind")

    def quoted(key: str) -> str:
        return convert_script(str(warning.get(key, "")), script)

    if kind == "damaged" and warning.get("original") and warning.get("line"):
        return gettext("Line %(line)s of the source: “%(original)s” could not be read (in “%(context)s”).") % {
            "line": warning["line"], "original": quoted("original"), "context": quoted("context"),
        }
    if kind == "uncertain" and warning.get("page") and warning.get("line"):
        return gettext("Page %(page)s, line %(line)s: text recognition was unsure of “%(original)s” (in “%(context)s”).") % {
            "page": warning["page"], "line": warning["line"], "original": quoted("original"), "context": quoted("context"),
        }
    if kind == "undecodable" and warning.get("count"):
        return gettext("%(count)s characters could not be decoded; they are marked in the text.") % {
            "count": warning["count"],
        }
    if kind == "sections" and warning.get("reason") == "headings_demoted" and warning.get("demoted"):
        return ngettext(
            "More than %(limit)s headings: the deepest %(demoted)s was kept as a paragraph (a long list, not a structure).",
            "More than %(limit)s headings: the deepest %(demoted)s were kept as paragraphs (a long list, not a structure).",
            warning["demoted"],
        ) % {"limit": warning.get("limit", ""), "demoted": warning["demoted"]}
    if kind == "guessed" and warning.get("reason") == "not_a_date" and warning.get("written"):
        return gettext("The source gives the date as “%(written)s”, which is not a valid date; please set the date.") % {
            "written": quoted("written"),
        }
    if kind == "guessed" and warning.get("field") in GUESSED_FIELD_LABELS:
        label = gettext(GUESSED_FIELD_LABELS[warning["field"]])
        if warning.get("value") in (None, ""):
            return gettext("%(field)s is not stated in the source and could not be inferred.") % {"field": label}
        reason = warning.get("reason") or GUESS_REASONS_OF_MESSAGES.get(str(warning.get("message", "")))
        sentence = GUESS_SENTENCES.get((warning["field"], reason))
        if sentence:
            return gettext(sentence) % {"value": quoted("value")}
        return gettext("%(field)s is not stated in the source; “%(value)s” was inferred.") % {
            "field": label, "value": quoted("value"),
        }
    return convert_script(str(warning.get("message", "")), script)


def shown_language(language: str, script: str | None) -> str:
    """The BCP 47 tag of a text after script conversion (English stays English)."""
    if language.startswith("zh") and script in ("hans", "hant"):
        return "zh-Hans" if script == "hans" else "zh-Hant"
    return language


def language_of(text: str, *, language: str = FROM_TEXT, script: str | None = None) -> str:
    """The BCP 47 tag of ``text`` as shown in ``script``: ``language`` (a report's)
    when known, else read from the text (a name: 醫學會 is Traditional, 医学会
    Simplified, 天津市 either; letters without Han are English); "" for a text
    of digits and signs, which has no language."""
    if language != FROM_TEXT:
        return shown_language(language, script)
    if _HAN.search(text):
        if script in ("hans", "hant"):
            return shown_language("zh", script)
        if to_simplified(text) != text:
            return "zh-Hant"
        return "zh-Hans" if to_traditional(text) != text else "zh"
    return "en" if _LETTER.search(text) else ""


def differs_from_page(tag: str, page_language: str) -> bool:
    """Whether a text in ``tag`` needs a ``lang`` of its own on a page in ``page_language``.

    A Chinese text the same in both scripts ("zh") reads as the page on a Chinese page.
    """
    tag, page = tag.lower(), page_language.lower()
    if not tag or tag == page:
        return False
    return not (tag == "zh" and page.startswith("zh"))


def in_language(html: str, tag: str, page_language: str) -> SafeString:
    """Escaped ``html`` (marks kept) in a ``<span lang>`` when its language is not the page's."""
    if differs_from_page(tag, page_language):
        return format_html('<span lang="{}">{}</span>', tag, html)
    return conditional_escape(html)


def text_length(*, words: int, characters: int, language: str) -> str:
    """How long a text is, as its readers count: words for English, characters
    (spaces and line breaks aside) for Chinese, which has no spaces between words."""
    if language.startswith("en"):
        return ngettext("%(count)s word", "%(count)s words", words) % {"count": words}
    return ngettext("%(count)s character", "%(count)s characters", characters) % {"count": characters}


def original_size(report) -> int | None:
    """Size in bytes of the kept original, or None when the file is missing."""
    try:
        return report.original.size
    except (OSError, ValueError):
        return None

