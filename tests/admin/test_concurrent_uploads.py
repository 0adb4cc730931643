"""Two staff members uploading at the same moment under a real gunicorn and worker, while readers search."""

import json
import threading
from urllib.parse import quote

import pytest

from tests.admin.conftest import STAFF
from tests.admin.seeds import as_docx, seed_text
from harness.staff import StaffSession

pytestmark = pytest.mark.server


def test_two_simultaneous_uploads_are_both_stored_and_searchable(upload_server):
    sessions = []
    for name, password in STAFF:
        session = StaffSession(upload_server.base_url)
        session.log_in(name, password)
        sessions.append(session)
    files = [("hebei-gb18030.txt", seed_text("000").encode("gb18030")), ("sichuan.docx", as_docx("003"))]
    start = threading.Barrier(len(sessions) + 1)
    outcomes: dict[int, tuple[int, str]] = {}
    reader_statuses: list[int] = []
    uploading = True

    def staff(i: int) -> None:
        start.wait()
        outcomes[i] = sessions[i].upload(files[i])

    def reader() -> None:
        start.wait()
        while uploading:
            reader_statuses.append(upload_server.get("/api/search/?q=" + quote("医学会")).status)

    threads = [threading.Thread(target=staff, args=(i,)) for i in range(len(sessions))] + [threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    for thread in threads[:-1]:
        thread.join(timeout=120)
    uploading = False
    threads[-1].join(timeout=30)

    for i, (status, location) in outcomes.items():
        assert status == 302 and "/admin/reports/upload/batch/" in location, (status, location[:500])
        (upload,) = sessions[i].wait_for_batch(location)
        assert (upload["state"], upload["reason"]) == ("done", ""), upload
        assert upload["report"].startswith(upload_server.base_url + "/reports/")
    assert reader_statuses and set(reader_statuses) == {200}
    reports = json.loads(upload_server.get("/api/reports/").body)
    assert {"hebei-gb18030.txt", "sichuan.docx"} <= {r["source_name"] for r in reports["results"]}
    # Both are in the index at once: each is found by words only it has.
    for query, name in [("第三方调查评估", "hebei-gb18030.txt"), ("喜闻乐见", "sichuan.docx")]:
        hits = json.loads(upload_server.get("/api/search/?q=" + quote(query)).body)["results"]
        assert {hit["report"]["source_name"] for hit in hits} == {name}, query
    for log in (upload_server.log_tail(200), upload_server.worker_log_tail(200)):
        assert "ERROR" not in log and "Traceback" not in log, log
