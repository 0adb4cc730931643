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
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from haystack import indexes
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier, get_model_ct
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.searching import Searcher
from whoosh.writing import CLEAR, MERGE_SMALL

from reports.search.analyzer import STEMMER, CrossScriptAnalyzer
from reports.search.locking import index_write_lock
from reports.search.codec import PackedCodec
from reports.search.evaluation import Evaluation, IndexView, union
from reports.search.hits import FACET_COLUMNS, Column, SectionMatches, date_key, numbers_of
from reports.search.positions import PackedPositions
from reports.search.similar import ReportView
from reports.search.sorted_arrays import intersect
from reports.search.query import ParsedQuery

# How long Whoosh itself retries its own lock once we hold ours (it should be free).
WHOOSH_WRITER_TIMEOUT = 10.0
# Whoosh's default policy merges segments on nearly every commit, rewriting postings
# in pure Python: about a second per one-report update on a thousand-report index.
# Letting a few small segments pile up first makes single updates cheap, while
# searches still open only a handful of segments.
MAX_SEGMENTS = 10
# The writer's posting pool for a bulk batch, in MB (Whoosh's default is 128). A
# batch of a thousand reports makes some two million postings; when they do not
# fit, Whoosh spills them to temporary runs and merges those in pure Python, which
# takes several times longer than sorting them in memory.
BULK_WRITER_MB = 768
# The pool of any other write: one report, however big, written by the worker
# that stored it. Whoosh's default (128) let a report of two million characters
# take a worker to 300 MB; with 32 its postings spill to a few sorted runs on
# disk, which costs little time, and the worker stays under 180 MB.
WRITER_MB = 32
# Postings per block and zlib level (Whoosh's defaults: 128 and 3). Search reads a
# term's postings whole (reports.search.postings), so long blocks only save the
# per-block overhead; Whoosh's block skipping, which short ones help, is not used.
POSTING_BLOCK = 4096
POSTING_COMPRESSION = 9
# Answers kept per worker for the index it has open: at most this many queries,
# and this many matching sections in all (arrays of some 100 bytes a section).
HITS_CACHE_SIZE = 32
HITS_CACHE_HITS = 100_000
# The field whose own match makes a hit a section hit rather than a title-only one.
FLAG_FIELD = "text"
# The analysed fields, whose lengths BM25 reads.
FIELDS_WITH_LENGTHS = ("text", "title")


def _codec() -> PackedCodec:
    # Blocks laid out for numpy (reports.search.codec), longer and compressed harder
    # than Whoosh's defaults: the bigram postings of Chinese text are most of the index.
    return PackedCodec(blocklimit=POSTING_BLOCK, compression=POSTING_COMPRESSION)


# Whoosh's default index name, which haystack uses.
INDEX_NAME = "MAIN"
# Another process's commit writes a new table of contents, then deletes the old one
# and the segments a merge replaced: a process opening the index in between finds a
# file gone, and opening again finds the new generation. Whoosh's own reader() retries
# for this; the other steps of opening (the TOC, its stamp, the columns) do here.
_REOPEN_ATTEMPTS = 5
_REOPEN_PAUSE = 0.01


def _reopening(open_):
    for attempt in range(_REOPEN_ATTEMPTS):
        try:
            return open_()
        except FileNotFoundError:
            if attempt == _REOPEN_ATTEMPTS - 1:
                raise   # gone for good: the index was deleted
            time.sleep(_REOPEN_PAUSE)


def merge_when_many(writer, segments):
    if len(segments) < MAX_SEGMENTS:
        return segments
    return MERGE_SMALL(writer, segments)


class OutdatedIndex(RuntimeError):
    pass


class KeywordField(indexes.CharField):
    """A value matched exactly and read per hit (report id, association, year...)."""

    field_type = "keyword"


class CrossScriptWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        # Seconds a writer waits for another process's write before giving up.
        self.lock_timeout = float(connection_options.get("LOCK_TIMEOUT", 30.0))
        self._searcher = None
        self._searcher_stamp = None
        self._hits_cache: OrderedDict = OrderedDict()
        self._cached_hits = 0
        self._columns_of_index: IndexColumns | None = None           # for the open searcher
        self._view: IndexView | None = None
        self._segment_columns: dict[str, IndexColumns] = {}          # by segment id
        self._report_view: ReportView | None = None                  # for the open searcher

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
                # The document text is not stored either: snippets come from the
                # database, and storing it would add a third to the index's size.
                boost = declared.boost if declared is not None else 1.0
                rebuilt[name] = TEXT(
                    stored=name != content_field_name, analyzer=CrossScriptAnalyzer(), phrase=True,
                    field_boost=boost,
                )
                # Positions packed for reading a block at a time (reports.search.positions).
                rebuilt[name].format = PackedPositions(field_boost=boost)
            else:
                rebuilt[name] = schema[name]
        return content_field_name, Schema(**rebuilt)

    def setup(self):
        """Haystack's set-up, with a missing index created by one process at a time.

        Haystack creates a missing index in whichever process looks first, and on a
        new site several look at once: the gunicorn workers warming up and the
        background worker indexing its first upload. Two creations trip over each
        other: the folder is made twice ("cannot be created"), Whoosh's ``TOC.create``
        deletes the files of the index the other is writing (``FileNotFoundError``) and
        will not rename its table of contents over the one just written ("File
        '_MAIN_0.toc' exists"). So a process that finds no index takes the write lock
        and looks again: the first creates it, the others open what it made. An index
        that exists is opened without the lock, as before (its TOC appears by a rename).
        """
        if not self.use_file_storage:
            return super().setup()
        os.makedirs(self.path, exist_ok=True)
        if TOC._latest_generation(FileStorage(self.path), INDEX_NAME) >= 0:
            return _reopening(super().setup)
        with self.write_lock():
            return _reopening(super().setup)   # creates the index, or opens the one made while we waited

    # Writing -----------------------------------------------------------------

    def write_lock(self):
        return index_write_lock(self.path, timeout=self.lock_timeout)

    @contextmanager
    def _writer(self, *, mergetype=None, bulk: bool = False):
        if not self.setup_complete:
            self.setup()
        with self.write_lock():
            self.index = self.index.refresh()
            if mergetype is not CLEAR:
                self.refuse_outdated()
            options = {"limitmb": BULK_WRITER_MB if bulk else WRITER_MB}
            # Not a compound file: Whoosh reads a compound segment's postings into a
            # private in-memory copy in every worker (some 30 MB per thousand reports);
            # separate files are read through the page cache, shared by all workers.
            writer = self.index.writer(timeout=WHOOSH_WRITER_TIMEOUT, codec=_codec(), compound=False, **options)
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=mergetype or merge_when_many)
            self.index = self.index.refresh()

    def documents(self, index, objects) -> Iterator[dict]:
        """Haystack's document preparation, as its own ``update`` does it, one object at a time."""
        for obj in objects:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            doc = {key: self._from_python(value) for key, value in doc.items()}
            doc.pop("boost", None)   # Whoosh 2.5+ has no document boosts.
            yield doc

    def update(self, index, iterable, commit=True):
        """Haystack's batch update (``rebuild_index``, ``update_index``): each document
        replaced by its id, the batch in one commit of the bulk writer."""
        docs = list(self.documents(index, iterable))
        if docs:
            self.replace_many(field=ID, values=[doc[ID] for doc in docs], docs=docs, bulk=True)

    def replace(self, *, field: str, value: str, docs: Iterable[dict]) -> None:
        """Delete every document whose ``field`` is ``value`` and add ``docs``, in one commit.

        One commit means a search never sees the report missing half-way.
        """
        self.replace_many(field=field, values=[value], docs=docs)

    def replace_many(self, *, field: str, values: list[str], docs: Iterable[dict], bulk: bool = False) -> None:
        """:meth:`replace` for several values in one commit (a batch of reports).

        ``docs`` is read as it is written, so a caller can stream a big report's
        sections without holding them all. ``bulk`` (a batch of a bulk load) gives
        the writer a pool big enough to sort the whole batch's postings in memory.
        """
        with self._writer(bulk=bulk) as writer:
            # One searcher for all the deletions: without it Whoosh opens a new one,
            # reading every segment, for each value (a batch got slower with every
            # segment the bulk load had already written).
            with writer.searcher() as searcher:
                for value in values:
                    writer.delete_by_term(field, value, searcher=searcher)
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

    def query_matches(self, parsed: ParsedQuery, *, fields: dict[str, float]) -> SectionMatches:
        """What :mod:`reports.search.searching` asks of any engine: every section the
        query finds (flagged when the section's own text matched, not only its
        report's title), less the reports that its NOT parts rule out."""
        key = ("matches", parsed.identity, tuple(fields.items()))
        return self._cached(key, lambda searcher: self._read_matches(searcher, parsed, fields))

    def remembered(self, key, compute):
        """``compute()``, kept with the answers until the index changes (for searching's groups)."""
        return self._cached(key, lambda searcher: compute())

    def _cached(self, key, read):
        searcher = self.searcher()
        if key in self._hits_cache:
            # Paging, sorting and facet clicks repeat the same query on the same index.
            self._hits_cache.move_to_end(key)
            return self._hits_cache[key]
        hits = read(searcher)
        self._hits_cache[key] = hits
        self._cached_hits += len(hits)
        # Bounded by hits, not queries: one very common word at archive scale has
        # tens of thousands, and a worker must stay small.
        while len(self._hits_cache) > 1 and (
            len(self._hits_cache) > HITS_CACHE_SIZE or self._cached_hits > HITS_CACHE_HITS
        ):
            _, dropped = self._hits_cache.popitem(last=False)
            self._cached_hits -= len(dropped)
        return hits

    def prepare_for_search(self) -> None:
        """Open the searcher and read what every search needs (columns; the view reads
        field lengths and deletions as it opens)."""

        def prepare():
            searcher = self.searcher()
            if searcher.doc_count():
                self._index_columns(searcher)

        _reopening(prepare)

    def _read_matches(self, searcher, parsed: ParsedQuery, fields: dict[str, float]) -> SectionMatches:
        if not searcher.doc_count():
            return SectionMatches.from_rows([])
        node, exclusions = parsed.split()
        evaluation = Evaluation(self._view, fields, {name: self.schema[name].format.field_boost for name in fields})
        found = evaluation.node(node)
        # How often the query's words occur in each found section's own text; a
        # section is flagged (a hit of its own, not only through its report's title)
        # when they occur at all.
        occurrences = np.zeros(len(found.docs), dtype=np.int64)
        for pattern in parsed.patterns():
            docs, counts = evaluation.occurrences(FLAG_FIELD, pattern)
            _, in_found, in_pattern = intersect(found.docs, docs)
            occurrences[in_found] += counts[in_pattern].astype(np.int64)
        columns = self._index_columns(searcher)
        matches = columns.take(found.docs, found.scores, occurrences)
        excluded = union([evaluation.node(exclusion) for exclusion in exclusions]).docs
        return matches.without_reports(np.unique(columns.report[excluded]))

    def report_view(self) -> ReportView | None:
        """The open index's sections grouped by report (reports.search.similar); None when empty."""
        searcher = self.searcher()
        if not searcher.doc_count():
            return None
        if self._report_view is None:
            self._report_view = ReportView(self._view, self._index_columns(searcher).report, FLAG_FIELD)
        return self._report_view

    def _index_columns(self, searcher) -> "IndexColumns":
        """The keyword columns of every document of the open searcher, as arrays.

        Read once per segment, not once per hit: a segment never changes once
        written, so a searcher reopened after a commit reuses the columns of the
        segments it still has and reads only the new ones.
        """
        if self._columns_of_index is None:
            parts = []
            for reader, _ in self._view.readers:
                segment = _segment_id(reader)
                if segment not in self._segment_columns:
                    self._segment_columns[segment] = IndexColumns.read(reader)
                parts.append(self._segment_columns[segment])
            self._columns_of_index = IndexColumns.concatenate(parts)
        return self._columns_of_index

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
        return _reopening(self._current_searcher)

    def _current_searcher(self):
        stamp = self._stamp()
        if self._searcher is None or stamp != self._searcher_stamp:
            previous = self._searcher
            self.index = self.index.refresh()
            self.refuse_outdated()
            # Reuse the readers of the segments that did not change (Whoosh closes the others).
            reader = self.index.reader(reuse=previous.reader() if previous is not None else None)
            self._searcher = Searcher(reader, fromindex=self.index)
            self._searcher_stamp = stamp
            self._hits_cache.clear()   # answers from the old index
            self._cached_hits = 0
            self._columns_of_index = None
            self._report_view = None
            self._view = IndexView(self._searcher, FIELDS_WITH_LENGTHS)
            kept = {_segment_id(reader) for reader, _ in self._searcher.reader().leaf_readers()}
            self._segment_columns = {key: value for key, value in self._segment_columns.items() if key in kept}
        return self._searcher

    def refuse_outdated(self) -> None:
        """Raise :class:`OutdatedIndex` for an index written before positions were
        packed, or with English terms from another stemmer.

        Reading its postings as packed would give wrong phrase matches, its English
        terms would not meet the queries' (cooperat vs cooper), and adding to it
        would mix the two; ``rebuild_index`` writes it afresh.
        """
        toc = TOC.read(self.storage, self.index.indexname)
        texts = [name for name in toc.schema.names() if isinstance(toc.schema[name], TEXT)]
        outdated = [
            name for name in texts if not isinstance(toc.schema[name].format, PackedPositions)
        ] + [segment.segment_id() for segment in toc.segments if not isinstance(segment.codec(), PackedCodec)]
        # The stemmer is recorded on the analyzer pickled in the schema; before the
        # Snowball stemmer it was not recorded at all (Whoosh's Porter stemmer).
        stemmers = {vars(toc.schema[name].analyzer).get("stemmer", "whoosh-porter") for name in texts}
        outdated += [f"English stems by {stemmer}, not {STEMMER}" for stemmer in sorted(stemmers - {STEMMER})]
        if outdated and self.index.doc_count_all():
            raise OutdatedIndex(
                f"The search index at {self.path} was written by an older version of the archive "
                f"({', '.join(outdated)}); run `manage.py rebuild_index`."
            )

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


@dataclass(frozen=True)
class IndexColumns:
    """The keyword columns of every document of the open searcher, as arrays."""

    report: np.ndarray
    section: np.ndarray
    order: np.ndarray
    facets: dict[str, Column]
    date: Column

    @classmethod
    def read(cls, reader) -> "IndexColumns":
        def values(name: str) -> list[str]:
            return list(reader.column_reader(name))

        def numbers(name: str) -> np.ndarray:
            return numbers_of(values(name))

        return cls(
            report=numbers("report_id"),
            section=numbers(DJANGO_ID),
            order=numbers("order"),
            facets={name: Column.of(values(name)) for name in FACET_COLUMNS},
            date=Column.of([date_key(published, year) for published, year in zip(values("published"), values("year"))]),
        )

    @classmethod
    def concatenate(cls, parts: list["IndexColumns"]) -> "IndexColumns":
        if len(parts) == 1:
            return parts[0]
        def joined(name):
            return np.concatenate([getattr(part, name) for part in parts]) if parts else np.zeros(0, np.int64)

        return cls(
            report=joined("report"),
            section=joined("section"),
            order=joined("order"),
            facets={name: Column.concatenate([part.facets[name] for part in parts]) for name in FACET_COLUMNS},
            date=Column.concatenate([part.date for part in parts]),
        )

    def take(self, docs: np.ndarray, scores: np.ndarray, occurrences: np.ndarray) -> SectionMatches:
        return SectionMatches(
            self.report[docs], self.section[docs], self.order[docs], scores, occurrences > 0,
            {name: column.take(docs) for name, column in self.facets.items()}, self.date.take(docs), occurrences,
        )


def _segment_id(reader) -> str | None:
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else None
