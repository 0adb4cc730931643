"""Script payloads searched for and uploaded come back as text, never as markup.

The check is structural, not a string match: each page is parsed as a browser
would, and must contain no script element of ours without a src, no element
with an event-handler attribute, and no element the payloads would create.
"""

import json
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from reports.models import Report
from reports.processing import run_queued_tasks

SCRIPT = '<script>alert("xss")</script>'
IMG = '"><img src=x onerror=alert(1)>'
PAYLOADS = [SCRIPT, IMG, "'><svg onload=alert(1)>", "</textarea><script>alert(2)</script>", "javascript:alert(3)"]
MARKER = "zqpayloadmarker"

HOSTILE_REPORT = f"""河北省医学会工作报告{SCRIPT}
发布日期:2024-01-01
来源:{IMG}
作者:'><svg onload=alert(1)>

一、总体情况{IMG}
正文{IMG} 与 {SCRIPT} 都应原样显示为文字。{MARKER} 医学会
二、下一步</textarea><script>alert(2)</script>
继续努力工作，做好各项任务。javascript:alert(3) {MARKER}
""".encode("utf-8")


def assert_no_injected_markup(html: bytes, where: str):
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        kind = (script.get("type") or "").lower()
        if kind in ("application/json", "application/ld+json"):
            # A data block is never run, and may quote a payload as data; what it must
            # not do is end early: its text is whole JSON without a "<" to start a tag.
            assert "<" not in script.string and json.loads(script.string), (where, str(script)[:200])
            continue
        assert script.get("src"), (where, str(script)[:200])
        assert "alert(" not in script.get_text(), (where, str(script)[:200])
    for element in soup.find_all(True):
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert not handlers, (where, str(element)[:200])
        for name in ("href", "src", "action"):
            assert not str(element.get(name, "")).strip().lower().startswith("javascript:"), (where, str(element)[:200])
    assert not soup.find_all("svg", attrs={"onload": True}), where
    assert not soup.find_all("img", attrs={"src": "x"}), where
    for payload in (SCRIPT, IMG):
        assert payload.encode() not in html, (where, payload)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("base", ["/search/?q=", "/?q=", "/associations/?script="])
def test_searched_payloads_are_shown_escaped(payload, base):
    path = base + quote(payload)
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code in (200, 400), (path, response.status_code)
    assert_no_injected_markup(response.content, path)


@pytest.fixture
def uploaded_report(db):
    staff = get_user_model().objects.create_superuser("keeper", "keeper@example.org", "a keeper's long password 5")
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    upload = SimpleUploadedFile("<img src=x onerror=alert(9)>.txt", HOSTILE_REPORT, content_type="text/plain")
    response = client.post("/admin/reports/report/add/", {"upload": [upload]})
    assert response.status_code == 302, response.content[:2000]
    run_queued_tasks()   # what the worker does
    report = Report.objects.get(body__contains=MARKER)
    client.status_page = response["Location"]
    # The payloads really are in what is stored, so the pages below really show them.
    assert "<script>" in report.title and "onerror" in report.source and "<script>" in report.body
    return client, report


@pytest.mark.django_db(transaction=True)  # the index is updated after the commit
def test_an_uploaded_report_full_of_payloads_is_shown_escaped_everywhere(uploaded_report):
    client, report = uploaded_report
    anonymous = Client(raise_request_exception=False)
    pages = {
        "report page": anonymous.get(report.get_absolute_url()),
        "association page": anonymous.get(report.association.get_absolute_url()),
        "home": anonymous.get("/"),
        "search": anonymous.get("/search/?q=" + MARKER),
        "search for the payload": anonymous.get("/search/?q=" + quote(SCRIPT)),
        "admin change page": client.get(f"/admin/reports/report/{report.pk}/change/"),
        "admin list": client.get("/admin/reports/report/"),
        "upload status page": client.get(client.status_page),
        "upload list": client.get("/admin/reports/upload/"),
    }
    for where, response in pages.items():
        assert response.status_code == 200, (where, response.status_code)
        assert_no_injected_markup(response.content, where)
    # The search found it, and shows the payload as text a reader can see.
    search_text = BeautifulSoup(pages["search"].content, "html.parser").get_text()
    assert "alert" in search_text or "<script>" in search_text, "the search page did not show the uploaded report"
    assert "<script>" in BeautifulSoup(pages["report page"].content, "html.parser").get_text()


@pytest.mark.django_db(transaction=True)
def test_the_api_returns_payloads_as_json_strings_not_html(uploaded_report):
    _, report = uploaded_report
    response = Client().get(f"/api/reports/{report.pk}/")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["title"] == report.title
    search = Client().get("/api/search/", {"q": MARKER})
    highlights = " ".join(h for hit in search.json()["results"] for h in hit["highlights"])
    # Snippets are HTML (escaped text with <mark>): the payload is in them, escaped.
    assert highlights and "<script" not in highlights and "&lt;/script&gt;" in highlights
