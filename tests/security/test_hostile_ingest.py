"""Any bytes given to the ingestion pipeline: a stored report or a clear IngestError, nothing else.

Hypothesis generates the files: raw bytes, real report text in every encoding
the pipeline reads with damage spliced in, the seeds mutated byte by byte, and
random bytes named as HTML, Word or PDF files so the extractors see them too.
"""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reports.ingest import IngestError, ingest_bytes, parse_bytes
from reports.models import Report

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
SEED_BYTES = [path.read_bytes() for path in SEEDS]
STATUSES = {"created", "updated", "unchanged", "duplicate", "failed"}
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030", "big5"]
SUFFIXES = [".txt", ".html", ".htm", ".docx", ".pdf", ".md", "", ".exe", ".TXT"]

# Text that looks like a report: headings, metadata lines, both scripts, English, control characters.
report_alphabet = st.sampled_from(
    list("一二三四五、（）()1234567890.:：医學会学會党建工作年度总结報告院协會\n\n \t")
    + ["发布日期:2021-06-30", "來源:", "Author:", "当前位置:", "醫(yī)院", "??", "\x00", "\u200b", "\ufeff",
       "smarty:if ?>", "Produced By", "Ii.", "<p>", "</html>", "\r\n", "\ud7ff", "𠀀", "é"]
)
report_text = st.lists(report_alphabet, min_size=0, max_size=200).map("".join)


def encoded(text_and_encoding) -> bytes:
    text, encoding = text_and_encoding
    return text.encode(encoding, errors="replace")


@st.composite
def mutated_seed(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEED_BYTES)))
    for _ in range(draw(st.integers(0, 8))):
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["flip", "flip", "insert", "insert", "delete", "truncate"]))
        if action == "flip" and data:
            data[position] ^= draw(st.integers(1, 255))
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
        elif action == "delete" and data:
            del data[position]
        elif action == "truncate":
            del data[position:]
    return bytes(data)


any_file = st.one_of(
    mutated_seed(),  # twice: weighs the draw towards files that can become reports
    mutated_seed(),
    st.binary(max_size=2048),
    st.tuples(report_text, st.sampled_from(ENCODINGS)).map(encoded),
    st.tuples(report_text, st.binary(max_size=64)).map(lambda pair: pair[0].encode("utf-8", "surrogatepass") + pair[1]),
    st.sampled_from([b"PK\x03\x04" + b"\x00" * 40, b"%PDF-1.7\n%garbage", b"<html><script>x</script></html>",
                     b"\xff\xfe", b"\xef\xbb\xbf", b"   \n\n", b"\x00" * 100]),
)
file_name = st.builds(lambda stem, suffix: stem + suffix,
                      st.sampled_from(["report", "报告", "a b", "x" * 200, "..", "r\u202etxt.exe"]),
                      st.sampled_from(SUFFIXES))


@settings(max_examples=300, deadline=None)
@given(data=any_file, filename=file_name)
def test_parsing_any_bytes_gives_a_report_or_a_clear_ingest_error(data, filename):
    try:
        parsed = parse_bytes(data, filename=filename)
    except IngestError as error:
        assert str(error).strip(), "an IngestError must say what is wrong"
        return
    assert parsed.title.strip()
    assert parsed.language in {"zh-Hans", "zh-Hant", "en"}
    assert len(parsed.content_hash) == 64


@pytest.mark.django_db
@pytest.mark.usefixtures("own_search_index")
def test_ingesting_any_bytes_stores_a_report_or_says_why_not():
    outcomes: set[str] = set()

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=any_file, filename=file_name)
    def ingest(data, filename):
        result = ingest_bytes(data, filename=filename)
        outcomes.add(result.status)
        event(result.status)  # shown by --hypothesis-show-statistics
        assert result.status in STATUSES
        if result.status == "failed":
            assert result.error.strip()
            assert result.report is None
        else:
            stored = Report.objects.get(pk=result.report.pk)
            assert stored.title.strip()
            assert stored.original.size == len(data) or result.status in {"unchanged", "duplicate"}

    ingest()
    # Both branches ran: files were refused with a reason, and files were stored.
    assert "failed" in outcomes, outcomes
    assert outcomes & {"created", "updated"}, outcomes
