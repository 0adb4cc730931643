"""Playwright driving Debian's chromium against the seeds served by a real gunicorn.

The server is the shared ``gunicorn_server`` fixture (tests/server/gunicorn.py): its own
data directory, migrated, the seeds ingested and indexed. Playwright cannot download a
browser here, so it launches /usr/bin/chromium (installed by scripts/install-browser.sh).
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NARROWEST = {"width": 320, "height": 640}    # WCAG 1.4.10 reflow: no sideways scrolling at 320 CSS px


@pytest.fixture(scope="module")
def chromium():
    # Module scope: Playwright's sync API keeps an event loop running while it is started,
    # which Django's database code refuses to run beside; stopping it after each module
    # keeps the rest of the suite unaffected.
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `sh scripts/install-browser.sh` (make test does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(gunicorn_server):
    return gunicorn_server


@pytest.fixture
def new_page(chromium, site):
    """``new_page(viewport=PHONE, **context_options)``: a page in a fresh visit (no cookies)."""
    contexts = []

    def make(viewport=DESKTOP, **options):
        context = chromium.new_context(
            base_url=site.base_url, viewport=viewport, locale="zh-CN", accept_downloads=True, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="module")
def seed_reports(gunicorn_server):
    """Seed number ('000' ... '004') to its report in the API, found by its file name."""
    reports = json.loads(gunicorn_server.get("/api/reports/").body)["results"]
    return {report["source_name"][:3]: report for report in reports}


def path_of(item: dict) -> str:
    return urlsplit(item["url"]).path


@pytest.fixture(scope="module")
def archive_pages(seed_reports):
    """Every kind of public page, by name: what the layout and accessibility tests go through.

    Pages with ``?script=`` come last: the choice sticks for the rest of a visit.
    A new kind of page (the research tools) is added here, and every such test covers it.
    """
    pages = {
        "home": "/",
        "associations": "/associations/",
        "year": "/years/2021/",
        "search": "/search/?q=医学会",
        "search-english": "/search/?q=cooperate",
        "search-filtered": "/search/?q=党建&language=zh-Hant",
        "search-nothing": "/search/?q=没有这个词语",
        "not-found": "/no/such/page/",
    }
    associations = set()
    for prefix, report in sorted(seed_reports.items()):
        if report["association"]["slug"] not in associations:
            associations.add(report["association"]["slug"])
            pages[f"association-of-{prefix}"] = path_of(report["association"])
        pages[f"report-{prefix}"] = path_of(report)
    pages.update({
        "trends": "/trends/?q=医院党建&q=分级诊疗&q=hospital",
        "trends-share": "/trends/?q=党建&q=醫院&measure=share&from=2020",
        "trends-refused": "/trends/?q=NOT+医院",
        "concordance": "/concordance/?q=党建",
        "concordance-sorted": "/concordance/?q=医院&sort=left&language=zh-Hant",
        "compare": f"{path_of(seed_reports['004'])}compare/{seed_reports['001']['id']}/",
    })
    pages["search-hant"] = "/search/?q=医院党建&script=hant"
    pages["report-004-hans"] = path_of(seed_reports["004"]) + "?script=hans"
    pages["concordance-hant"] = "/concordance/?q=党建&script=hant"
    return pages


def screenshot(page, name: str) -> Path:
    """Save the whole page and its first screen as test artifacts; returns the full one."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    full = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(full), full_page=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-top.png"))
    return full
