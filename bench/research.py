"""The research tools' part of ``run.py``: trends, the first concordance page and
related reports, through the same gunicorn as the search mix.

Each request is timed end to end by the client. Every set of trends queries and
every concordance query is sent ``repeats`` times (the first time no worker has its
answer cached; ``*_first_*`` figures are those alone); related reports are asked
for a fixed sample of reports spread over the archive.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.load import percentile

# Six queries each, as the trends page allows: everyday and rare words, both
# scripts, English, a phrase and an OR; most are not in the search mix.
TRENDS: tuple[tuple[str, ...], ...] = (
    ("医院党建", "分级诊疗", "继续教育", "精准扶贫", "医联体", "科普"),
    ("党建", "疫情防控", "學術會議", "志愿服务", "hospital", "人才培养"),
    ("互联网医院", "医疗质量", "绩效考核", '"医疗事故技术鉴定"', "公立医院", "家庭医生"),
    ("醫院黨建", "新冠肺炎", "巡回医疗", "培训 OR 进修", "member", "标准化"),
    ("学会", "会员", "专科分会", "青年委员", "远程医疗", "乡村振兴"),
)
CONCORDANCE: tuple[str, ...] = ("医院党建", "分级诊疗", "醫院", "医", "hospital", "学术会议", "精準扶貧", "工作",
                                "志愿服务", "继续教育")
RELATED_SAMPLE = 20


@dataclass
class ToolFigures:
    name: str
    ms: list[list[float]] = field(default_factory=list)    # per item, per repeat

    def summary(self) -> dict:
        every = sorted(ms for item in self.ms for ms in item)
        first = sorted(item[0] for item in self.ms)
        return {
            f"{self.name}_p50_ms": round(statistics.median(every), 1),
            f"{self.name}_p95_ms": round(percentile(every, 0.95), 1),
            f"{self.name}_first_p95_ms": round(percentile(first, 0.95), 1),
            f"{self.name}_requests": len(every),
        }


def _timed(server, path: str) -> float:
    began = time.perf_counter()
    response = server.get(path, timeout=60)
    elapsed = (time.perf_counter() - began) * 1000
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return elapsed


def measure(server, report_ids: list[int], repeats: int) -> dict:
    """Time the three tools; returns their figures for the JSON line."""
    trends = ToolFigures("trends")
    for queries in TRENDS:
        path = "/api/trends/?" + urlencode([("q", query) for query in queries])
        trends.ms.append([_timed(server, path) for _ in range(repeats)])
    concordance = ToolFigures("concordance")
    for query in CONCORDANCE:
        path = "/api/concordance/?" + urlencode({"q": query})
        concordance.ms.append([_timed(server, path) for _ in range(repeats)])
    related = ToolFigures("related")
    step = max(1, len(report_ids) // RELATED_SAMPLE)
    for report_id in report_ids[::step][:RELATED_SAMPLE]:
        related.ms.append([_timed(server, f"/api/reports/{report_id}/related/") for _ in range(repeats)])
    return {**trends.summary(), **concordance.summary(), **related.summary()}


def table_lines(figures: dict) -> list[str]:
    s = figures
    return [
        f"trends via gunicorn     p50 {s['trends_p50_ms']:.1f} ms, p95 {s['trends_p95_ms']:.1f} ms"
        f"  ({s['trends_requests']} requests of 6 queries, target p95 <= 300 ms; first time p95 {s['trends_first_p95_ms']:.1f} ms)",
        f"concordance, 1st page   p50 {s['concordance_p50_ms']:.1f} ms, p95 {s['concordance_p95_ms']:.1f} ms"
        f"  ({s['concordance_requests']} requests, target p95 <= 200 ms; first time p95 {s['concordance_first_p95_ms']:.1f} ms)",
        f"related reports         p50 {s['related_p50_ms']:.1f} ms, p95 {s['related_p95_ms']:.1f} ms"
        f"  ({s['related_requests']} requests, target <= 100 ms; first time p95 {s['related_first_p95_ms']:.1f} ms)",
        f"  worker peak RSS after them {s['research_worker_rss_mb']:.0f} MB",
    ]
