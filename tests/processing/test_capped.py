"""The capped child: a value back, an error back, and a bomb or a hang stopped without harm to the caller."""

import os
import subprocess
import time
from pathlib import Path

import pytest

from reports.ingest import IngestError
from reports.processing import CappedChild, ReadingStopped, read_capped, run_capped
from reports.processing.caps import ReadingCaps

MB = 1024 * 1024


def _own(field: str) -> int:
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


# The cap counts what the child inherits from this test process (its interpreter, Django,
# numpy, whatever earlier tests loaded): 300 MB above that.
CAP = _own("VmData") + 300 * MB


def pages(count, *, progress):
    for page in range(1, count + 1):
        progress(page, count)
    return {"pages": count, "pid": os.getpid()}


def grow_without_end(*, progress):
    chunks = []
    while True:
        chunk = bytearray(16 * MB)
        chunk[::4096] = b"\x01" * len(chunk[::4096])   # touched, so resident
        chunks.append(chunk)


def numpy_too_big(*, progress):
    import numpy

    return numpy.ones((20_000, 20_000)).sum()   # 3.2 GB in one allocation


def hang_with_a_grandchild(pid_file, *, progress):
    child = subprocess.Popen(["sleep", "120"])
    pid_file.write_text(str(child.pid))
    time.sleep(120)


def refuse(*, progress):
    raise IngestError("empty", name="a.txt")


def test_the_value_and_the_progress_come_back_from_another_process():
    seen = []
    outcome = run_capped(pages, 3, memory_bytes=CAP, seconds=30, progress=lambda done, total: seen.append((done, total)))

    assert outcome.finished and outcome.value["pages"] == 3
    assert outcome.value["pid"] != os.getpid()
    assert seen == [(1, 3), (2, 3), (3, 3)]
    # Resident pages inherited from this process count in the child's peak too.
    assert 0 < outcome.peak_kb * 1024 < _own("VmRSS") + 64 * MB


def test_an_error_comes_back_as_itself_with_its_code():
    outcome = run_capped(refuse, memory_bytes=CAP, seconds=30)

    assert isinstance(outcome.error, IngestError)
    assert (outcome.error.code, outcome.error.params) == ("empty", {"name": "a.txt"})


@pytest.mark.parametrize("bomb", [grow_without_end, numpy_too_big], ids=["python-objects", "numpy"])
def test_a_memory_bomb_is_stopped_at_the_cap_and_the_caller_goes_on(bomb):
    outcome = run_capped(bomb, memory_bytes=CAP, seconds=60)

    assert outcome.stopped == "memory"
    # The resident peak stays under the cap (the cap counts heap and private mappings;
    # resident memory adds the shared libraries' code, a few tens of MB).
    assert outcome.peak_kb * 1024 < CAP + 64 * MB
    assert run_capped(pages, 1, memory_bytes=CAP, seconds=30).finished   # the caller is fine


def test_a_hang_is_killed_at_the_deadline_with_what_it_started(tmp_path):
    pid_file = tmp_path / "grandchild"
    started = time.monotonic()

    outcome = run_capped(hang_with_a_grandchild, pid_file, memory_bytes=CAP, seconds=1.5)

    assert outcome.stopped == "time"
    assert time.monotonic() - started < 10
    # The whole process group went, not only the child (a killed process may linger as a
    # zombie until its new parent reaps it: dead all the same).
    status = Path(f"/proc/{pid_file.read_text()}/status")
    assert not status.exists() or "\nState:\tZ" in status.read_text()


def test_reading_a_file_gives_the_parsed_report_or_the_refusal(seed_bytes):
    caps = ReadingCaps(memory_mb=CAP // MB, seconds=30)
    parsed = read_capped(seed_bytes("001"), filename="001.txt", caps=caps)
    assert parsed.title == "党建引领 久久为功——天津市医学会党建工作纪实"

    with pytest.raises(IngestError) as refused:
        read_capped(b"GIF89a" + bytes(64), filename="photo.txt", caps=caps)
    assert refused.value.code == "foreign_format" and not isinstance(refused.value, ReadingStopped)


def test_a_reading_stopped_by_a_cap_says_which_in_plain_words(monkeypatch):
    import reports.processing.reading as reading

    monkeypatch.setattr(reading, "parse_bytes", lambda data, *, filename, progress, **parse_keywords: time.sleep(30))
    with pytest.raises(ReadingStopped) as stopped:
        read_capped(b"text", filename="slow.txt", caps=ReadingCaps(memory_mb=CAP // MB, seconds=1))
    assert (stopped.value.code, stopped.value.params) == ("too_slow", {"name": "slow.txt", "seconds": 1})
    from django.utils import translation

    with translation.override("en"):
        assert str(stopped.value) == "“slow.txt” took longer than 1 second to read; it was stopped."
    with translation.override("zh-hans"):
        assert "1 秒" in str(stopped.value)

    monkeypatch.setattr(reading, "parse_bytes", lambda data, *, filename, progress, **parse_keywords: grow_without_end(progress=progress))
    with pytest.raises(ReadingStopped) as stopped, translation.override("en"):
        read_capped(b"text", filename="bomb.txt", caps=ReadingCaps(memory_mb=1024, seconds=60))
    with translation.override("en"):
        assert str(stopped.value) == "“bomb.txt” needs more than 1 GB of memory to read; it was stopped."


def pid_or_bomb(bomb, *, progress):
    if bomb:
        grow_without_end(progress=progress)
    return os.getpid()


def test_one_child_reads_many_files_and_a_bomb_among_them_costs_only_its_child():
    with CappedChild(pid_or_bomb, memory_bytes=CAP, seconds=30, calls=3) as child:
        first, second = child.run(False), child.run(False)
        assert first.value == second.value != os.getpid()   # the same child, reused
        assert child.run(True).stopped == "memory"
        after = child.run(False)
        assert after.finished and after.value != first.value   # a new child for the next file
        child.run(False)
        third = child.run(False)   # the new child's third call: it then exits
        assert third.finished and child.pid is None and third.peak_kb > 0
