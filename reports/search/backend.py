"""The haystack Whoosh engine with the archive's cross-script analyzer.

Haystack builds the Whoosh schema from the search indexes; here every analysed text
field gets :class:`CrossScriptAnalyzer` (haystack would give it an English
``StemmingAnalyzer``, which keeps a whole run of Chinese as one token), and the
fields declared as :class:`KeywordField` become exact, sortable ID fields used for
grouping and facets.

Writes go through one locked Whoosh writer (see :mod:`reports.search.locking`)
instead of haystack's ``AsyncWriter``, which on a busy index buffers the documents
in a background thread and returns as if they were written.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass

from haystack import indexes
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier, get_model_ct
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import TEXT, Schema
from whoosh.query import Query
from whoosh.writing import CLEAR, MERGE_SMALL

from reports.search.analyzer import CrossScriptAnalyzer
from reports.search.locking import index_write_lock

# How long Whoosh itself retries its own lock once we hold ours (it should be free).
WHOOSH_WRITER_TIMEOUT = 10.0
# Whoosh's default policy merges segments on nearly every commit, rewriting postings
# in pure Python: about a second per one-report update on a thousand-report index.
# Letting a few small segments pile up first makes single updates cheap, while
# searches still open only a handful of segments.
MAX_SEGMENTS = 10
# Hit lists kept per worker for the index it has open (a few MB at most).
HITS_CACHE_SIZE = 32


def merge_when_many(writer, segments):
    if len(segments) < MAX_SEGMENTS:
        return segments
    return MERGE_SMALL(writer, segments)


class KeywordField(indexes.CharField):
    """A value matched exactly and read per hit (report id, association, year...)."""

    field_type = "keyword"


@dataclass(frozen=True)
class IndexHit:
    docnum: int
    score: float
    values: dict[str, str]      # the keyword columns asked for
    flagged: bool               # also matched the optional flag query


class CrossScriptWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        # Seconds a writer waits for another process's write before giving up.
        self.lock_timeout = float(connection_options.get("LOCK_TIMEOUT", 30.0))
        self._searcher = None
        self._searcher_stamp = None
        self._hits_cache: OrderedDict = OrderedDict()

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        by_index_name = {field.index_fieldname: field for field in fields.values()}
        rebuilt = {}
        for name in schema.names():
            declared = by_index_name.get(name)
            if name == DJANGO_ID:
                # Sortable so a hit's section id is read from a column, not stored fields.
                rebuilt[name] = WHOOSH_ID(stored=True, sortable=True)
            elif declared is not None and declared.field_type == KeywordField.field_type:
                rebuilt[name] = WHOOSH_ID(stored=True, sortable=True)
            elif isinstance(schema[name], TEXT):
                # No spelling graph or sort column for long text: nothing reads them.
                rebuilt[name] = TEXT(
                    stored=True, analyzer=CrossScriptAnalyzer(), phrase=True,
                    field_boost=declared.boost if declared is not None else 1.0,
                )
            else:
                rebuilt[name] = schema[name]
        return content_field_name, Schema(**rebuilt)

    # Writing -----------------------------------------------------------------

    def write_lock(self):
        return index_write_lock(self.path, timeout=self.lock_timeout)

    @contextmanager
    def _writer(self, *, mergetype=None):
        if not self.setup_complete:
            self.setup()
        with self.write_lock():
            self.index = self.index.refresh()
            writer = self.index.writer(timeout=WHOOSH_WRITER_TIMEOUT)
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=mergetype or merge_when_many)
            self.index = self.index.refresh()

    def documents(self, index, objects) -> list[dict]:
        """Haystack's document preparation, as its own ``update`` does it."""
        docs = []
        for obj in objects:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            doc = {key: self._from_python(value) for key, value in doc.items()}
            doc.pop("boost", None)   # Whoosh 2.5+ has no document boosts.
            docs.append(doc)
        return docs

    def update(self, index, iterable, commit=True):
        docs = self.documents(index, iterable)
        if not docs:
            return
        with self._writer() as writer:
            for doc in docs:
                writer.update_document(**doc)

    def replace(self, *, field: str, value: str, docs: list[dict]) -> None:
        """Delete every document whose ``field`` is ``value`` and add ``docs``, in one commit.

        One commit means a search never sees the report missing half-way.
        """
        self.replace_many(field=field, docs_by_value={value: docs})

    def replace_many(self, *, field: str, docs_by_value: dict[str, list[dict]]) -> None:
        """:meth:`replace` for several values in one commit (a batch of reports)."""
        with self._writer() as writer:
            for value, docs in docs_by_value.items():
                writer.delete_by_term(field, value)
                for doc in docs:
                    writer.add_document(**doc)

    def remove(self, obj_or_string, commit=True):
        with self._writer() as writer:
            writer.delete_by_term(ID, get_identifier(obj_or_string))

    def clear(self, models=None, commit=True):
        if models is None:
            self.delete_index()
            return
        with self._writer() as writer:
            for model in models:
                writer.delete_by_term(DJANGO_CT, get_model_ct(model))

    def delete_index(self):
        # Haystack deletes the directory, from under running searchers and any
        # writer waiting for the lock. Emptying the index in place does the same
        # job without that risk, with the current schema.
        if not self.setup_complete:
            try:
                self.setup()
            except Exception:
                # A damaged index fails to open, and it is the one that most needs
                # replacing: setup() has set the storage and schema before failing.
                if getattr(self, "storage", None) is None or getattr(self, "schema", None) is None:
                    raise
        with self.write_lock():
            try:
                # An empty generation committed on top moves the generation number
                # on, so every worker's open searcher sees that the index changed.
                with self._writer(mergetype=CLEAR):
                    pass
            except Exception:
                # Unreadable: start afresh (create_index removes the old files first).
                self.index = self.storage.create_index(self.schema)
            self.setup_complete = True

    # Reading -----------------------------------------------------------------

    def hits(self, query: Query, *, columns: tuple[str, ...], flag: Query | None = None) -> list[IndexHit]:
        """Every document matching ``query``, best first, with its keyword columns.

        Grouping, filtering and facets are cheap in Python from the columns, so the
        whole hit list is read once rather than one Whoosh page at a time.
        """
        searcher = self.searcher()
        key = (query, columns, flag)
        if key in self._hits_cache:
            # Paging, sorting and facet clicks repeat the same query on the same index.
            self._hits_cache.move_to_end(key)
            return self._hits_cache[key]
        hits = self._read_hits(searcher, query, columns, flag)
        self._hits_cache[key] = hits
        if len(self._hits_cache) > HITS_CACHE_SIZE:
            self._hits_cache.popitem(last=False)
        return hits

    def _read_hits(self, searcher, query: Query, columns: tuple[str, ...], flag: Query | None) -> list[IndexHit]:
        if not searcher.doc_count():
            return []
        results = searcher.search(query, limit=None)
        flagged = set(searcher.docs_for_query(flag)) if flag is not None else set()
        readers = {name: searcher.reader().column_reader(name) for name in columns}
        return [
            IndexHit(
                docnum=docnum,
                score=score or 0.0,
                values={name: reader[docnum] for name, reader in readers.items()},
                flagged=docnum in flagged,
            )
            for docnum, score in results.items()
        ]

    def _stamp(self) -> tuple[int, int, int]:
        """Which index is on disk now: its generation and its TOC file's identity.

        The file's inode and time tell a rebuilt or restored index apart from the
        one a searcher has open even when their generation numbers agree.
        """
        generation = self.index.latest_generation()
        toc = os.stat(os.path.join(self.path, f"_{self.index.indexname}_{generation}.toc"))
        return generation, toc.st_ino, toc.st_mtime_ns

    def searcher(self):
        """This worker's searcher, kept open across requests, reopened when the index changed.

        Opening one reads every segment's files; reusing it does not. Engines, so
        backends and their searchers, are per thread.
        """
        if not self.setup_complete:
            self.setup()
        stamp = self._stamp()
        if self._searcher is None or stamp != self._searcher_stamp:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self.index = self.index.refresh()
            self._searcher = self.index.searcher()
            self._searcher_stamp = stamp
            self._hits_cache.clear()   # answers from the old index
        return self._searcher

    def indexed_values(self, field: str) -> set[str]:
        """Every distinct value of a keyword field in the index."""
        reader = self.searcher().reader()
        if not reader.doc_count():
            return set()
        # Read from live documents: the term list keeps deleted ones until a merge.
        column = reader.column_reader(field)
        return {column[docnum] for docnum in reader.all_doc_ids()}


class CrossScriptWhooshEngine(WhooshEngine):
    backend = CrossScriptWhooshBackend
