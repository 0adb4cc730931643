"""The Elasticsearch 7 path, without a server: what is handed to the client, and the query sent.

docs/scaling.md: the text is normalised in Python (NFKC, OpenCC t2s) before it
is indexed or searched for, so the engine's built-in CJK bigrams need no plugin.
"""

import pytest
from haystack import connections

from reports.search import SearchParams, index_report, parse_query, search
from reports.search import elasticsearch as es_module
from reports.search.elasticsearch import (
    ANALYZER,
    CrossScriptElasticsearchBackend,
    node_query,
    normalized_document,
)
from reports.search.searching import FIELDS

pytestmark = pytest.mark.django_db


def test_the_setting_gives_the_cross_script_backend(elasticsearch_backend_here):
    assert isinstance(elasticsearch_backend_here, CrossScriptElasticsearchBackend)


def test_documents_reach_the_client_in_simplified_nfkc_text(elasticsearch_backend_here, make_report, monkeypatch):
    sent = []
    monkeypatch.setattr(es_module, "send_bulk", lambda conn, docs, **kwargs: sent.extend(docs))
    report = make_report("河北省醫學會２０２１年工作報告", [("一、黨建工作", "醫院黨建“創新合伙人”平臺")],
                         association="河北省醫學會", language="zh-Hant")
    deleted = []
    monkeypatch.setattr(elasticsearch_backend_here.conn, "delete_by_query", lambda **kwargs: deleted.append(kwargs))
    monkeypatch.setattr(elasticsearch_backend_here.conn.indices, "refresh", lambda **kwargs: None)
    index_report(report)    # the same path as every index write: reports.search.indexing
    assert deleted[0]["body"] == {"query": {"terms": {"report_id": [str(report.pk)]}}}
    (doc,) = sent
    assert doc["_id"] == f"reports.section.{report.sections.get().pk}"
    # The analyzer's pieces, one space between each: Han runs, digit runs, words.
    assert doc["text"] == "一 党建工作 医院党建 创新合伙人 平台"
    assert doc["title"] == "河北省医学会 2021 年工作报告"
    assert doc["association"] == report.association.slug      # keywords are sent as they are
    assert doc["language"] == "zh-Hant"


def test_only_text_fields_are_normalised():
    doc = normalized_document({"text": "醫學會", "language": "zh-Hant", "order": "1"}, {"text"})
    assert doc == {"text": "医学会", "language": "zh-Hant", "order": "1"}


def test_a_word_becomes_a_normalised_phrase_over_text_and_title():
    query = node_query(parse_query("醫學會").node, FIELDS)
    assert query == {"bool": {"should": [
        {"match_phrase": {"text": {"query": "医学会", "boost": 1.0}}},
        {"match_phrase": {"title": {"query": "医学会", "boost": 2.0}}},
    ], "minimum_should_match": 1}}


def test_operators_become_bool_queries():
    query = node_query(parse_query("醫院 OR 黨建 -扶貧").node, {"text": 1.0})
    phrase = lambda text: {"bool": {"should": [{"match_phrase": {"text": {"query": text, "boost": 1.0}}}],  # noqa: E731
                                    "minimum_should_match": 1}}
    assert query == {"bool": {"should": [
        phrase("医院"),
        {"bool": {"must": [phrase("党建"), {"bool": {"must_not": [phrase("扶贫")]}}]}},
    ], "minimum_should_match": 1}}


def test_text_fields_use_the_built_in_cjk_bigram_analyzer(elasticsearch_backend_here):
    fields = connections["default"].get_unified_index().all_searchfields()
    _, mapping = elasticsearch_backend_here.build_schema(fields)
    assert mapping["text"]["analyzer"] == ANALYZER and mapping["title"]["analyzer"] == ANALYZER
    assert mapping["report_id"] == {"type": "keyword"}
    analysis = CrossScriptElasticsearchBackend.DEFAULT_SETTINGS["settings"]["analysis"]
    assert analysis["filter"]["archive_bigrams"]["type"] == "cjk_bigram"


def test_a_search_runs_on_elasticsearch_hits_and_highlights_from_the_database(
        elasticsearch_backend_here, make_report, monkeypatch):
    report = make_report("海淀報告", [("", "醫院黨建平臺")], association="北京市醫學會", language="zh-Hant")
    section = report.sections.get()
    asked = []

    def fake_scan(conn, *, index, query, preserve_order):
        asked.append(query["query"])
        source = {"django_id": str(section.pk), "report_id": str(report.pk), "association": report.association.slug,
                  "year": "2021", "published": "", "language": "zh-Hant", "order": "0"}
        return iter([{"_id": f"reports.section.{section.pk}", "_score": 1.5, "_source": source}])

    monkeypatch.setattr(es_module, "scan", fake_scan)
    outcome = search(SearchParams(q="医院党建"))
    assert [hit.section for hit in outcome.hits] == [section]
    assert outcome.hits[0].highlights == ["<mark>醫院黨建</mark>平臺"]
    assert node_query(parse_query("醫院黨建").node, FIELDS) in asked   # the same query, normalised
