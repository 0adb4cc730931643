"""Records for the citation tests, made directly (no database)."""

from dataclasses import replace
from datetime import date

from reports.interop import CitedReport, Name

SEEN = date(2026, 11, 24)   # the date a citation says the online record was seen

# Titles as documents write them, including what BibTeX and LaTeX treat specially.
TITLES = {
    "simplified": "四川省医院协会 2021 年度工作总结——以党建为引领",
    "traditional": "醫院黨建“創新合伙人”平臺助力健康海淀建設",
    "english": "Stay true to your original aspiration: the 2019 report of the Hi-tech Zone",
    "bibtex specials": "Costs {in braces} rose 50% & fell \\ again, 2019--2020",
    "closing brace": "The report } with one closing brace",
    "opening brace": "The report { with one opening brace",
}


def make_record(**changes) -> CitedReport:
    record = CitedReport(
        id=7, url="https://archive.example/reports/7/", title=TITLES["simplified"],
        authors=(Name("四川省医院协会", corporate=True),), association="四川省医院协会",
        published=date(2022, 1, 15), year_covered=2021, language="zh-Hans",
    )
    return replace(record, **changes)
