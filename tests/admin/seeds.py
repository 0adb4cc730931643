"""The seed reports as a staff member might have them: in other encodings and formats."""

import re

from tests.conftest import SEEDS_DIR
from tests.documents import make_docx, make_html_page, make_pdf

# Pinyin glued after characters in seed 004: 醫(yī)院.
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ]+\)")


def seed_text(prefix: str) -> str:
    (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
    return path.read_bytes().decode("utf-8-sig")


def seed_lines(prefix: str) -> list[str]:
    return [line.strip() for line in seed_text(prefix).splitlines() if line.strip()]


def traditional_big5_text() -> str:
    """Seed 004 without its pinyin, less the one line Big5 cannot encode (its damaged byline)."""
    lines = []
    for line in _PINYIN.sub("", seed_text("004")).splitlines():
        try:
            line.encode("big5")
        except UnicodeEncodeError:
            continue
        lines.append(line)
    return "\n".join(lines)


def as_html(prefix: str) -> bytes:
    lines = seed_lines(prefix)
    return make_html_page(lines[0], lines[1:])


def as_docx(prefix: str) -> bytes:
    """The seed as a Word file: its title in the Title style, short numbered headings in Heading styles."""
    lines = seed_lines(prefix)
    blocks = [("Title", lines[0])]
    for line in lines[1:]:
        # A long numbered line is running text ("（二）协会通过各分支机构,举办了..."), as in real reports.
        if len(line) < 40 and re.match(r"[一二三四五六七八九十]+、", line):
            blocks.append(("Heading 1", line))
        elif len(line) < 40 and re.match(r"[（(][一二三四五六七八九十]+[)）]", line):
            blocks.append(("Heading 2", line))
        else:
            blocks.append(("", line))
    return make_docx(blocks)


def as_pdf(prefix: str) -> bytes:
    return make_pdf([seed_lines(prefix)])
