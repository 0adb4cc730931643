"""The article of an HTML page saved from a site, as plain text with one paragraph per block.

Navigation, scripts, styles, page headers and footers go; the article's own
heading and metadata line (发布日期 / 来源) stay, because the text pipeline reads
them. Paragraphs are separated by a blank line, the convention of the seeds.

The page is parsed by lxml (libxml2's HTML parser closes an unclosed ``<p>`` or
``<li>`` as browsers do) twice. First it is only measured, with no tree built:
elements nested deeper than ``limits.html_depth``, more elements than
``limits.html_elements`` or more characters of text than ``limits.characters``
stop that parse where they are met, with a refusal, before the page has cost its
size in memory. Only a page within the limits is built into a tree (a
BeautifulSoup tree costs about a kilobyte an element), and every pass over the
tree after that is linear in its size.
"""

import codecs
import re

from bs4 import BeautifulSoup, CData, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag
from bs4.dammit import EncodingDetector
from lxml import etree

from reports.ingest.decode import decode
from reports.ingest.errors import IngestError
from reports.ingest.limits import ParseLimits

# Never part of the text, wherever they sit.
_ALWAYS_DROP = [
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed",
    "link", "meta", "form", "button", "select", "input", "textarea", "nav", "aside", "dialog",
]
# Site chrome around the article; inside a chosen <article> its own <header> is kept (title, date).
_PAGE_CHROME = ["header", "footer"]
_CHROME_ATTR = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|breadcrumbs?|crumbs?|position|location|sidebar|share|social|comments?|"
    r"pagination|pager|related|footer|copyright|toolbar|ads?|advert)([-_\s]|$)",
    re.I,
)
# Only around the whole page: inside an article, "article-header" holds its title.
_PAGE_CHROME_ATTR = re.compile(r"(^|[-_\s])(header|head|banner|logo|masthead|topbar|top)([-_\s]|$)", re.I)
_CONTENT_ATTR = re.compile(r"(^|[-_\s])(article|content|main|post|detail|text|zoom|trs_editor|entry)([-_\s]|$)", re.I)
_BLOCKS = {
    "address", "article", "blockquote", "center", "dd", "div", "dl", "dt", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section",
    "table", "tbody", "thead", "tfoot", "tr", "ul", "caption",
}
_CELLS = {"td", "th"}
# Elements whose content is never text.
_NOT_TEXT = {"script", "style", "template", "noscript"}
# The strings get_text() counts: not comments, doctypes or the like.
_TEXT_TYPES = (NavigableString, CData)
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
# A source line break between two Chinese characters is not a space (browsers agree).
# The run of white space is matched whole and checked for a line break after: a pattern
# with the break in its middle backtracks over every split of a long run (quadratic).
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\r\n\u00a0]+(?=[{_CJK}])")
# A <br> inside a paragraph, kept apart from source whitespace until the paragraph is built.
_LINE_BREAK = "\u2028"
_TITLE_SEPARATORS = re.compile(r"\s+[-–—|_]\s+|_|\|")

# WHATWG's labels: what a page declares is often the narrower legacy name.
_CHARSET_SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030",
    "big5": "big5hkscs", "x-x-big5": "big5hkscs", "cp950": "big5hkscs", "big5-hkscs": "big5hkscs",
    "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
}


class _OverLimit(Exception):
    def __init__(self, code: str):
        self.code = code


class _Measure:
    """An lxml parser target that builds nothing: it counts, and stops the parse at the first limit passed."""

    def __init__(self, limits: ParseLimits):
        self.limits = limits
        self.depth = self.elements = self.characters = self.inside_not_text = 0

    def start(self, tag, attrib):
        self.elements += 1
        self.depth += 1
        if self.elements > self.limits.html_elements:
            raise _OverLimit("html_too_many_elements")
        if self.depth > self.limits.html_depth:
            raise _OverLimit("html_too_deep")
        self.inside_not_text += tag in _NOT_TEXT

    def end(self, tag):
        self.depth -= 1
        self.inside_not_text -= tag in _NOT_TEXT

    def data(self, data):
        # White space between tags and what scripts and styles hold are not text: they do not count.
        if not self.inside_not_text:
            self.characters += len(data.strip())
            if self.characters > self.limits.characters:
                raise _OverLimit("too_many_characters")

    def close(self):
        return None


def _check_limits(markup: str, *, filename: str, limits: ParseLimits) -> None:
    parser = etree.HTMLParser(target=_Measure(limits), recover=True)
    try:
        parser.feed(markup)
        parser.close()
    except _OverLimit as over:
        limit = {"html_too_deep": limits.html_depth, "html_too_many_elements": limits.html_elements,
                 "too_many_characters": limits.characters}[over.code]
        raise IngestError(over.code, name=filename, limit=limit) from None


def html_to_text(data: bytes, *, filename: str, limits: ParseLimits = ParseLimits()) -> str:
    markup = decode_html(data)
    _check_limits(markup, filename=filename, limits=limits)
    soup = BeautifulSoup(markup, "lxml")
    for tag in soup.find_all(_ALWAYS_DROP):
        tag.decompose()
    for node in soup.find_all(string=lambda s: isinstance(s, (Comment, Declaration, Doctype, ProcessingInstruction))):
        node.extract()
    root = _article_root(soup)
    _drop_chrome(root)
    paragraphs = _paragraphs(root)
    title = _page_title(soup, root)
    if title and not (paragraphs and title in paragraphs[0]):
        paragraphs.insert(0, title)
    return "\n\n".join(paragraphs)


def decode_html(data: bytes) -> str:
    """The page as text: its declared charset when that reads it, else what the plain-text decoder finds.

    Valid UTF-8 wins over a declaration, because pages saved or re-served in
    UTF-8 often keep their old ``charset=gb2312``, and GB18030 would read those
    bytes without an error, as nonsense; Chinese in GB18030 or Big5 is
    practically never valid UTF-8. Without a usable declaration the plain-text
    decoder decides (BOM, UTF-16, GB18030 or Big5 by which reads as common
    characters) and marks what it cannot decode with U+FFFD, counted as damage.
    """
    declared = _normalise_charset(EncodingDetector.find_declared_encoding(data, is_html=True))
    has_bom = data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if declared and not has_bom:
        for encoding in ("utf-8", declared):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    return decode(data).text


def _normalise_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    name = _CHARSET_SUPERSETS.get(name, name)
    try:
        codecs.lookup(name)
        return name
    except LookupError:
        return None  # an unknown label: try the usual encodings instead


def _text_lengths(soup: BeautifulSoup) -> dict[int, int]:
    """The length of every element's text, as ``get_text(strip=True)`` has it, by ``id()``.

    One pass up the tree: asking each candidate for its text would read the
    text of nested candidates again and again.
    """
    lengths: dict[int, int] = {}
    stack: list[tuple[Tag, bool]] = [(soup, False)]
    while stack:
        node, children_counted = stack.pop()
        if children_counted:
            lengths[id(node)] = sum(
                lengths[id(child)] if isinstance(child, Tag) else len(child.strip())
                for child in node.contents
                if isinstance(child, Tag) or type(child) in _TEXT_TYPES
            )
        else:
            stack.append((node, True))
            stack.extend((child, False) for child in node.contents if isinstance(child, Tag))
    return lengths


def _attr_words(tag: Tag) -> str:
    return " ".join([tag.get("id") or "", *(tag.get("class") or [])])


def _article_root(soup: BeautifulSoup) -> Tag:
    """The element holding the article: <article>, <main>, or the largest content-like block."""
    body = soup.body or soup
    lengths = _text_lengths(soup)

    def length(tag: Tag) -> int:
        return lengths.get(id(tag), 0)

    for finder in (lambda: soup.find_all("article"), lambda: soup.find_all(["main"]) + soup.find_all(attrs={"role": "main"})):
        found = [tag for tag in finder() if length(tag)]
        if found:
            return max(found, key=length)
    total = length(body)
    candidates = [
        tag for tag in body.find_all(["div", "section", "td"])
        if _CONTENT_ATTR.search(_attr_words(tag)) and not _CHROME_ATTR.search(_attr_words(tag))
    ]
    if candidates:
        best = max(candidates, key=length)
        # A "content" div that holds a small part of the page is a widget, not the article.
        if total and length(best) >= 0.4 * total:
            return best
    return body


def _gone(tag: Tag) -> bool:
    """True for an element decomposed with an ancestor earlier in the same pass.

    Not ``Tag.decomposed``: on a live element that property ends in bs4's fallback
    for unknown attributes, a search of the element's whole subtree, which made a
    pass over a deeply nested page quadratic. A decomposed element has no parent.
    """
    return tag.parent is None


def _drop_chrome(root: Tag) -> None:
    keep_header = root.name in ("article", "main")
    for tag in root.find_all(_PAGE_CHROME):
        if _gone(tag):
            continue
        if tag.name == "header" and keep_header and tag.find_parent(["article", "main"]) is not None:
            continue
        tag.decompose()
    whole_page = root.name in ("body", "[document]")
    for tag in root.find_all(True):
        if tag is root or _gone(tag):
            continue
        words = _attr_words(tag)
        if _CHROME_ATTR.search(words) or (whole_page and _PAGE_CHROME_ATTR.search(words)):
            tag.decompose()


def _page_title(soup: BeautifulSoup, root: Tag) -> str:
    """The title to put first when the article itself has no heading."""
    if root.find(["h1", "h2"]):
        return ""
    heading = soup.find("h1")
    if heading and _inline(heading.get_text()):
        return _inline(heading.get_text())
    if soup.title and soup.title.string:
        # "标题_网站名" or "Title - Site": the first part is the article's.
        parts = [part.strip() for part in _TITLE_SEPARATORS.split(soup.title.string) if part.strip()]
        return parts[0] if parts else ""
    return ""


def _paragraphs(root: Tag) -> list[str]:
    paragraphs: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        text = _inline("".join(pending))
        pending.clear()
        if text:
            paragraphs.append(text)

    # Depth first with a stack of its own (a page may nest as deep as its limit allows);
    # what follows an element's children: its paragraph ends (a block), or a space (a cell).
    stack: list[tuple] = [(iter(root.children), None)]
    while stack:
        children, after = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if after == "block":
                flush()
            elif after == "cell":
                pending.append(" ")
        elif isinstance(child, NavigableString):
            pending.append(str(child))
        elif child.name == "br":
            pending.append(_LINE_BREAK)
        elif child.name in _BLOCKS:
            flush()
            stack.append((iter(child.children), "block"))
        elif child.name in _CELLS:
            stack.append((iter(child.children), "cell"))
        else:
            stack.append((iter(child.children), None))
    flush()
    return paragraphs


def _join_cjk(gap: re.Match) -> str:
    return "" if "\n" in gap.group() else gap.group()


def _inline(text: str) -> str:
    """Collapse HTML whitespace as a browser does; each <br> becomes a line break."""
    lines = [re.sub(r"\s+", " ", _CJK_GAP.sub(_join_cjk, line)).strip() for line in text.split(_LINE_BREAK)]
    return "\n".join(line for line in lines if line)
