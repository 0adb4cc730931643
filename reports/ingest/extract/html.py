"""The article of an HTML page saved from a site, as plain text with one paragraph per block.

Navigation, scripts, styles, page headers and footers go; the article's own
heading and metadata line (发布日期 / 来源) stay, because the text pipeline reads
them. Paragraphs are separated by a blank line, the convention of the seeds.
"""

import codecs
import re

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag
from bs4.dammit import EncodingDetector

from reports.ingest.decode import decode

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
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
# A source line break between two Chinese characters is not a space (browsers agree).
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\n\u00a0]*\n[ \t\r\n\u00a0]*(?=[{_CJK}])")
# A <br> inside a paragraph, kept apart from source whitespace until the paragraph is built.
_LINE_BREAK = "\u2028"
_TITLE_SEPARATORS = re.compile(r"\s+[-–—|_]\s+|_|\|")

# WHATWG's labels: what a page declares is often the narrower legacy name.
_CHARSET_SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030",
    "big5": "big5hkscs", "x-x-big5": "big5hkscs", "cp950": "big5hkscs", "big5-hkscs": "big5hkscs",
    "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
}


def html_to_text(data: bytes) -> str:
    soup = BeautifulSoup(decode_html(data), "html.parser")
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


def _text_length(tag: Tag) -> int:
    return len(tag.get_text(strip=True))


def _attr_words(tag: Tag) -> str:
    return " ".join([tag.get("id") or "", *(tag.get("class") or [])])


def _article_root(soup: BeautifulSoup) -> Tag:
    """The element holding the article: <article>, <main>, or the largest content-like block."""
    body = soup.body or soup
    for finder in (lambda: soup.find_all("article"), lambda: soup.find_all(["main"]) + soup.find_all(attrs={"role": "main"})):
        found = [tag for tag in finder() if _text_length(tag)]
        if found:
            return max(found, key=_text_length)
    total = _text_length(body)
    candidates = [
        tag for tag in body.find_all(["div", "section", "td"])
        if _CONTENT_ATTR.search(_attr_words(tag)) and not _CHROME_ATTR.search(_attr_words(tag))
    ]
    if candidates:
        best = max(candidates, key=_text_length)
        # A "content" div that holds a small part of the page is a widget, not the article.
        if total and _text_length(best) >= 0.4 * total:
            return best
    return body


def _drop_chrome(root: Tag) -> None:
    keep_header = root.name in ("article", "main")
    for tag in root.find_all(_PAGE_CHROME):
        if tag.decomposed:
            continue
        if tag.name == "header" and keep_header and tag.find_parent(["article", "main"]) is not None:
            continue
        tag.decompose()
    whole_page = root.name in ("body", "[document]")
    for tag in root.find_all(True):
        if tag.decomposed or tag is root:
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

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                pending.append(str(child))
            elif child.name == "br":
                pending.append(_LINE_BREAK)
            elif child.name in _BLOCKS:
                flush()
                walk(child)
                flush()
            elif child.name in _CELLS:
                walk(child)
                pending.append(" ")
            else:
                walk(child)

    walk(root)
    flush()
    return paragraphs


def _inline(text: str) -> str:
    """Collapse HTML whitespace as a browser does; each <br> becomes a line break."""
    lines = [re.sub(r"\s+", " ", _CJK_BREAK.sub("", line)).strip() for line in text.split(_LINE_BREAK)]
    return "\n".join(line for line in lines if line)
