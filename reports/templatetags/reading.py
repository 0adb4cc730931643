"""Template filters for reading reports; each wraps a plain function.

    {% load reading %}
    {% shown report.title of=report %}      the text in the reader's script, with its lang
    {% shown association.name %}            a name: its language read from the text
    {{ section.text|in_script:script|paragraphs }}
"""

from django import template
from django.template.defaultfilters import stringfilter
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from reports import display
from reports.text import convert_script

register = template.Library()


@register.filter
@stringfilter
def in_script(value: str, script: str | None) -> str:
    """``value`` in the reader's script ('hans', 'hant'), or as written (None).

    The result is a plain string, so autoescaping still applies after conversion.
    """
    return convert_script(value, script)


@register.simple_tag(takes_context=True)
def shown(context, text, of=None, language=display.FROM_TEXT, damaged=False, as_written=False):
    """A text of the archive (not of the interface) as the reader sees it: in their
    script, escaped (``damaged``: with damaged characters marked), and inside a
    ``<span lang>`` when its language is not the page's: a Traditional name on a
    Simplified page, an English title in the Chinese interface, Chinese in the
    English one. ``of``: the report it belongs to, whose language it is in;
    otherwise ``language``, or read from the text. ``as_written``: never converted
    (a file name). The one place that decides."""
    script = None if as_written else context.get("script")
    written = "" if text is None else str(text)
    value = convert_script(written, script)
    html = display.mark_damaged(value) if damaged else conditional_escape(value)
    tag = display.language_of(written, language=of.language if of is not None else language, script=script)
    return display.in_language(html, tag, get_language() or "")


@register.filter
@stringfilter
def paragraphs(value: str):
    return display.render_paragraphs(value)


@register.filter
@stringfilter
def damaged(value: str):
    """Escaped text with damaged characters marked, for headings and titles."""
    return display.mark_damaged(value)


@register.filter
def heading_rank(level: int) -> int:
    return display.heading_level(level)


@register.filter
def warning_label(kind: str) -> str:
    return display.warning_label(kind)


@register.filter
def warning_text(warning: dict, script: str | None) -> str:
    return display.describe_warning(warning, script)


@register.filter
def text_language(language: str, script: str | None) -> str:
    """The ``lang`` of a text as shown, so browsers pick Simplified or Traditional glyphs."""
    return display.shown_language(language, script)


@register.filter
def text_length(report) -> str:
    """The report's length in words (English) or characters (Chinese), in the interface language."""
    return display.text_length(words=report.words, characters=report.characters, language=report.language)


@register.filter
def original_size(report) -> int | None:
    return display.original_size(report)


@register.filter
def guessed_language(value: str, script: str | None = None) -> str:
    """The ``lang`` of a text whose language is not recorded (a query, a name), as shown."""
    return display.language_of(str(value), script=script)


@register.filter
def percent(value) -> str:
    """A share (0 to 1) as a percentage with one decimal: 0.125 -> 12.5%."""
    return f"{float(value) * 100:.1f}%"
