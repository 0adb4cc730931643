"""A report read from scanned pages, in a real browser: the OCR notice, page images beside their text."""

import json
from urllib.parse import urlsplit

import pytest

from bench import scans
from tests.browser.conftest import DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def scanned_report(gunicorn_server, tmp_path_factory):
    """A one-page photographed Traditional scan, loaded with ``manage.py ingest`` into the shared server."""
    (page,) = scans.render_pages(scans.one_page(scans.load_document("zh-hant"), paragraphs=3))
    path = tmp_path_factory.mktemp("scan") / "掃描件.jpg"
    path.write_bytes(scans.jpeg_bytes(scans.photographed(page)))
    gunicorn_server.manage("ingest", str(path))
    reports = json.loads(gunicorn_server.get("/api/reports/?page_size=100").body)["results"]
    (report,) = [r for r in reports if r["source_name"] == path.name]
    return report


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_scanned_report_shows_each_page_beside_its_text(new_page, scanned_report, viewport):
    page = new_page(viewport)
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(urlsplit(scanned_report["url"]).path)
    assert page.locator(".ocr-notice").is_visible()
    image = page.locator("#page-1 img")
    image.scroll_into_view_if_needed()
    # The image loaded (lazily, once in view) and is as wide as its column.
    # A function, not an expression: Playwright evaluates an expression with eval() while it
    # polls, which the archive's CSP forbids (the image had not loaded at the first look).
    page.wait_for_function("() => { const image = document.querySelector('#page-1 img'); "
                           "return image.complete && image.naturalWidth > 0; }")
    assert "會員" in page.locator("#page-1 .scanned-page-text").inner_text()
    box_image, box_text = image.bounding_box(), page.locator("#page-1 figcaption").bounding_box()
    if viewport is DESKTOP:
        assert box_text["x"] > box_image["x"] + box_image["width"] - 1  # beside it
    else:
        assert box_text["y"] >= box_image["y"] + box_image["height"] - 1  # under it
    screenshot(page, "report-scanned")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert [url for url in failed if "/reports/" in url or "/static/" in url] == []
