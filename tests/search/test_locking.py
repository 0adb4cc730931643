import fcntl
import threading

import pytest

from reports.search.locking import IndexLockTimeout, index_write_lock, lock_path_for


def test_the_lock_file_sits_beside_the_index(tmp_path):
    assert lock_path_for(tmp_path / "whoosh_index") == tmp_path / "whoosh_index.lock"


def test_a_held_lock_makes_another_writer_wait_then_give_up(tmp_path):
    index = tmp_path / "whoosh_index"
    lock_file = lock_path_for(index)
    lock_file.touch()
    with open(lock_file, "rb") as other_process:   # another open file: what another process would hold
        fcntl.flock(other_process, fcntl.LOCK_EX)
        with pytest.raises(IndexLockTimeout):
            with index_write_lock(index, timeout=0.2):
                pass


def test_a_writer_gets_the_lock_once_it_is_released(tmp_path):
    index = tmp_path / "whoosh_index"
    trying, acquired = threading.Event(), threading.Event()

    def second():
        trying.set()
        with index_write_lock(index, timeout=10):
            acquired.set()

    with index_write_lock(index):
        thread = threading.Thread(target=second)
        thread.start()
        # Only once the second writer is asking does its not getting the lock mean anything.
        assert trying.wait(10)
        assert not acquired.wait(1.0), "the second writer got the lock while the first held it"
    assert acquired.wait(10), "the second writer never got the lock once it was released"
    thread.join(10)


def test_the_lock_is_reentrant_in_one_thread(tmp_path):
    index = tmp_path / "whoosh_index"
    with index_write_lock(index, timeout=0.2):
        with index_write_lock(index, timeout=0.2):
            pass
        with index_write_lock(index, timeout=0.2):
            pass


def test_a_missing_index_is_created_by_one_process_while_the_others_wait_and_open_it(tmp_path, monkeypatch, settings):
    # On a new site the gunicorn workers warming up and the background worker all find no
    # index at once; two creating it trip over each other's files ("_MAIN_0.toc exists").
    import reports.search.locking as locking
    from reports.search.backend import CrossScriptWhooshBackend
    from whoosh.filedb.filestore import FileStorage

    path = tmp_path / "whoosh_index"
    options = {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(path)}
    asking = threading.Event()
    real_flock = locking.fcntl.flock

    def flock(handle, operation):
        try:
            return real_flock(handle, operation)
        except BlockingIOError:
            asking.set()   # someone is waiting for the lock
            raise

    monkeypatch.setattr(locking.fcntl, "flock", flock)
    errors = []

    def another_process():
        try:
            CrossScriptWhooshBackend("default", **options).setup()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    with index_write_lock(path):   # this "process" got there first and is creating the index
        waiting = threading.Thread(target=another_process)
        waiting.start()
        assert asking.wait(10), "a process that finds no index must wait for the one creating it"
        assert not FileStorage(str(path)).index_exists()   # and create nothing meanwhile
        CrossScriptWhooshBackend("default", **options).setup()
        toc = next(path.glob("*.toc")).stat()
    waiting.join(10)

    assert not waiting.is_alive() and errors == []
    (after,) = [p.stat() for p in path.glob("*.toc")]
    assert (after.st_ino, after.st_mtime_ns) == (toc.st_ino, toc.st_mtime_ns)   # opened, not made again
