"""Text recognition of scanned work reports: character error rate and seconds per page.

    .venv/bin/python bench/ocr.py                      # every language and kind of file, a few minutes
    .venv/bin/python bench/ocr.py --languages zh-hans --kinds png-clean
    .venv/bin/python bench/ocr.py --engine rapidocr    # the other engine, for comparison (pip install rapidocr-onnxruntime==1.4.4 first)

The pages are drawn here (bench/scans.py) from the texts in bench/scan_texts/
(a Simplified, a Traditional and an English work report of about two pages,
each with a red letterhead, a document number, ``一、`` headings and the date
under a red round seal), at 200 dpi, and written as the files an uploader
sends: a clean PNG, a phone photo as JPEG quality 55 (skewed 1.5°, uneven
light, noise, blur), a 1-bit fax as Group 4 TIFF, and an image-only PDF
(clean, and photographed). Each file goes through the archive's own reader
(``reports.ingest.extract.extract``); the error rate compares the text read
from the pages with the text printed, without the letterhead, which is read
apart (the fax has no red: there the letterhead is black print and counted).

It prints a table and, on its last line, one JSON object with the figures.
The machine's load is printed with them: seconds per page mean little on a
busy machine.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

import django  # noqa: E402

django.setup()

from bench import scans  # noqa: E402
from reports.ingest.extract import extract  # noqa: E402

KINDS = {
    "png-clean": ("scan.png", lambda pages: [scans.png_bytes(page) for page in pages]),
    "jpeg-photo": ("photo.jpg", lambda pages: [scans.jpeg_bytes(scans.photographed(page, seed=i + 1)) for i, page in enumerate(pages)]),
    "tiff-fax": ("fax.tiff", lambda pages: [scans.tiff_bytes([scans.fax(page) for page in pages])]),
    "pdf-clean": ("scan.pdf", lambda pages: [scans.pdf_bytes(pages, quality=90)]),
    "pdf-photo": ("photo.pdf", lambda pages: [scans.pdf_bytes([scans.photographed(page, seed=i + 1) for i, page in enumerate(pages)], quality=55)]),
}


def run_case(language: str, kind: str, *, dpi: int, engine: str) -> dict:
    document = scans.load_document(language)
    pages = scans.render_pages(document, dpi=dpi)
    filename, make_files = KINDS[kind]
    files = make_files(pages)
    expected = scans.expected_text(document)
    if kind == "tiff-fax":
        expected = document.letterhead + "\n" + expected
    started = time.perf_counter()
    texts, letterhead, uncertain = [], "", 0
    for data in files:
        if engine == "rapidocr":
            texts.append(_rapidocr(data))
            continue
        extraction = extract(data, filename=filename)
        texts.extend(page.text for page in extraction.scanned)
        letterhead = letterhead or extraction.letterhead
        uncertain += sum(len(page.uncertain) for page in extraction.scanned)
    seconds = time.perf_counter() - started
    read = "\n".join(texts)
    return {
        "language": language,
        "kind": kind,
        "pages": len(pages),
        "cer_percent": round(100 * scans.character_error_rate(expected, read), 2),
        "seconds_per_page": round(seconds / len(pages), 2),
        "letterhead_read": letterhead == document.letterhead,
        "date_read": document.date.replace(" ", "") in read.replace(" ", ""),
        "uncertain_marks": uncertain,
    }


def _rapidocr(data: bytes) -> str:
    """RapidOCR (PP-OCRv4, Simplified-trained) on the raw page: lines in its order, for comparison only."""
    import numpy as np
    from PIL import Image
    from rapidocr_onnxruntime import RapidOCR

    global _RAPID
    if "_RAPID" not in globals():
        _RAPID = RapidOCR()
    image = Image.open(io.BytesIO(data))
    lines = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        result, _elapsed = _RAPID(np.asarray(image.convert("RGB")))
        lines += [text for _box, text, _score in result or []]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--languages", nargs="+", default=list(scans.LANGUAGES), choices=scans.LANGUAGES)
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=list(KINDS))
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--engine", default="tesseract", choices=["tesseract", "rapidocr"])
    args = parser.parse_args()

    load_before = os.getloadavg()
    print(f"OCR benchmark: {args.engine}, {args.dpi} dpi, {os.cpu_count()} cores, load {load_before[0]:.2f} (1 min)")
    print(f"{'language':9} {'kind':11} {'pages':>5} {'CER %':>7} {'s/page':>7}  letterhead  date  marks")
    results = []
    for language in args.languages:
        for kind in args.kinds:
            row = run_case(language, kind, dpi=args.dpi, engine=args.engine)
            results.append(row)
            print(f"{language:9} {kind:11} {row['pages']:>5} {row['cer_percent']:>7.2f} {row['seconds_per_page']:>7.2f}  "
                  f"{'yes' if row['letterhead_read'] else 'no':>10}  {'yes' if row['date_read'] else 'no':>4}  {row['uncertain_marks']:>5}")
    # Only this process: a forked child's peak counts the parent's pages it inherited before
    # exec, so RUSAGE_CHILDREN overstates Tesseract (about 120 MB a page by /usr/bin/time).
    own_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_after = os.getloadavg()
    print(f"peak memory of this process (drawing every page too): {own_peak_mb:.0f} MB; load {load_after[0]:.2f} (1 min) at the end")
    print(json.dumps({
        "bench": "ocr", "engine": args.engine, "dpi": args.dpi, "cores": os.cpu_count(),
        "load_before": round(load_before[0], 2), "load_after": round(load_after[0], 2),
        "peak_mb": round(own_peak_mb),
        "results": results,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
