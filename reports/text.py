"""Script conversion shared by parsing, search and display.

OpenCC converters are costly to build and safe to reuse, so each is made once.
"""

import unicodedata
from functools import lru_cache

import opencc


@lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def load_converters() -> None:
    """Build both converters now (some 20 ms each) rather than on first use."""
    for config in ("t2s", "s2t"):
        _converter(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text) if text else text


def to_traditional(text: str) -> str:
    """Standard (OpenCC) Traditional forms, as a reader choosing 繁體 expects."""
    return _converter("s2t").convert(text) if text else text


def convert_script(text: str, script: str | None) -> str:
    """Show ``text`` in ``script`` ('hans' or 'hant'); anything else leaves it as written."""
    if script == "hans":
        return to_simplified(text)
    if script == "hant":
        return to_traditional(text)
    return text


def script_key(text: str) -> str:
    """One spelling for comparing names across scripts and widths: NFKC, Simplified, case-folded."""
    return to_simplified(unicodedata.normalize("NFKC", text)).casefold().strip()
