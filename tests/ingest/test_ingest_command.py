import shutil
from pathlib import Path

import pytest
from django.utils import translation
from django.core.management import CommandError, call_command

from reports.ingest import ingest_bytes
from reports.models import Association, Report, Section

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_search_index")]


def run_ingest(*args):
    from io import StringIO

    out = StringIO()
    call_command("ingest", *map(str, args), stdout=out)
    return out.getvalue()


def test_ingesting_the_seed_folder_stores_five_reports_with_sections(seeds_dir):
    output = run_ingest(seeds_dir)
    assert Report.objects.count() == 5
    assert Association.objects.count() == 5
    assert Section.objects.filter(report__source_name__startswith="004").count() == 3
    assert "5 file(s): 5 created." in output
    assert "damaged" in output  # the per-file summary lists 004's warnings


def test_ingest_is_idempotent(seeds_dir):
    run_ingest(seeds_dir)
    sections = Section.objects.count()
    output = run_ingest(seeds_dir)
    assert Report.objects.count() == 5
    assert Section.objects.count() == sections
    assert "5 unchanged" in output


def test_a_changed_file_updates_its_report(tmp_path, seeds_dir, django_capture_on_commit_callbacks):
    source = next(seeds_dir.glob("003_*.txt"))
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    run_ingest(copy)
    report = Report.objects.get()
    old_file = Path(report.original.path)
    copy.write_text(source.read_text(encoding="utf-8") + "\n\n补记：协会年底完成了档案整理。\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        output = run_ingest(copy)
    assert "updated" in output
    report.refresh_from_db()
    assert Report.objects.count() == 1
    assert "档案整理" in report.body
    assert Path(report.original.path).read_bytes() == copy.read_bytes()
    # The replaced original is removed once the update has committed.
    assert not old_file.exists()


def test_dry_run_stores_nothing(seeds_dir):
    output = run_ingest("--dry-run", seeds_dir)
    assert Report.objects.count() == 0
    assert "would create" in output
    assert "Dry run, nothing stored" in output


def test_a_failing_file_exits_non_zero_and_the_others_are_stored(tmp_path, seeds_dir):
    shutil.copy(next(seeds_dir.glob("000_*.txt")), tmp_path)
    (tmp_path / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="2 file"):
        run_ingest(tmp_path)
    assert Report.objects.count() == 1


def test_original_bytes_are_kept_exactly(seed_bytes):
    data = seed_bytes("004")
    result = ingest_bytes(data, filename="004.txt")
    with result.report.original.open("rb") as handle:
        assert handle.read() == data
    assert result.report.source_name == "004.txt"


def test_same_text_in_another_encoding_is_a_duplicate(seed_bytes):
    text = seed_bytes("000").decode("utf-8")
    first = ingest_bytes(text.encode("utf-8"), filename="hebei-utf8.txt")
    second = ingest_bytes(text.encode("gb18030"), filename="hebei-gb.txt")
    assert first.status == "created"
    assert second.status == "duplicate"
    assert second.report == first.report
    assert Report.objects.count() == 1


def test_associations_match_across_scripts(seed_bytes):
    text = seed_bytes("000").decode("utf-8")
    from reports.text import to_traditional

    ingest_bytes(text.encode("utf-8"), filename="simplified.txt")
    ingest_bytes(to_traditional(text).encode("big5", errors="ignore"), filename="traditional.txt")
    assert Association.objects.count() == 1
    assert Report.objects.count() == 2


def test_stored_report_is_marked_for_the_index_until_indexed(seed_bytes, django_capture_on_commit_callbacks):
    from haystack import connections

    def indexed_reports() -> set[str]:
        return connections["default"].get_backend().indexed_values("report_id")

    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        result = ingest_bytes(seed_bytes("001"), filename="001.txt")
    assert result.status == "created"
    assert [s.anchor for s in result.report.sections.all()][:2] == ["intro", "s1"]
    # Stored and committed, not yet indexed: flagged, so catch_up_index would find it.
    assert Report.objects.get(pk=result.report.pk).index_pending is True
    assert str(result.report.pk) not in indexed_reports()
    for callback in after_commit:
        callback()
    assert Report.objects.get(pk=result.report.pk).index_pending is False
    assert str(result.report.pk) in indexed_reports()


@pytest.mark.parametrize("name", ["..", ".", "/", "报告\\..\\..", "x" * 400 + ".txt"])
def test_any_file_name_stores_the_report(seed_bytes, name):
    result = ingest_bytes(seed_bytes("001"), filename=name)
    assert result.status == "created", result.error
    assert 0 < len(result.report.source_name) <= 255
    with result.report.original.open("rb") as handle:
        assert handle.read() == seed_bytes("001")


def test_rerunning_an_interrupted_ingest_indexes_what_it_left_waiting(seeds_dir):
    # An ingest killed after storing but before indexing leaves reports waiting for the index.
    run_ingest(seeds_dir)
    Report.objects.update(index_pending=True)
    output = run_ingest(seeds_dir)
    assert "5 unchanged" in output
    assert not Report.objects.waiting_for_index().exists()
    assert Report.objects.count() == 5


def test_a_nul_byte_is_stored_as_marked_damage(seed_bytes):
    data = bytearray(seed_bytes("000"))
    data[400] = 0
    result = ingest_bytes(bytes(data), filename="nul.txt")
    assert result.status == "created", result.error
    report = Report.objects.get(pk=result.report.pk)
    assert "\x00" not in report.body
    assert "\x00" not in str(report.warnings)
    assert any(w["kind"] == "damaged" for w in report.warnings)


def test_a_damaged_docx_fails_alone_and_the_rest_of_the_folder_is_stored(tmp_path, seeds_dir):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>broken")
    (tmp_path / "broken.docx").write_bytes(buffer.getvalue())
    shutil.copy(next(seeds_dir.glob("001_*.txt")), tmp_path)
    with pytest.raises(CommandError, match="1 file"):
        run_ingest(tmp_path)
    assert Report.objects.count() == 1
    with translation.override("en"):   # the messages are translated; outside a request, into the default language
        result = ingest_bytes(buffer.getvalue(), filename="broken.docx")
    assert result.status == "failed" and "could not be read" in result.error


def test_files_of_the_same_name_from_different_associations_are_different_reports(tmp_path, seed_bytes):
    for folder, seed in (("hebei", "000"), ("tianjin", "001")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "工作总结.txt").write_bytes(seed_bytes(seed))
    output = run_ingest(tmp_path)
    assert "2 created" in output
    assert Report.objects.filter(source_name="工作总结.txt").count() == 2
    assert "2 unchanged" in run_ingest(tmp_path)
