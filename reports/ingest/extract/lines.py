"""Facts about lines of printed text shared by the readers of PDFs and of scans."""

import re
import unicodedata

# A line that is only a page number: "3", "- 3 -", "— 3 —", "第 3 页", "3 / 12", "Page 3 of 12".
# Bare numbers of four digits are years ("2021" alone on a cover), not page numbers.
PAGE_NUMBER = re.compile(r"^[\s\-–—]*(第\s*\d+\s*页(\s*/?\s*共\s*\d+\s*页)?|page\s+\d+(\s+of\s+\d+)?|\d{1,3}(\s*/\s*\d{1,3})?)[\s\-–—]*$", re.I)
# Lines that open a paragraph whatever the line before looked like: the seeds' heading styles.
BLOCK_START = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d)|[IVXivx]+\.\s)")
# Chinese typesetting never starts a line with these, so such a line continues the one before.
CLOSING = "，。、；：！？）》」』”’…,.;:!?)"
CJK_END = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]$")
CJK_START = re.compile(r"^[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def join_line(before: str, line: str, cjk: bool) -> str:
    """``line`` appended to the paragraph ``before``, with a space only where the script wants one."""
    if not before:
        return line
    if CJK_END.search(before) or CJK_START.match(line):
        return before + line
    # In Chinese text a line break is not a space, except between two Latin words (or a word
    # and a number); a number the line break cut in two ("6" / "2项") is one number.
    if cjk and (not (before[-1].isascii() and before[-1].isalnum() and line[0].isascii() and line[0].isalnum())
                or before[-1].isdigit() and line[0].isdigit()):
        return before + line
    if before.endswith("-") and before[-2:-1].isalpha() and line[:1].islower():
        return before[:-1] + line  # a word hyphenated at the margin
    return f"{before} {line}"


def text_width(text: str, cjk: bool) -> int:
    """Width in half-em units: full-width characters 2, others 1."""
    # In Chinese type, quotes and dashes (East Asian "ambiguous" width) are full-width too.
    wide = "WFA" if cjk else "WF"
    return sum(2 if unicodedata.east_asian_width(ch) in wide else 1 for ch in text)
