"""Elasticsearch 7 through haystack's ``elasticsearch7`` backend, for when one machine is outgrown.

The engine needs no plugin. What makes search cross-script happens here, in
Python, with the functions the Whoosh analyzer itself uses
(:func:`reports.search.analyzer.engine_text`: NFKC, OpenCC
Traditional-to-Simplified, and each word lower-cased and stemmed by the same
Snowball English stemmer): text fields are made so before they are sent, and so
is every word of a query. Elasticsearch then does only what it does out of the
box: its standard tokenizer and ``cjk_bigram`` filter make overlapping
two-character pieces of Han text (keeping single characters, so a one-character
query still finds its character), and words are lower-cased.

Its own stemmers are not used: ``porter_stem`` is the original Porter algorithm,
and ``porter2``/``snowball`` English is Lucene 8's Snowball of 2007, which
conflates organ/organize, universe/university and past/paste where the Snowball 3
of PyStemmer keeps them apart; either would index other terms than Whoosh does.

Keyword fields (report id, association, year...) are ``keyword`` fields, read
back per hit for grouping and facets as with Whoosh; highlights are made from
the database by :mod:`reports.search.highlight`, so they stay in the report's
own script. Switched on by ``ARCHIVE_SEARCH_ENGINE=elasticsearch7`` (docs/scaling.md).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from contextlib import nullcontext

import numpy as np
from elasticsearch.exceptions import NotFoundError
from elasticsearch.helpers import bulk as send_bulk
from elasticsearch.helpers import scan
from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
    Elasticsearch7SearchQuery,
)
from haystack.constants import ID
from haystack.exceptions import SkipDocument

from reports.search.analyzer import STEMMER, engine_text
from reports.search.backend import KeywordField, OutdatedIndex
from reports.search.hits import MATCH_COLUMNS, SectionMatches
from reports.search.query import And, Node, Not, Or, ParsedQuery, Text

ANALYZER = "archive_cross_script"

# Built-in parts only: the text arrives already in Simplified, NFKC form, its
# words stemmed (engine_text), so no stemmer here.
ANALYSIS = {
    "analyzer": {
        ANALYZER: {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["cjk_width", "lowercase", "archive_bigrams"],
        },
    },
    "filter": {
        "archive_bigrams": {"type": "cjk_bigram", "output_unigrams": True},
    },
}


def normalized_document(doc: dict, text_fields: set[str]) -> dict:
    """``doc`` with its analysed text fields in the one normal form (NFKC, Simplified, stemmed)."""
    return {
        name: engine_text(value) if name in text_fields and isinstance(value, str) else value
        for name, value in doc.items()
    }


def node_query(node: Node, fields: dict[str, float]) -> dict:
    """A parsed query as query DSL: each word, normalised, is a phrase in any of ``fields``."""
    if isinstance(node, Text):
        text = engine_text(node.raw)
        return {"bool": {
            "should": [{"match_phrase": {name: {"query": text, "boost": boost}}} for name, boost in fields.items()],
            "minimum_should_match": 1,
        }}
    if isinstance(node, Not):
        return {"bool": {"must_not": [node_query(node.child, fields)]}}
    parts = [node_query(child, fields) for child in node.children]
    if isinstance(node, And):
        return {"bool": {"must": parts}}
    assert isinstance(node, Or)
    return {"bool": {"should": parts, "minimum_should_match": 1}}


def _settings_with_analysis() -> dict:
    settings = copy.deepcopy(Elasticsearch7SearchBackend.DEFAULT_SETTINGS)
    analysis = settings["settings"]["analysis"]
    analysis["analyzer"].update(ANALYSIS["analyzer"])
    analysis.setdefault("filter", {}).update(ANALYSIS["filter"])
    return settings


class CrossScriptElasticsearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_SETTINGS = _settings_with_analysis()
    DEFAULT_FIELD_MAPPING = {"type": "text", "analyzer": ANALYZER}
    FIELD_MAPPINGS = {**Elasticsearch7SearchBackend.FIELD_MAPPINGS, KeywordField.field_type: {"type": "keyword"}}

    def setup(self):
        self.refuse_outdated()
        super().setup()

    def _get_current_mapping(self, field_mapping):
        # The stemmer that makes the documents' English terms (engine_text), kept with the
        # index as Whoosh keeps it in its schema: an index stemmed otherwise is refused.
        return {"_meta": {"stemmer": STEMMER}, **super()._get_current_mapping(field_mapping)}

    def refuse_outdated(self) -> None:
        """Raise :class:`OutdatedIndex` for an index made with another analyzer (one that
        stemmed by itself, as before the text came stemmed), or whose English terms
        came from another stemmer (another PyStemmer, or one not recorded): its terms
        would not be the queries'. ``rebuild_index`` deletes it, and the next write
        makes it anew."""
        try:
            found = self.conn.indices.get_settings(index=self.index_name)
            mapping = self.conn.indices.get_mapping(index=self.index_name)
        except NotFoundError:
            return
        analysis = found.get(self.index_name, {}).get("settings", {}).get("index", {}).get("analysis", {})
        made_with = analysis.get("analyzer", {}).get(ANALYZER, {}).get("filter")
        if made_with != ANALYSIS["analyzer"][ANALYZER]["filter"]:
            raise OutdatedIndex(
                f"The Elasticsearch index {self.index_name} was made with another analyzer ({made_with}); "
                "run `manage.py rebuild_index`."
            )
        mappings = mapping.get(self.index_name, {}).get("mappings", {})
        stemmer = mappings.get("_meta", {}).get("stemmer", "a stemmer it did not record")
        if mappings.get("properties") and stemmer != STEMMER:   # no properties: nothing was indexed yet
            raise OutdatedIndex(
                f"The Elasticsearch index {self.index_name} has English stems by {stemmer}, not {STEMMER}; "
                "run `manage.py rebuild_index`."
            )

    def text_fields(self) -> set[str]:
        """The analysed fields: those without a mapping of their own (not keywords)."""
        from haystack import connections

        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        return {field.index_fieldname for field in fields.values() if field.field_type not in self.FIELD_MAPPINGS}

    def _prepare_object(self, index, obj):
        # haystack's update() calls this for every document it sends.
        return normalized_document(super()._prepare_object(index, obj), self.text_fields())

    # What reports.search.indexing asks of an engine ---------------------------

    def write_lock(self):
        # The Whoosh lock orders writers on one machine's disk; Elasticsearch orders
        # concurrent writes itself, and the writers may be on several machines.
        return nullcontext()

    def documents(self, index, objects) -> Iterator[dict]:
        """The documents haystack's ``update()`` would send (normalised text, ``_id`` set), one at a time."""
        for obj in objects:
            try:
                prepared = self._prepare_object(index, obj)
            except SkipDocument:
                continue
            doc = {key: self._from_python(value) for key, value in prepared.items()}
            doc.pop("boost", None)
            doc["_id"] = doc[ID]
            yield doc

    def replace_many(self, *, field: str, values: list[str], docs: Iterable[dict], bulk: bool = False) -> None:
        """Delete the documents whose ``field`` has one of the ``values``, then add ``docs`` (sent in chunks)."""
        if not self.setup_complete:
            self.setup()
        self.conn.delete_by_query(index=self.index_name, body={"query": {"terms": {field: list(values)}}},
                                  conflicts="proceed", refresh=True)
        send_bulk(self.conn, docs, index=self.index_name)
        self.conn.indices.refresh(index=self.index_name)

    def replace(self, *, field: str, value: str, docs: Iterable[dict]) -> None:
        self.replace_many(field=field, values=[value], docs=docs)

    def indexed_values(self, field: str) -> set[str]:
        return {str(hit["_source"].get(field, "")) for hit in self._scan({"match_all": {}}, (field,))}

    # What reports.search.searching asks of an engine ----------------------------

    def _scan(self, query: dict, columns: tuple[str, ...]):
        if not self.setup_complete:
            self.setup()
        return scan(self.conn, index=self.index_name, preserve_order=True,
                    query={"query": query, "_source": list(columns)})

    def query_matches(self, parsed: ParsedQuery, *, fields: dict[str, float]) -> SectionMatches:
        """Every matching section, and not the reports the NOT parts rule out.

        Every hit is read (a scroll), as with Whoosh, so grouping and facets are the
        same code for both engines; past some hundred thousand sections, facets
        would become aggregations (docs/scaling.md).
        """
        node, exclusions = parsed.split()
        if node is None:
            return SectionMatches.from_rows([])
        words = parsed.positive_words()
        flag = {"bool": {"should": [node_query(word, {"text": 1.0}) for word in words], "minimum_should_match": 1}}
        flagged = {hit["_id"] for hit in self._scan(flag, ())} if words else set()
        rows = [
            (
                {name: str(hit["_source"].get(name, "")) for name in MATCH_COLUMNS},
                hit.get("_score") or 0.0,
                hit["_id"] in flagged,
            )
            for hit in self._scan(node_query(node, fields), MATCH_COLUMNS)
        ]
        excluded = [
            int(hit["_source"].get("report_id") or 0)
            for exclusion in exclusions
            for hit in self._scan(node_query(exclusion, fields), ("report_id",))
        ]
        return SectionMatches.from_rows(rows).without_reports(np.array(sorted(set(excluded)), dtype=np.int64))


class CrossScriptElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = CrossScriptElasticsearchBackend
    query = Elasticsearch7SearchQuery
