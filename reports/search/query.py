"""Reading what people type into the search box.

Syntax: words (all must match in one section), ``"quoted phrases"`` (also “…” and
「…」), ``AND``, ``OR``, ``NOT``, ``-word`` and brackets; ``A -B`` and ``A NOT B``
leave out every report that mentions B. A word of several Han characters is
matched as a phrase (its two-character pieces adjacent and in order), not as
pieces scattered through a section. Input that does not parse (unbalanced quotes
or brackets, a dangling operator, nesting deeper than anyone types) is searched
as plain text with a notice; nothing anyone types raises an error.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Union

from django.utils.translation import gettext as _

from reports.search.analyzer import HAN, analyze

MAX_QUERY_CHARS = 500
# Deeper than anyone types; deeper input ((((...)))) is read as plain text, which
# also keeps every recursive walk of the query far from Python's recursion limit.
MAX_DEPTH = 16
QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』", "„": "“"}
OPERATORS = {"AND", "OR", "NOT"}


class QuerySyntaxError(ValueError):
    pass


# The parsed query -----------------------------------------------------------


@dataclass(frozen=True)
class Text:
    raw: str
    quoted: bool = False


@dataclass(frozen=True)
class Not:
    child: "Node"


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


Node = Union[Text, Not, And, Or]


@dataclass(frozen=True)
class Element:
    """One token to find. ``prefix``: a lone Han character at the end of a query may
    also be the first half of a two-character piece in the index (医 in 医师)."""

    text: str
    prefix: bool = False


Pattern = tuple[Element, ...]   # elements at consecutive positions


def pattern_of(raw: str) -> Pattern:
    tokens = analyze(raw)
    last = len(tokens) - 1
    elements = []
    for index, token in enumerate(tokens):
        lone_han = token.kind == HAN and len(token.text) == 1
        if lone_han and token.run_length > 1 and index == last:
            # The lone last character of a run is indexed only where the text's run
            # ends there too; at the end of a query the text may go on (医院 in 医院党建).
            continue
        elements.append(Element(token.text, prefix=lone_han and index == last))
    return tuple(elements)


# Lexing and parsing ---------------------------------------------------------


def _lex(text: str) -> list[tuple[str, str]]:
    """Split into (kind, value): word, quoted, op, not, lparen, rparen."""
    items: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in QUOTES:
            close = text.find(QUOTES[char], i + 1)
            if close < 0:
                raise QuerySyntaxError("unbalanced quote")
            items.append(("quoted", text[i + 1:close]))
            i = close + 1
        elif char in "()":
            items.append(("lparen" if char == "(" else "rparen", char))
            i += 1
        elif char == "-" and i + 1 < n and (text[i + 1] in QUOTES or text[i + 1] == "("):
            items.append(("not", char))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in QUOTES and text[j] not in "()":
                j += 1
            word = text[i:j]
            if word in OPERATORS:
                items.append(("not", word) if word == "NOT" else ("op", word))
            elif word.startswith("-") and len(word) > 1:
                items.append(("not", "-"))
                items.append(("word", word[1:]))
            else:
                items.append(("word", word))
            i = j
    return items


class _Parser:
    """or := and (OR and)* ; and := unary ([AND] unary)* ; unary := NOT unary | primary."""

    def __init__(self, items):
        self.items = items
        self.index = 0
        self.depth = 0

    def peek(self):
        return self.items[self.index] if self.index < len(self.items) else (None, None)

    def take(self):
        item = self.peek()
        self.index += 1
        return item

    def parse(self) -> Node:
        node = self.or_expr()
        if self.index != len(self.items):
            raise QuerySyntaxError("unexpected %s" % (self.peek()[1],))
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while self.peek() == ("op", "OR"):
            self.take()
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self) -> Node:
        children = [self.unary()]
        while True:
            kind, value = self.peek()
            if (kind, value) == ("op", "AND"):
                self.take()
                children.append(self.unary())
            elif kind in {"word", "quoted", "not", "lparen"}:
                children.append(self.unary())
            else:
                break
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self) -> Node:
        kind, value = self.take()
        if kind in {"not", "lparen"}:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QuerySyntaxError("nested too deeply")
            try:
                if kind == "not":
                    return Not(self.unary())
                node = self.or_expr()
                if self.take()[0] != "rparen":
                    raise QuerySyntaxError("unbalanced bracket")
                return node
            finally:
                self.depth -= 1
        if kind == "word":
            return Text(value)
        if kind == "quoted":
            return Text(value, quoted=True)
        raise QuerySyntaxError("expected a word, found %s" % (value or "the end",))


def _plain(text: str) -> Node | None:
    """The fallback: every word must match; quotes, brackets and operators are ignored."""
    for char in list(QUOTES) + list(QUOTES.values()) + ["(", ")"]:
        text = text.replace(char, " ")
    words = [Text(word) for word in text.split() if word not in OPERATORS]
    if not words:
        return None
    return words[0] if len(words) == 1 else And(tuple(words))


# Pruning words that give no tokens (``*``, punctuation) -----------------------


def _prune(node: Node | None) -> Node | None:
    if node is None:
        return None
    if isinstance(node, Text):
        return node if pattern_of(node.raw) else None
    if isinstance(node, Not):
        child = _prune(node.child)
        return Not(child) if child is not None else None
    children = tuple(child for child in (_prune(c) for c in node.children) if child is not None)
    if not children:
        return None
    if len(children) == 1:
        return children[0]
    return type(node)(children)


def _has_positive(node: Node, negated: bool = False) -> bool:
    if isinstance(node, Text):
        return not negated
    if isinstance(node, Not):
        return _has_positive(node.child, not negated)
    if isinstance(node, And):
        # An AND needs one positive part; NOT parts only narrow it.
        return any(_has_positive(child, negated) for child in node.children)
    return all(_has_positive(child, negated) for child in node.children)


@dataclass(frozen=True)
class ParsedQuery:
    text: str                       # what was searched for (trimmed, maybe shortened)
    node: Node | None
    notices: tuple[str, ...] = field(default=())

    @property
    def searchable(self) -> bool:
        return self.node is not None and _has_positive(self.node)

    def split(self) -> tuple[Node | None, tuple[Node, ...]]:
        """What a section must match, and the parts whose matches rule out a whole report.

        ``A -B`` and ``A NOT B`` leave out reports that mention B anywhere, not
        only the sections that do: that is what someone excluding a word means.
        """
        if isinstance(self.node, And):
            kept = tuple(child for child in self.node.children if not isinstance(child, Not))
            excluded = tuple(child.child for child in self.node.children if isinstance(child, Not))
            if kept and excluded:
                return (kept[0] if len(kept) == 1 else And(kept)), excluded
        return self.node, ()

    @property
    def identity(self):
        """What the query looks for, the same for queries that differ only in script,
        quoting or spacing (医院党建, 醫院黨建, "医院党建"): the key answers are kept under."""
        return _identity(self.node)

    def positive_words(self) -> list[Text]:
        """Every word not under a NOT, in query order."""
        found: list[Text] = []

        def walk(node: Node, negated: bool) -> None:
            if isinstance(node, Text):
                if not negated:
                    found.append(node)
            elif isinstance(node, Not):
                walk(node.child, not negated)
            else:
                for child in node.children:
                    walk(child, negated)

        if self.node is not None:
            walk(self.node, False)
        return found

    def patterns(self) -> list[Pattern]:
        """The patterns a result should show marked: every word not under a NOT."""
        return list(dict.fromkeys(pattern_of(word.raw) for word in self.positive_words()))


def _identity(node: Node | None):
    if node is None:
        return None
    if isinstance(node, Text):
        return pattern_of(node.raw)
    if isinstance(node, Not):
        return ("not", _identity(node.child))
    return (type(node).__name__, tuple(_identity(child) for child in node.children))


def parse_query(text: str) -> ParsedQuery:
    text = (text or "").strip()
    notices: list[str] = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notices.append(_("The query was shortened to its first %(n)d characters.") % {"n": MAX_QUERY_CHARS})
    if not text:
        return ParsedQuery("", None, tuple(notices))
    try:
        # Full-width brackets and quotes from a Chinese keyboard work like ASCII ones.
        node = _Parser(_lex(unicodedata.normalize("NFKC", text))).parse()
    except QuerySyntaxError:
        node = _plain(unicodedata.normalize("NFKC", text))
        notices.append(_("The query could not be read as a search expression (check quotes, "
                         "brackets and AND/OR/NOT), so it was searched as plain text."))
    node = _prune(node)
    if node is None:
        notices.append(_("The query has no words or characters to search for."))
    elif not _has_positive(node):
        notices.append(_("A query needs at least one word to look for, not only words to leave out."))
    return ParsedQuery(text, node, tuple(notices))
