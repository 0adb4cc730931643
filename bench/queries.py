"""The fixed query mix of the benchmark: what a reading room types, in both scripts and English.

Every kind the issue names is here: two- to four-character words and phrases,
single characters, English words, rare and very common terms, a mixed-script
phrase, and searches narrowed by facets. The corpus is made from the seed
reports' sentences (bench/corpus.py), so the words come from those sentences;
the rare ones are an association's name (one of some 135), a report's own
number, and a word that no report holds.

Filters name an association by its name, not its slug: the slug is made at
ingest, so :func:`resolve_filters` looks it up in the database of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BenchQuery:
    kind: str                     # what the query exercises, for the table
    q: str
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"

    @property
    def label(self) -> str:
        extras = [f"{name}={value}" for name, value in self.filters.items()]
        if self.sort != "relevance":
            extras.append(f"sort={self.sort}")
        return self.q + (f" [{', '.join(extras)}]" if extras else "")


ASSOCIATION = "association_name"   # a filter given by name, resolved to the slug at run time

QUERY_MIX: tuple[BenchQuery, ...] = (
    BenchQuery("2-char word", "医院"),
    BenchQuery("2-char word", "党建"),
    BenchQuery("2-char word, Traditional", "醫院"),
    BenchQuery("2-char word", "科普"),
    BenchQuery("3-char word", "医学会"),
    BenchQuery("3-char word, Traditional", "醫學會"),
    BenchQuery("4-char word", "继续教育"),
    BenchQuery("4-char word", "学术会议"),
    BenchQuery("4-char word, Traditional", "精準扶貧"),
    BenchQuery("phrase, mixed script", "医院黨建"),
    BenchQuery("quoted phrase", '"医疗事故技术鉴定"'),
    BenchQuery("two words", "医院 党建"),
    BenchQuery("either word", "医联体 OR 分级诊疗"),
    BenchQuery("single character", "医"),
    BenchQuery("single character", "鉴"),
    BenchQuery("single character, Traditional", "疫"),
    BenchQuery("English word", "hospital"),
    BenchQuery("English word, plural", "inspections"),
    BenchQuery("English phrase", '"quality control"'),
    BenchQuery("rare: association", "绵阳市护理学会"),
    BenchQuery("rare: report number", '"编号 777"'),
    BenchQuery("rare: no match", "罕见病"),
    BenchQuery("very common", "工作"),
    BenchQuery("very common", "健康"),
    BenchQuery("very common, Traditional", "交流"),
    BenchQuery("facet: year", "医院", {"year": "2020"}),
    BenchQuery("facet: language", "党建", {"language": "zh-Hant"}),
    BenchQuery("facet: association", "学术会议", {ASSOCIATION: "河北省医学会"}),
    BenchQuery("facets: year and language", "工作", {"year": "2018", "language": "zh-Hans"}),
    BenchQuery("sort by date", "医学会", sort="date"),
)

# Run before the measured passes so every worker has opened the index: words
# that are not in the mix, so no answer the mix asks for is computed early.
WARM_UP: tuple[str, ...] = ("学会", "委员会", "醫師", "基层", "meeting", "理事会", "疫情", "会员", "平台", "青年")


def resolve_filters(query: BenchQuery) -> dict[str, str]:
    """The query's filters as the search API takes them (association names become slugs)."""
    from reports.models import Association

    filters = {}
    for name, value in query.filters.items():
        if name == ASSOCIATION:
            association = Association.objects.matching_name(value).first()
            filters["association"] = association.slug if association else value
        else:
            filters[name] = value
    return filters
