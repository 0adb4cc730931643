"""Template filters for reading reports; each wraps a plain function.

    {% load reading %}
    {{ report.title|in_script:script }}
    {{ section.text|in_script:script|paragraphs }}
"""

from django import template
from django.template.defaultfilters import stringfilter

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
    return display.text_length(report.body, report.language)


@register.filter
def original_size(report) -> int | None:
    return display.original_size(report)
