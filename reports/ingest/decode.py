"""Bytes to text: detect the encoding, never replace a character silently.

Chinese plain text arrives as UTF-8 (with or without a BOM), UTF-16, GB18030
(which includes GBK and GB2312) or Big5. Big5 bytes usually also decode as
GB18030 without an error, and the reverse, so a strict decode alone cannot
choose between them: the candidate whose characters are the common ones of
either script wins, because a wrong decoding yields mostly rare characters.
"""

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from reports.ingest.errors import IngestError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_CJK_LEGACY = ("gb18030", "big5")
_CJK_PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》【】—…·「」『』")
# More undecodable characters than this and the file is not text in a supported encoding.
_MAX_UNDECODABLE_SHARE = 0.02
# Enough text to tell the encodings apart, without scoring a 20 MB file character by character.
_SAMPLE_BYTES = 64 * 1024
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    undecodable: int  # characters that could not be decoded, each shown as U+FFFD


def decode(data: bytes, *, filename: str = "") -> DecodedText:
    """The text of ``data`` in the encoding it most plausibly is; ``filename`` is for the refusals."""
    if not data.strip():
        raise IngestError("empty", name=filename)
    encoding = _bom_encoding(data) or _utf16_without_bom(data)
    if encoding:
        decoded = DecodedText(data.decode(encoding, errors="replace"), encoding, 0)
        decoded = DecodedText(decoded.text, encoding, decoded.text.count("\ufffd"))
    else:
        decoded = _detect(data)
    _refuse_binary(decoded, filename=filename)
    return decoded


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    # Text in UTF-16 has a NUL in every other byte for ASCII; CJK text rarely has NULs at all.
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _detect(data: bytes) -> DecodedText:
    try:
        return DecodedText(data.decode("utf-8"), "utf-8", 0)
    except UnicodeDecodeError:
        pass
    # Every reading competes on how plausible its characters are; a character it could
    # not decode (U+FFFD) counts against it like a rare one. UTF-16 without a BOM takes
    # part too: any even number of bytes decodes as UTF-16, into mostly rare characters.
    candidates = ("utf-8", *_CJK_LEGACY) + (("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ())
    sample = data[:_SAMPLE_BYTES]
    best = max(candidates, key=lambda encoding: _commonness(sample.decode(encoding, errors="replace")))
    text = data.decode(best, errors="replace")
    return DecodedText(text, best, text.count("\ufffd"))


def _refuse_binary(decoded: DecodedText, *, filename: str) -> None:
    text = decoded.text
    length = max(len(text), 1)
    controls = len(_CONTROL.findall(text))
    if decoded.undecodable / length > _MAX_UNDECODABLE_SHARE or controls / length > _MAX_CONTROL_SHARE:
        raise IngestError("not_text", name=filename)


def _commonness(text: str) -> float:
    """Share of the characters that are common in Chinese text of either script, or ASCII."""
    common = _common_han()
    # Everything that is neither a common character nor plain ASCII counts against a reading.
    plausible = sum(1 for ch in text if ch in common or ch < "\x7f" or ch in _CJK_PUNCTUATION)
    return plausible / max(len(text), 1)


@lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    # GB2312 level 1 (rows 0xB0-0xD7) and Big5's frequent characters (0xA440-0xC67E):
    # the everyday characters of Simplified and Traditional text.
    chars = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for lead in range(0xA4, 0xC7):
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                chars.add(bytes([lead, trail]).decode("big5"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)
