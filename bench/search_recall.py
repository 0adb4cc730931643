"""Recall of the archive's search against haystack's default Whoosh set-up, on the seed corpus.

    .venv/bin/python bench/search_recall.py

Both indexes hold the same section documents from the five seed reports, ingested
by the real pipeline into a throw-away data directory. The baseline is haystack's
stock ``WhooshEngine`` (``StemmingAnalyzer``, queried with ``auto_query``); ours is
``search()``. What is relevant is decided without either engine: a section is
relevant when its heading or text contains the query, after NFKC and
Traditional-to-Simplified for Chinese, or matches the query's word pattern for
English. Recall is counted over sections and over reports; precision is shown
per query ("-" when nothing was found).
"""

import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# A data directory of its own: never the real database or index.
os.environ["ARCHIVE_DATA_DIR"] = tempfile.mkdtemp(prefix="search-recall-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from haystack import connections  # noqa: E402
from haystack.query import SearchQuerySet  # noqa: E402

from reports.ingest import ingest_path  # noqa: E402
from reports.models import Section  # noqa: E402
from reports.search import SearchParams, search  # noqa: E402
from reports.text import to_simplified  # noqa: E402

# (query, English word pattern or None for "contains the query, in either script")
QUERIES = [
    ("医院党建", None),
    ("醫院黨建", None),
    ("医院黨建", None),
    ("醫學會", None),
    ("医学会", None),
    ("北京大学", None),
    ("党建", None),
    ("黨建", None),
    ("医院", None),
    ("海淀", None),
    ("疫情防控", None),
    ("学术交流", None),
    ("社會組織", None),
    ("院", None),
    ("党", None),
    ("2021", r"(?<![0-9])2021(?![0-9])"),
    ("CT", r"(?<![a-z])ct(?![a-z])"),
    ("inspections", r"(?<![a-z])inspections?(?![a-z])"),
    ("party building", r"(?<![a-z])party(?![a-z])[\s\S]*(?<![a-z])building(?![a-z])|(?<![a-z])building(?![a-z])[\s\S]*(?<![a-z])party(?![a-z])"),
    ("district", r"(?<![a-z])districts?(?![a-z])"),
    # Inflections that Whoosh's Porter stemmer kept apart (cooperat/cooper, organiz/organ).
    ("cooperate", r"(?<![a-z])cooperat(?:e|es|ed|ing|ion|ions)(?![a-z])"),
    ("organize", r"(?<![a-z])organi[sz](?:e|es|ed|ing|ation|ations|ational)(?![a-z])"),
    ("standardized", r"(?<![a-z])standardi[sz](?:e|es|ed|ing|ation)(?![a-z])"),
]


def normal(text: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


def relevant_sections(query: str, pattern: str | None, sections) -> set[int]:
    if pattern is None:
        needle = normal(query)
        return {s.pk for s in sections if needle in normal(f"{s.heading}\n{s.text}")}
    regex = re.compile(pattern)
    return {s.pk for s in sections if regex.search(normal(f"{s.heading}\n{s.text}"))}


def ours(query: str) -> set[int]:
    found, page = set(), 1
    while True:
        outcome = search(SearchParams(q=query, page=page))
        found |= {hit.section.pk for hit in outcome.hits if hit.section}
        if outcome.page is None or not outcome.page.has_next():
            return found
        page += 1


def baseline(query: str) -> set[int]:
    results = SearchQuerySet(using="baseline").models(Section).auto_query(query)
    return {int(result.pk) for result in results}


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def main() -> None:
    call_command("migrate", verbosity=0)
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        ingest_path(path)           # our index follows through the signals

    # Haystack's stock engine on the same documents, in a directory of its own.
    settings.HAYSTACK_CONNECTIONS["baseline"] = {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": os.path.join(os.environ["ARCHIVE_DATA_DIR"], "baseline_index"),
    }
    connections.connections_info = settings.HAYSTACK_CONNECTIONS
    base = connections["baseline"]
    base.get_backend().update(base.get_unified_index().get_index(Section), list(Section.objects.all()))

    sections = list(Section.objects.select_related("report"))
    report_of = {s.pk: s.report_id for s in sections}
    totals = {"ours": [0, 0, 0, 0], "baseline": [0, 0, 0, 0]}   # section hits, relevant, report hits, relevant
    print(f"{'query':<16} {'relevant':>8}   {'ours: recall':>12} {'prec':>5}   {'baseline: recall':>16} {'prec':>5}")
    macro = {"ours": [], "baseline": []}
    for query, pattern in QUERIES:
        relevant = relevant_sections(query, pattern, sections)
        relevant_reports = {report_of[pk] for pk in relevant}
        row = [f"{query:<16} {len(relevant):>3} s/{len(relevant_reports)} r"]
        for name, run in (("ours", ours), ("baseline", baseline)):
            found = run(query)
            found_reports = {report_of[pk] for pk in found if pk in report_of}
            recall = ratio(len(found & relevant), len(relevant))
            precision = f"{len(found & relevant) / len(found):.2f}" if found else "-"
            macro[name].append(recall)
            totals[name][0] += len(found & relevant)
            totals[name][1] += len(relevant)
            totals[name][2] += len(found_reports & relevant_reports)
            totals[name][3] += len(relevant_reports)
            width = 12 if name == "ours" else 16
            row.append(f"{recall:>{width}.2f} {precision:>5}")
        print("   ".join(row))
    print()
    for name in ("ours", "baseline"):
        hits, relevant, report_hits, relevant_reports = totals[name]
        print(
            f"{name:<9} section recall {ratio(hits, relevant):.3f} (micro), "
            f"{sum(macro[name]) / len(macro[name]):.3f} (mean per query); "
            f"report recall {ratio(report_hits, relevant_reports):.3f}"
        )


if __name__ == "__main__":
    main()
