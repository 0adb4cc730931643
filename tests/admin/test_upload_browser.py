"""One upload the way staff do it: log in, pick a file in the browser, watch it being read, open the report."""

import json
from urllib.parse import quote

import pytest

from tests.admin.conftest import STAFF
from tests.admin.seeds import as_html
from tests.browser.conftest import chromium  # noqa: F401 - the module-scoped browser

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_staff_upload_a_saved_web_page_in_the_browser(chromium, upload_server, tmp_path):  # noqa: F811
    saved = tmp_path / "天津市医学会党建工作纪实.html"
    saved.write_bytes(as_html("001"))
    context = chromium.new_context(base_url=upload_server.base_url, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        name, password = STAFF[0]
        page.goto("/admin/login/?next=/admin/reports/report/add/")
        page.fill("#id_username", name)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/reports/report/add/")

        page.set_input_files("input[type=file][name=upload]", str(saved))
        page.click("input[type=submit][name=_save]")
        page.wait_for_url("**/admin/reports/upload/batch/*/")
        # The status page reloads itself (no script: a meta refresh) until the worker has read the file.
        page.locator("tr.upload-done").wait_for(timeout=60_000)
        assert saved.name in page.locator("#upload-batch").inner_text()
        page.click("tr.upload-done td.upload-report a")
        page.wait_for_url("**/change/")

        assert page.input_value("#id_title") == "党建引领 久久为功——天津市医学会党建工作纪实"
        assert page.locator(".inline-related").count() > 3  # the sections, editable in place
    finally:
        context.close()
    hits = json.loads(upload_server.get("/api/search/?q=" + quote("两柱三心")).body)["results"]
    assert {hit["report"]["source_name"] for hit in hits} == {saved.name}
