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
    order = []
    with index_write_lock(index):
        def second():
            with index_write_lock(index, timeout=5):
                order.append("second")

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.2)
        order.append("first")
    thread.join(5)
    assert order == ["first", "second"]


def test_the_lock_is_reentrant_in_one_thread(tmp_path):
    index = tmp_path / "whoosh_index"
    with index_write_lock(index, timeout=0.2):
        with index_write_lock(index, timeout=0.2):
            pass
        with index_write_lock(index, timeout=0.2):
            pass
