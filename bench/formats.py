"""Seconds to read a report in each word-processor format, LibreOffice's start-up included.

    .venv/bin/python bench/formats.py [--paragraphs 200] [--repeat 3] [--memory-mb 1024]

Writes one report as .docx with python-docx (numbered headings, paragraphs of
Chinese text), has LibreOffice write it as .doc, .odt and .rtf once, then times
``parse_bytes`` on each file ``--repeat`` times: .docx and .rtf are read in
Python, .doc/.wps/.odt by a fresh ``soffice`` each time (its own throw-away
profile, as in production). ``--memory-mb`` caps the address space of this
process and so of every ``soffice`` it starts (``RLIMIT_AS``, as the parsing
child of the upload worker does), to show LibreOffice reads under that cap.
Prints a table, and a JSON line last.
"""

import argparse
import io
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

import django  # noqa: E402

django.setup()

import docx  # noqa: E402

from reports.ingest import parse_bytes  # noqa: E402
from reports.ingest.extract.libreoffice import convert  # noqa: E402

SENTENCE = "协会组织专家深入基层医院开展调研和培训，全年举办学术会议二十四场，培训医务人员一万二千人次。"
CHINESE_NUMBERS = "一二三四五六七八九十"


def make_docx(paragraphs: int) -> bytes:
    document = docx.Document()
    document.add_paragraph("四川省医院协会2021年度工作总结")
    for index in range(paragraphs):
        if index % 20 == 0:
            document.add_paragraph(f"{CHINESE_NUMBERS[(index // 20) % 10]}、第{index // 20 + 1}部分工作")
        document.add_paragraph(SENTENCE * 3)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-mb", type=int, default=0, help="RLIMIT_AS for this process and its soffice (0: none)")
    args = parser.parse_args()

    source = make_docx(args.paragraphs)
    files = {"docx": source}
    for target in ("doc", "odt", "rtf"):
        files[target] = convert(source, filename="bench.docx", suffix=".docx", to=target)
    files["wps"] = files["doc"]
    if args.memory_mb:
        limit = args.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    results = {}
    print(f"{'format':8} {'bytes':>9} {'sections':>8} {'median s':>9} {'min s':>7}")
    for kind, data in files.items():
        seconds, sections = [], 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            report = parse_bytes(data, filename=f"bench.{kind}")
            seconds.append(time.perf_counter() - start)
            sections = len(report.sections)
        results[kind] = {"bytes": len(data), "sections": sections, "median_seconds": round(statistics.median(seconds), 3),
                         "min_seconds": round(min(seconds), 3)}
        print(f"{kind:8} {len(data):9d} {sections:8d} {statistics.median(seconds):9.3f} {min(seconds):7.3f}")
    print(json.dumps({"paragraphs": args.paragraphs, "repeat": args.repeat, "memory_mb": args.memory_mb, "formats": results}))


if __name__ == "__main__":
    main()
