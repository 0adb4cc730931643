"""Two staff members upload at the same moment while readers search.

Every upload must be stored (by the worker) and findable once done, no reader may see an error
(SQLite's "database is locked", Whoosh's LockError), and afterwards the index
and the database must agree.
"""

import json
import random
import string
import threading
from urllib.parse import quote

import pytest

from harness.staff import staff_session

pytestmark = pytest.mark.server

UPLOADS_PER_CLIENT = 3
SEARCHERS = 4
READER_PATHS = ["/search/?q=" + quote("医学会"), "/api/search/?q=" + quote("党建"), "/api/reports/", "/search/?q=hospital"]


def report_file(marker: str, number: int) -> bytes:
    """A small report of its own: a unique Latin marker word makes it findable, and its text unique."""
    city = ["河北省", "天津市", "四川省", "广东省", "浙江省", "江苏省"][number % 6]
    return (
        f"{city}医学会2024年度工作总结（{marker}）\n"
        f"发布日期:2024-03-{10 + number:02d}\n"
        f"来源:{city}医学会\n"
        "作者:办公室\n\n"
        "一、总体情况\n"
        f"2024年，{city}医学会围绕学术交流和继续教育开展工作，{marker} 项目完成了全部任务。\n\n"
        "二、学术活动\n"
        f"全年举办学术会议{20 + number}场，参会人员超过{3000 + number}人次。\n\n"
        "三、下一步计划\n"
        "继续加强党建工作，推动学会自身建设。\n"
    ).encode("utf-8")


def marker_word(chooser: random.Random) -> str:
    return "zq" + "".join(chooser.choice(string.ascii_lowercase) for _ in range(10))


def test_simultaneous_uploads_while_searching_are_all_stored_and_searchable(gunicorn_server):
    server = gunicorn_server
    chooser = random.Random()
    markers = [[marker_word(chooser) for _ in range(UPLOADS_PER_CLIENT)] for _ in range(2)]
    sessions = [staff_session(server), staff_session(server)]
    start = threading.Barrier(2 + SEARCHERS)
    uploads_done = threading.Event()
    upload_answers: list[tuple[str, int, str]] = []
    reader_answers: list[tuple[str, int]] = []
    lock = threading.Lock()

    def uploader(client: int) -> None:
        start.wait()
        for number, marker in enumerate(markers[client]):
            status, where = sessions[client].upload((f"concurrent_{marker}.txt", report_file(marker, client * 10 + number)))
            with lock:
                upload_answers.append((marker, status, where[:2000]))

    def reader(number: int) -> None:
        start.wait()
        turn = number
        while not uploads_done.is_set():
            path = READER_PATHS[turn % len(READER_PATHS)]
            turn += 1
            answer = server.get(path)
            with lock:
                reader_answers.append((path, answer.status))

    readers = [threading.Thread(target=reader, args=(n,)) for n in range(SEARCHERS)]
    uploaders = [threading.Thread(target=uploader, args=(n,)) for n in range(2)]
    for thread in readers + uploaders:
        thread.start()
    for thread in uploaders:
        thread.join(timeout=180)
    uploads_done.set()
    for thread in readers:
        thread.join(timeout=60)

    # Every upload was queued (the admin redirects to its status page), then stored by the worker.
    assert len(upload_answers) == 2 * UPLOADS_PER_CLIENT
    for marker, status, where in upload_answers:
        assert status == 302 and "/admin/reports/upload/batch/" in where, (marker, status, where)
        assert [upload["state"] for upload in sessions[0].wait_for_batch(where)] == ["done"], marker
    # No reader saw an error while the writers worked.
    assert reader_answers, "the readers never ran"
    assert [answer for answer in reader_answers if answer[1] != 200] == []

    # Each upload is searchable once done, by its own marker word, and found once.
    for marker in (m for client in markers for m in client):
        found = json.loads(server.get(f"/api/search/?q={marker}").body)
        titles = {hit["report"]["title"] for hit in found["results"]}
        assert len(titles) == 1 and marker in titles.pop(), (marker, found)

    # The index and the database agree.
    assert "agree" in server.manage("check_index").stdout
