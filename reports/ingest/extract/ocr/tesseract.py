"""Debian's Tesseract 5, run as a program: words with their boxes and confidence, or the page's orientation.

A child process per call keeps a crash or a runaway page out of ours, and its
time is bounded. One OpenMP thread each: on two shared cores, Tesseract's own
threads spin against each other and a page takes several times longer; pages
are read side by side instead (see ``reports.ingest.extract.ocr``).
"""

import io
import os
import re
import subprocess
from dataclasses import dataclass

from PIL import Image

from reports.ingest.errors import IngestError

# Tesseract's names for the models it reads each language with.
MODELS = {"zh-Hans": "chi_sim", "zh-Hant": "chi_tra", "en": "eng"}
# Seconds for one call; a page takes a few.
TIMEOUT = 120

_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float   # 0-100
    left: int
    top: int
    width: int
    height: int
    block: int
    paragraph: int
    line: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def line_key(self) -> tuple[int, int, int]:
        """The line the word was read on: words with the same key are one line."""
        return (self.block, self.paragraph, self.line)


@dataclass(frozen=True)
class Orientation:
    rotate: int          # degrees clockwise that turn the page upright
    confidence: float
    script: str          # Tesseract's script name: "Han", "Latin", ...
    script_confidence: float


def read_words(image: Image.Image, *, model: str, psm: int = 6) -> list[Word]:
    """Every word Tesseract finds on ``image``, in its reading order.

    The page is read as one block of lines (``--psm 6``), as a work report is
    set: one column, headings, a centred title, a signature to the right.
    Tesseract's own layout analysis (``--psm 3``) took a short line (the end
    of a two-line title) or part of a line on a JPEG-compressed scan for a
    picture and left it out, losing whole phrases; measured on bench/ocr.py's
    pages, one block halved the errors (see bench/README.md).

    No resolution is given: Tesseract then estimates one from the size of the
    print, which reads large type (16 pt at 200 dpi, as official documents
    use) as well as the scan's true resolution does (measured the same).
    """
    output = _run(image, ["-l", model, "--psm", str(psm), "tsv"])
    words = []
    for row in output.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) != 12 or cells[0] != "5" or not cells[11].strip():
            continue
        level, _page, block, paragraph, line, _word, left, top, width, height, confidence, text = cells
        words.append(Word(text.strip(), float(confidence), int(left), int(top), int(width), int(height),
                          int(block), int(paragraph), int(line)))
    return words


def orientation(image: Image.Image, *, dpi: int) -> Orientation | None:
    """How the page is turned, and its script; None when there is too little text to tell."""
    try:
        output = _run(image, ["--psm", "0", "--dpi", str(dpi)])
    except IngestError:
        return None
    values = dict(re.findall(r"^([A-Za-z ]+):\s*(\S+)$", output, re.M))
    try:
        return Orientation(int(values["Rotate"]), float(values["Orientation confidence"]),
                           values["Script"], float(values["Script confidence"]))
    except (KeyError, ValueError):
        return None


def _run(image: Image.Image, arguments: list[str]) -> str:
    png = io.BytesIO()
    image.save(png, "PNG", compress_level=1)
    try:
        done = subprocess.run(["tesseract", "stdin", "stdout", *arguments], input=png.getvalue(),
                              capture_output=True, timeout=TIMEOUT, env=_ENV, check=False)
    except FileNotFoundError as error:
        raise IngestError("ocr_missing") from error
    except subprocess.TimeoutExpired as error:
        raise IngestError("ocr_timeout", seconds=TIMEOUT) from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise IngestError("ocr_failed", error=str(message[-1] if message else done.returncode))
    return done.stdout.decode("utf-8", "replace")
