"""Packed positions and the block reader, checked against Whoosh's own matchers."""

import numpy as np
import pytest
from haystack import connections
from hypothesis import given
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import TEXT, Schema
from whoosh.writing import OPTIMIZE
from whoosh.filedb.filestore import FileStorage

from reports.search import SearchParams, index_report, search
from reports.search.backend import OutdatedIndex
from reports.search.codec import PackedBlock, pack_block
from reports.search.evaluation import IndexView
from reports.search.positions import ESCAPE, PackedPositions, decode_gaps, encode_gaps
from reports.search.postings import live_mask, read_postings
from reports.services.index_consistency import check_index

pytestmark = pytest.mark.django_db


@given(st.lists(st.integers(min_value=0, max_value=3_000_000), min_size=1, max_size=60, unique=True))
def test_positions_survive_packing_whatever_the_gaps(positions):
    positions.sort()
    assert decode_gaps(encode_gaps(positions)) == positions


def test_a_gap_too_wide_for_sixteen_bits_is_escaped():
    packed = encode_gaps([3, 3 + ESCAPE, 70_000 + ESCAPE * 2])
    assert len(packed) == 2 * (1 + 3 + 3)
    assert decode_gaps(packed) == [3, 3 + ESCAPE, 70_000 + ESCAPE * 2]


def whoosh_postings(reader, field, text):
    """What Whoosh's own matcher gives: {docnum: (weight, positions)}, live documents only."""
    if (field, text) not in reader:
        return {}
    matcher = reader.postings(field, text)
    found = {}
    while matcher.is_active():
        found[matcher.id()] = (matcher.weight(), matcher.value_as("positions"))
        matcher.next()
    return found


def test_block_reading_agrees_with_whoosh_across_segments_blocks_and_deletions(search_index, make_report):
    backend = connections["default"].get_backend()
    # Several commits (segments), more postings than a block holds, a report
    # replaced (deletions), and one very long section (escaped gaps).
    reports = [make_report(f"报告{i}", [("", "医院党建工作。" * (1 + i % 5))]) for i in range(700)]
    for report in reports[:350]:
        index_report(report)
    long_one = make_report("长报告", [("", "党" * 70_000 + "医院党建")])
    for report in reports[350:] + [long_one]:
        index_report(report)
    index_report(reports[10])

    searcher = backend.searcher()
    readers = searcher.reader().leaf_readers()
    assert len(readers) > 1
    assert any(reader.has_deletions() for reader, _ in readers)
    seen = set()
    for reader, _ in readers:
        live = live_mask(reader)
        for term in ("医院", "党建", "作", "党党"):
            mine = read_postings(reader, "text", term, with_positions=True)
            keep = live[mine.docs]
            seen.update([term] if len(mine.docs) else [])
            positions = np.split(mine.positions, np.cumsum(mine.counts)[:-1]) if len(mine.docs) else []
            assert {
                int(doc): (float(weight), [int(p) for p in where])
                for doc, weight, where, kept in zip(mine.docs, mine.weights, positions, keep) if kept
            } == whoosh_postings(reader, "text", term), term
    assert seen == {"医院", "党建", "作", "党党"}


def test_a_phrase_deep_in_a_very_long_section_is_found(indexed):
    deep = indexed("长报告", [("", "工作" * 40_000 + "医院党建" + "工作" * 10)])
    indexed("短报告", [("", "医院和党建")])
    assert [hit.report.pk for hit in search(SearchParams(q="医院党建")).hits] == [deep.pk]
    assert [hit.report.pk for hit in search(SearchParams(q="醫院黨建")).hits] == [deep.pk]


def test_an_index_view_sees_only_live_documents(indexed):
    first = indexed("甲", [("", "医院党建")])
    indexed("乙", [("", "医院党建")])
    index_report(first)   # replaced: its old documents are deleted, not gone
    view = IndexView(connections["default"].get_backend().searcher(), ("text",))
    assert view.doc_count_all > len(view.live_docs) == 2
    assert search(SearchParams(q="医院党建")).report_count == 2


@pytest.mark.parametrize("old_positions", [True, False], ids=["whoosh-positions", "whoosh-blocks"])
def test_an_index_written_the_old_way_is_refused_until_rebuilt(search_index, indexed, old_positions):
    from django.core.management import call_command

    indexed("甲", [("", "医院党建")])
    backend = connections["default"].get_backend()
    # An index as the archive wrote it before: Whoosh's own positions and blocks,
    # or packed positions in Whoosh's own blocks.
    storage = FileStorage(str(search_index))
    old_schema = Schema(**{name: backend.schema[name] for name in backend.schema.names()})
    if old_positions:
        for name in ("text", "title"):
            old_schema._fields[name] = TEXT(analyzer=backend.schema[name].analyzer, phrase=True,
                                            stored=name == "title")
    old = storage.create_index(old_schema)
    with old.writer(codec=W3Codec()) as writer:
        writer.add_document(text="医院党建", title="甲", django_id="1", report_id="1", id="reports.section.1")
    assert isinstance(old.schema["text"].format, PackedPositions) != old_positions

    with pytest.raises(OutdatedIndex, match="rebuild_index"):
        backend.searcher()
    assert "rebuild_index" in check_index().unreadable
    assert search(SearchParams(q="医院党建")).index_unavailable
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert search(SearchParams(q="医院党建")).report_count == 1


def test_merging_segments_keeps_every_posting(indexed):
    reports = [indexed(f"报告{i}", [("", f"医院党建第{i}次会议"), ("二、", "继续教育" * (i % 3 + 1))]) for i in range(30)]
    index_report(reports[3])
    before = {q: search(SearchParams(q=q)).report_count for q in ("医院党建", "继续教育", "会议", "医")}
    backend = connections["default"].get_backend()
    assert len(backend.searcher().reader().leaf_readers()) > 1
    # Whoosh's own merge reads the packed blocks through PackedLeafMatcher and writes them anew.
    with backend._writer(mergetype=OPTIMIZE):
        pass
    assert len(backend.searcher().reader().leaf_readers()) == 1
    assert {q: search(SearchParams(q=q)).report_count for q in before} == before == {
        "医院党建": 30, "继续教育": 30, "会议": 30, "医": 30}


@pytest.mark.parametrize("weights", [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [1.0, 4.0, 2.0]],
                         ids=["all-one", "all-same", "each"])
def test_a_packed_block_reads_back_as_written(weights):
    values = [encode_gaps([0, 5]), encode_gaps([70_000]), encode_gaps([1, 2, 3])]
    block = PackedBlock(pack_block([4, 9, 700_000], weights, values, compression=9), count=3)
    assert block.docs.tolist() == [4, 9, 700_000]
    assert block.weights.tolist() == weights
    assert block.values() == tuple(values)
    # A keyword field's postings have no values at all.
    bare = PackedBlock(pack_block([1, 2], [1.0, 1.0], [], compression=9), count=2)
    assert bare.docs.tolist() == [1, 2] and bare.values() == (b"", b"")
