"""RTF files read directly: the body text with the list labels their writers drew.

Word and LibreOffice write each list label a second time as plain text
(``{\\listtext 一、\\tab}``) for readers that do not do list numbering; this
reader keeps that text. It is more faithful than converting with LibreOffice,
which recomputes labels from the list table and loses what its own RTF export
wrote there in the ANSI code page (``一、`` came back as ``一?``), and it takes
milliseconds instead of the seconds a LibreOffice start costs.

Text is decoded the way RTF says: ``\\uN`` characters (their ANSI fallback
skipped, never past the end of their group), and ``\\'hh`` bytes in the code
page of the current font's charset (``\\fcharset134`` GBK, ``136`` Big5...),
the current font being the default one (``\\deffN``) until a ``\\fN`` names
another and again after ``\\plain``, or else of the document (``\\ansicpg936``),
as LibreOffice's reader does.
Headers, footers, footnotes, comments, pictures, field codes, hidden and
deleted text are left out; a field's result stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace


from reports.ingest.errors import IngestError
from reports.ingest.numbering import tidy_list_line

_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S)

# Groups whose content is not body text.
_SKIPPED = {
    "fonttbl", "colortbl", "stylesheet", "info", "pict", "header", "headerl", "headerr", "headerf",
    "footer", "footerl", "footerr", "footerf", "footnote", "annotation", "atnauthor", "atnid", "fldinst",
    "datafield", "themedata", "colorschememapping", "latentstyles", "listtable", "listoverridetable",
    "rsidtbl", "generator", "xmlnstbl", "mmathPr", "pgdsctbl", "revtbl", "object", "objdata", "filetbl",
    "nonshppict", "template", "xe", "tc", "bkmkstart", "bkmkend", "pntxta", "pntxtb", "userprops",
}
_CHARSET_CODEPAGES = {
    0: "cp1252", 77: "mac_roman", 128: "cp932", 129: "cp949", 130: "johab", 134: "gbk", 136: "big5",
    161: "cp1253", 162: "cp1254", 163: "cp1258", 177: "cp1255", 178: "cp1256", 186: "cp1257",
    204: "cp1251", 222: "cp874", 238: "cp1250", 254: "cp437",
}
_SYMBOLS = {
    "par": "\n", "line": "\n", "sect": "\n", "page": "\n", "tab": "\t", "cell": "  ", "nestcell": "  ",
    "row": "\n", "nestrow": "\n", "emdash": "—", "endash": "–", "bullet": "•", "lquote": "‘",
    "rquote": "’", "ldblquote": "“", "rdblquote": "”", "emspace": "\u2003", "enspace": "\u2002",
}
_ESCAPES = {b"~": "\u00a0", b"-": "", b"_": "\u2011", b"\\": "\\", b"{": "{", b"}": "}", b"\n": "\n", b"\r": "\n"}


@dataclass(frozen=True)
class _State:
    skip: bool = False
    hidden: bool = False
    font: int | None = None         # None: the default font (\deffN)
    unicode_skip: int = 1           # \ucN: fallback characters after each \u
    in_font_table: bool = False


def rtf_to_text(data: bytes, *, filename: str) -> str:
    if not data.lstrip().startswith(b"{\\rtf"):
        raise IngestError("unreadable_rtf", name=filename)
    reader = _Reader()
    reader.feed(data)
    return "\n".join(tidy_list_line(line) for line in reader.text().split("\n"))


class _Reader:
    def __init__(self):
        self.out = _Text()
        self.pending = bytearray()       # \'hh bytes waiting to be decoded together (GBK pairs)
        self.state = _State()
        self.stack: list[_State] = []
        self.document_codepage = "cp1252"
        self.default_font: int | None = None
        self.fonts: dict[int, str] = {}  # font number: code page of its charset
        self.font_being_defined: int | None = None
        self.to_skip = 0                 # fallback characters still to skip after a \u
        self.group_start = False         # the next control word opens this group (a destination)

    def text(self) -> str:
        self.flush()
        # \u writes astral characters as two surrogates: pair them; a lone one is damage.
        return self.out.value().encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")

    def feed(self, data: bytes) -> None:
        position = 0
        while position < len(data):
            match = _TOKEN.match(data, position)
            if match is None:
                position += 1
                continue
            position = match.end()
            word, argument, hex_byte, symbol, brace, plain = match.groups()
            if brace == b"{":
                self.flush()
                self.stack.append(self.state)
                self.group_start = True
                continue
            if brace == b"}":
                self.flush()
                if self.state.in_font_table and self.font_being_defined is not None:
                    self.font_being_defined = None
                self.state = self.stack.pop() if self.stack else self.state
                self.group_start = False
                self.to_skip = 0   # a \u's fallback ends with its group
                continue
            opens_group, self.group_start = self.group_start, False
            if word is not None:
                name = word.decode("ascii")
                if name == "bin" and argument:
                    position += max(0, int(argument))
                    continue
                self.control(name, int(argument) if argument else None, opens_group)
            elif hex_byte is not None:
                if self.consume_fallback():
                    continue
                if not self.visible():
                    continue
                self.pending.append(int(hex_byte, 16))
            elif symbol is not None:
                if symbol == b"*":
                    if opens_group or self.stack:
                        # An optional destination: skipped unless we know it (we know none we keep).
                        self.state = replace(self.state, skip=True)
                    continue
                if self.consume_fallback():
                    continue
                self.emit(_ESCAPES.get(symbol, ""))
            elif plain is not None:
                if self.state.in_font_table:
                    continue
                chunk = plain
                if self.to_skip:
                    skipped = min(self.to_skip, len(chunk))
                    chunk, self.to_skip = chunk[skipped:], self.to_skip - skipped
                if chunk and self.visible():
                    self.pending.extend(chunk)

    def control(self, name: str, argument: int | None, opens_group: bool) -> None:
        if name != "u" and self.consume_fallback():
            return   # a control word inside a \u's fallback counts as one of its characters
        if opens_group and name == "fonttbl":
            self.state = replace(self.state, in_font_table=True)
        elif opens_group and name in _SKIPPED:
            self.flush()
            self.state = replace(self.state, skip=True)
        elif name == "ansicpg" and argument:
            self.document_codepage = f"cp{argument}"
        elif name == "deff" and argument is not None:
            self.default_font = argument
        elif name == "uc" and argument is not None:
            self.state = replace(self.state, unicode_skip=max(0, argument))
        elif name == "u" and argument is not None:
            self.flush()
            if self.visible():
                code = argument + 65536 if argument < 0 else argument
                # Out of Unicode (a damaged or hostile number): shown as damage, like undecodable bytes.
                self.out.write(chr(code) if 0 <= code <= 0x10FFFF else "\ufffd")
            self.to_skip = self.state.unicode_skip
        elif name == "f" and argument is not None:
            if self.state.in_font_table:
                self.font_being_defined = argument
            else:
                self.flush()
                self.state = replace(self.state, font=argument)
        elif name == "fcharset" and argument is not None and self.font_being_defined is not None:
            codepage = _CHARSET_CODEPAGES.get(argument)
            if codepage:
                self.fonts[self.font_being_defined] = codepage
        elif name in ("v", "deleted"):
            self.flush()
            self.state = replace(self.state, hidden=argument != 0)
        elif name == "plain":
            self.flush()
            self.state = replace(self.state, hidden=False, font=None)
        elif name in _SYMBOLS:
            self.emit(_SYMBOLS[name])

    def consume_fallback(self) -> bool:
        if self.to_skip:
            self.to_skip -= 1
            return True
        return False

    def visible(self) -> bool:
        return not (self.state.skip or self.state.hidden or self.state.in_font_table)

    def emit(self, text: str) -> None:
        self.flush()
        if text and self.visible():
            self.out.write(text)

    def flush(self) -> None:
        if self.pending:
            font = self.default_font if self.state.font is None else self.state.font
            codepage = self.fonts.get(font, self.document_codepage)
            try:
                self.out.write(bytes(self.pending).decode(codepage, errors="replace"))
            except LookupError:
                self.out.write(bytes(self.pending).decode("cp1252", errors="replace"))
            self.pending.clear()


class _Text:
    """The text as it is read, kept in chunks of many writes: ``\\uN`` and ``\\'hh`` write a character
    at a time, and a list of one-character strings costs some 80 bytes a character."""

    _CHUNK = 4096

    def __init__(self):
        self.chunks: list[str] = []
        self.recent: list[str] = []

    def write(self, text: str) -> None:
        self.recent.append(text)
        if len(self.recent) >= self._CHUNK:
            self.chunks.append("".join(self.recent))
            self.recent.clear()

    def value(self) -> str:
        return "".join(self.chunks) + "".join(self.recent)
