"""Snippets of a section as written, with the matched words in ``<mark>``.

Matching runs on normalised tokens (Simplified, NFKC, stemmed), but each token
keeps the span of the original characters it came from, so the marks land on the
text in the report's own script. Shown in the reader's chosen script instead, the
snippet is converted with a map back to the text as written
(:func:`reports.text.convert_script_mapped`), and the marks follow the map: they
stay on the right characters even where OpenCC changes a phrase's length. Every
piece of text is HTML-escaped before the marks are put around it, so nothing in
a report can inject markup.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reports.search.analyzer import HAN, HAN_CLASS, AnalyzedToken, analyze, normalized_text
from reports.search.query import Element, Pattern
from reports.text import convert_script_mapped

ELLIPSIS = "…"
_SPACE = re.compile(r"\s+")
_WORD_CHAR = re.compile(r"[A-Za-z0-9]")
_HAN_ONLY = re.compile(f"[{HAN_CLASS}]+")


def _element_span(token: AnalyzedToken, element: Element) -> tuple[int, int] | None:
    if token.text == element.text:
        return token.start, token.end
    if element.prefix and token.kind == HAN and len(token.text) == 2 and token.text[0] == element.text:
        # The character starts a two-character piece: mark that character only.
        return token.char_spans[0]
    return None


# A popular query highlights the same sections again and again; a few dozen
# analysed sections per worker is a small price for not redoing them.
_analyzed = lru_cache(maxsize=64)(analyze)


def han_string(pattern: Pattern) -> str | None:
    """The Chinese text a pattern of Han pieces stands for (医院, 院党, 党建 -> 医院党建;
    a lone prefix character -> itself); None for any other pattern."""
    texts = [element.text for element in pattern]
    if not texts or not all(_HAN_ONLY.fullmatch(text) for text in texts):
        return None
    if len(texts) == 1 and len(texts[0]) == 1:
        return texts[0] if pattern[0].prefix else None
    chained = all(len(text) == 2 for text in texts) and all(
        before[1] == after[0] for before, after in zip(texts, texts[1:]))
    return texts[0] + "".join(text[1] for text in texts[1:]) if chained else None


def _found_spans(text: str, normal: str, needle: str) -> list[tuple[int, int]] | None:
    """The spans of a pattern of Han pieces (``needle``, its :func:`han_string`), by
    finding its text in the normalised section (``normal``): a hundred times faster
    than analysing the section, which a page of twenty results would otherwise do
    twenty times. None when it cannot be sure of the answer (a text whose
    normalisation moves characters), and the analysis decides."""
    if len(normal) != len(text):
        return None
    spans = []
    start = normal.find(needle)
    while start >= 0:
        end = start + len(needle)
        written = text[start:end]
        if written != needle and normalized_text(written) != needle:
            return None
        spans.append((start, end))
        start = normal.find(needle, start + 1)
    return spans


def spans_by_pattern(text: str, patterns: list[Pattern]) -> list[list[tuple[int, int]]]:
    """For each pattern, every span of ``text`` (as written) it matches, in text order and
    not merged: overlapping matches (医医 twice in 医医医) are each one. The index counts
    them the same way, so these are as many as the search's occurrence counts."""
    normal = None
    found = []
    for pattern in patterns:
        needle = han_string(pattern)
        spans = None
        if needle is not None:
            normal = normalized_text(text) if normal is None else normal
            spans = _found_spans(text, normal, needle)
        found.append(spans if spans is not None else _analysed_spans(text, pattern))
    return found


def match_spans(text: str, patterns: list[Pattern]) -> list[tuple[int, int]]:
    """Spans of ``text`` (as written) matched by any pattern, merged and sorted."""
    return _merge([span for spans in spans_by_pattern(text, patterns) for span in spans])


def _analysed_spans(text: str, pattern: Pattern) -> list[tuple[int, int]]:
    if not pattern:
        return []
    tokens = _analyzed(text)
    spans: list[tuple[int, int]] = []
    length = len(pattern)
    for first in range(len(tokens) - length + 1):
        matched = []
        for offset, element in enumerate(pattern):
            span = _element_span(tokens[first + offset], element)
            if span is None:
                break
            matched.append(span)
        else:
            spans.append((min(s for s, _ in matched), max(e for _, e in matched)))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, start: int, end: int, spans: list[tuple[int, int]], script: str | None) -> SafeString:
    """``text[start:end]`` in ``script``, escaped, with ``spans`` (of ``text``) marked."""
    def plain(piece: str) -> str:
        return escape(_SPACE.sub(" ", piece))

    # Only the shown window is converted: a snippet of a long section costs no more than a title.
    shown = convert_script_mapped(text[start:end], script)
    parts = [ELLIPSIS if start > 0 else ""]
    cursor = 0
    for span_start, span_end in spans:
        mark_start, mark_end = shown.span(span_start - start, span_end - start)
        parts.append(plain(shown.text[cursor:mark_start]))
        parts.append("<mark>%s</mark>" % plain(shown.text[mark_start:mark_end]))
        cursor = mark_end
    parts.append(plain(shown.text[cursor:]))
    parts.append(ELLIPSIS if end < len(text) else "")
    return mark_safe("".join(parts).strip())


def _widen_to_word(text: str, start: int, end: int, reach: int = 20) -> tuple[int, int]:
    # Do not cut an English word in half at either end of a snippet.
    limit = max(0, start - reach)
    while start > limit and _WORD_CHAR.match(text[start - 1]) and _WORD_CHAR.match(text[start]):
        start -= 1
    limit = min(len(text), end + reach)
    while end < limit and _WORD_CHAR.match(text[end - 1]) and _WORD_CHAR.match(text[end]):
        end += 1
    return start, end


def snippets(text: str, spans: list[tuple[int, int]], *, context: int = 36,
             max_fragments: int = 3, script: str | None = None) -> list[SafeString]:
    """Up to ``max_fragments`` fragments around the spans, richest first picked, shown in
    text order, in ``script`` ('hans', 'hant'; None: as written)."""
    if not spans:
        return []
    longest = context * 6          # a run of nearby matches still gives short snippets
    fragments: list[list] = []   # [start, end, spans]
    for span_start, span_end in spans:
        start, end = max(0, span_start - context), min(len(text), span_end + context)
        if fragments and start <= fragments[-1][1]:
            last = fragments[-1]
            if end - last[0] <= longest:
                last[1] = max(end, last[1])
                last[2].append((span_start, span_end))
                continue
            # Too long to grow: close the last fragment at this match instead.
            last[1] = max(last[2][-1][1], min(last[1], span_start))
            start = last[1]
        fragments.append([start, end, [(span_start, span_end)]])
    chosen = sorted(fragments, key=lambda fragment: -len(fragment[2]))[:max_fragments]
    chosen.sort(key=lambda fragment: fragment[0])
    rendered = []
    for start, end, inside in chosen:
        start, end = _widen_to_word(text, start, end)
        rendered.append(_render(text, start, end, inside, script))
    return rendered


def highlight(text: str, patterns: list[Pattern], **options) -> list[SafeString]:
    """Escaped snippets of ``text`` with the matches marked; empty if nothing matches.

    ``options`` are :func:`snippets`'s (``context``, ``max_fragments``, ``script``).
    """
    return snippets(text, match_spans(text, patterns), **options)


def mark_all(text: str, patterns: list[Pattern], *, script: str | None = None) -> SafeString:
    """The whole of a short text (a title, a heading), escaped, with the matches marked."""
    return _render(text, 0, len(text), match_spans(text, patterns), script)
