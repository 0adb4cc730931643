"""A reader's visit in a real browser: home, search, a hit's section, scripts, the original."""

import re

import pytest

from tests.browser.conftest import DESKTOP, NARROWEST, PHONE, path_of, screenshot
from tests.conftest import SEEDS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_home_page_shows_the_archive_at_a_glance(page):
    page.goto("/")
    assert page.locator("h1").inner_text() == "学会工作报告库"
    counts = page.locator(".counts dd")
    assert counts.nth(0).inner_text() == "5" and counts.nth(1).inner_text() == "5"
    assert page.locator(".latest .report-item").count() == 5
    assert page.locator("#years .year-list a").count() >= 3


def test_search_and_follow_a_hit_to_its_section(page, seed_reports):
    page.goto("/")
    page.fill("#home-q", "精准扶贫")
    page.press("#home-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    hit = page.locator("a[href*='/reports/'][href*='#']").first
    href = hit.get_attribute("href")
    hit.click()
    page.wait_for_url(re.compile(r"/reports/\d+/#"))
    anchor = href.split("#", 1)[1]
    target = page.locator(f"[id='{anchor}']")
    assert target.count() == 1
    # The section the hit named is where the browser went, and it says what was searched.
    assert page.evaluate("location.hash") == f"#{anchor}"
    assert target.is_visible()
    section_text = target.locator("xpath=ancestor-or-self::section[1]").inner_text()
    assert "精准扶贫" in section_text


def test_switching_scripts_converts_the_text_and_sticks_for_the_visit(page, seed_reports):
    hebei, haidian = path_of(seed_reports["000"]), path_of(seed_reports["004"])
    page.goto(hebei)
    assert "河北省医学会" in page.locator(".report-body").inner_text()
    page.click(".script-switch a[href='?script=hant']")
    assert "河北省醫學會" in page.locator(".report-body").inner_text()
    assert page.locator(".report-body").get_attribute("lang") == "zh-Hant"
    # The choice follows the reader to the next page without a query string.
    page.goto(haidian)
    assert page.locator(".script-switch a[aria-current='true']").get_attribute("href") == "?script=hant"
    page.click(".script-switch a[href='?script=hans']")
    assert "医院党建" in page.locator("h1").inner_text()
    page.click(".script-switch a[href='?script=orig']")
    assert "醫院黨建" in page.locator("h1").inner_text()


def test_damaged_text_is_marked_where_it_is(page, seed_reports):
    page.goto(path_of(seed_reports["004"]))
    assert page.locator(".warnings li").count() >= 1
    assert page.locator(".report-body mark.damaged").first.is_visible()


def test_download_gives_the_original_file_byte_for_byte(page, seed_reports):
    report = seed_reports["003"]
    page.goto(path_of(report))
    with page.expect_download() as info:
        page.click("text=下载原始文件")
    download = info.value
    assert download.suggested_filename == report["source_name"]
    (original,) = SEEDS_DIR.glob(f"{report['source_name'][:3]}_*")
    assert open(download.path(), "rb").read() == original.read_bytes()


def test_contents_links_work_without_javascript(new_page, seed_reports):
    page = new_page(java_script_enabled=False)
    page.goto(path_of(seed_reports["000"]))
    first = page.locator(".toc a").first
    anchor = first.get_attribute("href")
    first.click()
    assert page.url.endswith(anchor)
    assert page.locator(f"[id='{anchor[1:]}']").is_visible()


def test_a_missing_page_is_the_archive_404_page(page):
    response = page.goto("/reports/999999/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "找不到页面"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP, NARROWEST], ids=["phone", "desktop", "narrowest"])
def test_every_page_fits_the_screen_and_loads_without_errors(new_page, archive_pages, viewport):
    """Screenshots of each page (test-output/screenshots/), nothing wider than the screen
    (at 320 px too: a long title in the breadcrumbs once scrolled it sideways), and no
    failed request: no missing icon, style or script."""
    page = new_page(viewport)
    # Console errors catch what a screenshot may hide: a blocked style (CSP), a missing file.
    errors, failed = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    for name, path in archive_pages.items():
        page.goto(path)
        if viewport is not NARROWEST:
            screenshot(page, name)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than the screen"
    # The 404 page's own status is the one expected error.
    assert [url for url in failed if not url.endswith("/no/such/page/")] == []
    assert [e for e in errors if "404" not in e] == []
    # What a browser asks for on every page, whatever it links: an icon, not a 404.
    icon = page.goto("/favicon.ico")
    assert icon.ok and "icon" in icon.headers["content-type"]
