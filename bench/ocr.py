"""Text recognition of scanned work reports: character error rate and seconds per page.

    .venv/bin/python bench/ocr.py                      # every text and kind of file, about 20 minutes on a quiet machine
    .venv/bin/python bench/ocr.py --texts zh-hans --kinds png-clean
    .venv/bin/python bench/ocr.py --engine rapidocr    # the other engine, for comparison (pip install rapidocr-onnxruntime==1.4.4 first)

The pages are drawn here (bench/scans.py) from the texts in bench/scan_texts/
(a Simplified, a Traditional and an English work report of about two pages,
each with a red letterhead, a document number, ``一、`` headings and the date
under a red round seal), at 200 dpi, and written as the files an uploader
sends: a clean PNG, a phone photo as JPEG quality 55 (skewed 1.5°, uneven
light, noise, blur), a 1-bit fax as Group 4 TIFF, and an image-only PDF
(clean, as JPEG quality 90 like a scanner's, and photographed). Each file goes
through the archive's own reader (``reports.ingest.extract.extract``); the
error rate compares the text read from the pages with the text printed,
without the letterhead, which is read apart (on a fax too, where it is black:
it is known there by its place and size) and checked on its own. A word marked
as unsure counts as an error where it stands; ``marks (false)`` counts the
marks and those over words that were read right after all.

The reader was tuned on nine texts (``scans.TUNED``), three at a time: each
set was written before a round of tuning, its figures taken as held out, then
tuned on in the next round. Three further texts (``scans.HELD_OUT``) were
written before the last round and never read while tuning; their figures are
printed apart, as the honest estimate.

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
from reports.ingest.clean import DAMAGE_MARK  # noqa: E402
from reports.ingest.extract import extract  # noqa: E402

KINDS = {
    "png-clean": ("scan.png", lambda pages: [scans.png_bytes(page) for page in pages]),
    "jpeg-photo": ("photo.jpg", lambda pages: [scans.jpeg_bytes(scans.photographed(page, seed=i + 1)) for i, page in enumerate(pages)]),
    "tiff-fax": ("fax.tiff", lambda pages: [scans.tiff_bytes([scans.fax(page) for page in pages])]),
    "pdf-clean": ("scan.pdf", lambda pages: [scans.pdf_bytes(pages, quality=90)]),
    "pdf-photo": ("photo.pdf", lambda pages: [scans.pdf_bytes([scans.photographed(page, seed=i + 1) for i, page in enumerate(pages)], quality=55)]),
}


def run_case(text: str, kind: str, *, dpi: int, engine: str) -> dict:
    document = scans.load_document(text)
    pages = scans.render_pages(document, dpi=dpi)
    filename, make_files = KINDS[kind]
    files = make_files(pages)
    expected = scans.expected_text(document)
    started, cpu_before = time.perf_counter(), _cpu_seconds()
    texts, letterhead, notes = [], "", []
    for data in files:
        if engine == "rapidocr":
            texts.append(_rapidocr(data))
            continue
        extraction = extract(data, filename=filename)
        texts.extend(page.text for page in extraction.scanned)
        letterhead = letterhead or extraction.letterhead
        notes += [note for page in extraction.scanned for note in page.uncertain]
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_before
    read = "\n".join(texts)
    return {
        "text": text,
        "language": document.language,
        "held_out": text in scans.HELD_OUT,
        "kind": kind,
        "pages": len(pages),
        "cer_percent": round(100 * scans.character_error_rate(expected, read), 2),
        "cer_above_seal_percent": round(100 * _above_seal_error_rate(document, read), 2),
        "seconds_per_page": round(seconds / len(pages), 2),
        # Processor time (this process and its Tesseract processes): what a page costs whatever
        # else the machine is doing; on two idle cores, two pages are read side by side.
        "cpu_seconds_per_page": round(cpu / len(pages), 2),
        "letterhead_read": letterhead == document.letterhead,
        "date_read": document.date.replace(" ", "") in read.replace(" ", ""),
        "uncertain_marks": len(notes),
        "false_marks": sum(_guessed_right(note, expected) for note in notes),
    }


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _above_seal_error_rate(document: scans.ScanDocument, read: str) -> float:
    """The error rate of the text above the signature and the date, which the seal covers.

    On a fax the seal is black, and what it covers is lost for any reader: this
    rate shows how the rest of the page reads. The text read is cut where the
    alignment with the printed text puts the end of the last paragraph.
    """
    from rapidfuzz.distance import Levenshtein

    body = scans.comparable("\n".join([document.number, document.title, *document.paragraphs]))
    printed, got = scans.comparable(scans.expected_text(document)), scans.comparable(read)
    cut = len(got)
    for op in Levenshtein.opcodes(printed, got):
        if op.src_start <= len(body) <= op.src_end:
            cut = op.dest_start + min(len(body) - op.src_start, op.dest_end - op.dest_start)
            break
    return scans.character_error_rate(body, got[:cut])


def _guessed_right(note, expected: str) -> bool:
    """A mark over a word that was read right after all (a false alarm): the guess fits the printed text there."""
    at = note.context.index(DAMAGE_MARK) if DAMAGE_MARK in note.context else -1
    if at < 0:
        return False
    # The context around this mark only, up to any other mark in it.
    before = note.context[:at].rsplit(DAMAGE_MARK, 1)[-1]
    after = note.context[at + 1:].split(DAMAGE_MARK, 1)[0]
    return scans.comparable(before + note.guess + after) in scans.comparable(expected)


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
    texts = list(scans.TUNED) + list(scans.HELD_OUT)
    parser.add_argument("--texts", nargs="+", default=texts, choices=texts,
                        help="texts of bench/scan_texts/ to draw (default: the nine tuned on, then the three held out)")
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=list(KINDS))
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--engine", default="tesseract", choices=["tesseract", "rapidocr"])
    args = parser.parse_args()

    load_before = os.getloadavg()
    print(f"OCR benchmark: {args.engine}, {args.dpi} dpi, {os.cpu_count()} cores, load {load_before[0]:.2f} (1 min)")
    print(f"{'text':17} {'kind':11} {'pages':>5} {'CER %':>7} {'above seal':>10} {'s/page':>7} {'cpu s':>6} {'load':>5}  "
          "letterhead  date  marks (false)")
    results = []
    for text in args.texts:
        if text in scans.HELD_OUT and not any(row["held_out"] for row in results):
            print("held out (not tuned on):")
        for kind in args.kinds:
            row = run_case(text, kind, dpi=args.dpi, engine=args.engine)
            row["load"] = round(os.getloadavg()[0], 2)
            results.append(row)
            print(f"{text:17} {kind:11} {row['pages']:>5} {row['cer_percent']:>7.2f} {row['cer_above_seal_percent']:>10.2f} "
                  f"{row['seconds_per_page']:>7.2f} {row['cpu_seconds_per_page']:>6.2f} {row['load']:>5.1f}  "
                  f"{'yes' if row['letterhead_read'] else 'no':>10}  {'yes' if row['date_read'] else 'no':>4}  "
                  f"{row['uncertain_marks']:>5} ({row['false_marks']})")
    summary = _summary(results)
    for group, figures in summary.items():
        print(f"{group}: " + ", ".join(f"{kind} {cer:.2f} %" for kind, cer in figures.items()))
    # Only this process: a forked child's peak counts the parent's pages it inherited before
    # exec, so RUSAGE_CHILDREN overstates Tesseract (about 120 MB a page by /usr/bin/time).
    own_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_after = os.getloadavg()
    print(f"peak memory of this process (drawing every page too): {own_peak_mb:.0f} MB; load {load_after[0]:.2f} (1 min) at the end")
    print(json.dumps({
        "bench": "ocr", "engine": args.engine, "dpi": args.dpi, "cores": os.cpu_count(),
        "load_before": round(load_before[0], 2), "load_after": round(load_after[0], 2),
        "peak_mb": round(own_peak_mb), "summary": summary,
        "results": results,
    }, ensure_ascii=False))


def _summary(results: list[dict]) -> dict:
    """Mean body CER of clean and of degraded files, for the tuned-on texts and the held-out ones apart."""
    summary = {}
    for group, held_out in (("tuned-on texts", False), ("held-out texts", True)):
        rows = [row for row in results if row["held_out"] == held_out]
        figures = {}
        for label, kinds in (("clean", ("png-clean", "pdf-clean")), ("degraded", ("jpeg-photo", "pdf-photo", "tiff-fax"))):
            cers = [row["cer_percent"] for row in rows if row["kind"] in kinds]
            if cers:
                figures[f"mean {label}"] = round(sum(cers) / len(cers), 2)
                figures[f"worst {label}"] = max(cers)
        if figures:
            summary[group] = figures
    return summary


if __name__ == "__main__":
    main()
