"""The research tools in a real browser, at desktop and phone widths, on the seeds and
one more report: the Hebei association's report of the next year (seed 000 edited:
a paragraph gone, one new, one written in Traditional), so that a comparison and the
related reports have something to show."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from reports.text import to_traditional
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.conftest import SEEDS_DIR
from tests.server.gunicorn import running_gunicorn

pytestmark = [pytest.mark.browser, pytest.mark.server]

NEW_PARAGRAPH = "2022年,学会启动智慧医院建设专项行动,组织专家赴基层开展巡回医疗。"


def next_year_of_hebei() -> str:
    """Seed 000 a year on: a new title and date, its third paragraph dropped, its
    fifth in Traditional, a new one after it."""
    (path,) = SEEDS_DIR.glob("000_*.txt")
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    lines[0] = "砥砺前行 再创佳绩——河北省医学会2022年工作回顾"
    lines[1] = lines[1].replace("2021-06-30", "2022-06-30")
    paragraphs = [number for number, line in enumerate(lines) if len(line) > 60 and number > 2]
    lines[paragraphs[4]] = to_traditional(lines[paragraphs[4]]) + "\n\n" + NEW_PARAGRAPH
    del lines[paragraphs[2]]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with running_gunicorn(tmp_path_factory.mktemp("research-site")) as server:
        extra = server.data_dir / "hebei-2022.txt"
        extra.write_text(next_year_of_hebei(), encoding="utf-8")
        server.manage("ingest", str(extra))
        yield server


@pytest.fixture(scope="module")
def reports(site):
    listed = json.loads(site.get("/api/reports/").body)["results"]
    by_name = {report["source_name"][:3]: report for report in listed}
    by_name["2022"] = next(report for report in listed if report["source_name"] == "hebei-2022.txt")
    return by_name


def path_of(report: dict) -> str:
    return urlsplit(report["url"]).path


def fits(page) -> bool:
    """Nothing scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_trends_chart_points_lead_to_the_search_with_the_same_count(new_page, viewport):
    page = new_page(viewport)
    page.goto("/")
    page.click("a[href^='/trends/']")
    page.wait_for_url(re.compile(r"/trends/\?q="))
    assert page.locator("svg.line-chart .chart-series").count() == 2
    assert fits(page)
    screenshot(page, "trends")
    # The table's first linked number, then the same point on the chart.
    cell = page.locator(".trend-table td a").first
    count, href = int(cell.inner_text()), cell.get_attribute("href")
    point = page.locator(f"svg.line-chart a[href='{href}']")
    assert point.count() == 1
    point.locator(".chart-point").click(force=True)
    page.wait_for_url(re.compile(r"/search/\?"))
    year = parse_qs(urlsplit(page.url).query)["year"][0]
    assert year.isdigit()
    heading = page.locator("#results-heading").inner_text()
    assert re.match(rf"{count}\D", heading), heading


def test_trends_share_view_and_errors(page):
    page.goto("/trends/?q=党建&q=醫院")
    page.get_by_role("link", name="占当年报告的比例").click()
    page.wait_for_url(re.compile(r"measure=share"))
    assert page.locator("svg.line-chart text", has_text="%").count() >= 2
    page.goto("/trends/?" + "&".join(f"q=词{number}" for number in range(7)))
    assert page.locator(".notice[role=alert]").is_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_concordance_aligns_the_matches_and_leads_to_the_place(new_page, viewport):
    page = new_page(viewport)
    page.goto("/concordance/?q=党建")
    matches = page.locator(".kwic-match")
    total = int(re.match(r"\d+", page.locator("#concordance-heading").inner_text()).group())
    assert matches.count() == min(total, 50) > 10
    lefts = {round(matches.nth(number).bounding_box()["x"]) for number in range(10)}
    widths = {round(matches.nth(number).bounding_box()["width"]) for number in range(10)}
    assert len(lefts) == 1 and len(widths) == 1        # one column of matches
    assert fits(page)
    screenshot(page, "concordance")
    page.get_by_role("link", name="右侧文字").click()
    page.wait_for_url(re.compile(r"sort=right"))
    first = page.locator(".kwic-match").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_url(re.compile(r"/reports/\d+/"))
    anchor = href.split("#", 1)[1].split(":~:", 1)[0]
    section = page.locator(f"[id='{anchor}']").locator("xpath=ancestor-or-self::section[1]")
    assert re.search("党建|黨建", section.inner_text())


def test_concordance_in_traditional(page):
    page.goto("/concordance/?q=党建&script=hant")
    assert page.locator(".kwic-match").first.inner_text() == "黨建"
    assert page.locator(".kwic-match").first.get_attribute("lang") == "zh-Hant"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_related_reports_on_a_report_page(new_page, reports, viewport):
    page = new_page(viewport)
    page.goto(path_of(reports["000"]))
    related = page.locator(".related-list li")
    assert 1 <= related.count() <= 5
    assert "2022" in related.first.locator(".report-item-title").inner_text()
    assert related.first.locator(".related-reason q").count() >= 1
    assert fits(page)
    page.locator(".related").scroll_into_view_if_needed()
    screenshot(page, "related")
    related.first.locator(".report-item-title").click()
    page.wait_for_url(re.compile(rf"{path_of(reports['2022'])}$"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_comparing_with_the_previous_report(new_page, site, reports, viewport):
    page = new_page(viewport)
    page.goto(path_of(reports["2022"]))
    page.get_by_role("link", name="与上一份报告比较").click()
    page.wait_for_url(re.compile(r"/compare/\d+/$"))
    counts = page.locator(".change-counts li")
    shown = [int(re.search(r"\d+", counts.nth(number).inner_text()).group()) for number in range(3)]
    other = re.search(r"/compare/(\d+)/$", page.url).group(1)
    data = json.loads(site.get(f"/api/reports/{reports['2022']['id']}/compare/{other}/").body)
    assert shown == [data["added"]["count"], data["removed"]["count"], data["kept"]["count"]]
    assert data["added"]["sentences"] == [NEW_PARAGRAPH] and data["removed"]["count"] >= 1
    assert data["kept"]["count"] > 50      # the paragraph now in Traditional is kept too
    added = page.locator(".passage-added").all_inner_texts()
    assert any(NEW_PARAGRAPH in text for text in added)
    # The paragraph now in Traditional is kept, folded away with the others; opening it needs no script.
    kept = page.locator("details.passage-kept").first
    kept.locator("summary").click()
    assert kept.locator(".sentence").first.is_visible()
    assert fits(page)
    screenshot(page, "compare")
