"""WCAG 2.1 AA in a real browser: axe-core over every page at both widths, focus rings, languages.

axe-core 4.14 comes from the npm registry (scripts/install-browser.sh, pinned in
tests/browser/axe/package-lock.json). The site's Content-Security-Policy forbids
injected scripts, so the audit's browser context alone bypasses it; every other
browser test runs under the policy as readers do.
"""

from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, DESKTOP, PHONE, path_of, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.server]

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The interface languages other than the default, each over a few pages (the
# default, Simplified, goes over every page).
OTHER_INTERFACES = {"en": ("home", "report-000", "report-004", "search", "association-of-002", "compare"),
                    "zh-hant": ("home", "report-000", "search")}


def audit(page) -> list[dict]:
    """axe's WCAG 2.1 A and AA violations on the page as it is now, in a short form."""
    if page.evaluate("typeof axe") == "undefined":
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    return [
        {"rule": violation["id"], "impact": violation["impact"],
         "nodes": [(node["target"], node["failureSummary"]) for node in violation["nodes"][:5]]}
        for violation in result["violations"]
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_has_no_wcag_violations(chromium, site, archive_pages, viewport):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `sh scripts/install-browser.sh` (make test does).")
    # One context for the whole run (one browser, one page): the audit's cost is axe's, not start-up.
    context = chromium.new_context(base_url=site.base_url, viewport=viewport, locale="zh-CN", bypass_csp=True)
    try:
        page = context.new_page()
        # The audit can fail: a page without a language and an image without a text alternative.
        page.set_content("<!doctype html><title>t</title><img src='data:,'>")
        assert {"html-has-lang", "image-alt"} <= {violation["rule"] for violation in audit(page)}
        found = {}
        for name, path in archive_pages.items():
            page.goto(path)
            found[name] = audit(page)
        for language, names in OTHER_INTERFACES.items():
            context.clear_cookies()
            context.add_cookies([{"name": "django_language", "value": language, "url": site.base_url}])
            for name in names:
                page.goto(archive_pages[name].split("?")[0])
                found[f"{name} ({language})"] = audit(page)
        assert {name: violations for name, violations in found.items() if violations} == {}
    finally:
        context.close()


def contrast(first: tuple[float, ...], second: tuple[float, ...]) -> float:
    def luminance(rgb):
        def channel(value):
            value /= 255
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        red, green, blue = (channel(v) for v in rgb[:3])
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# The focused element's outline colour, and the colour around it: the first
# opaque background among its ancestors (the outline is drawn outside the element).
FOCUS_RING = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const rgb = value => value.match(/[\\d.]+/g).map(Number);
  let around = element.parentElement, background = [255, 255, 255, 1];
  while (around) {
    const colour = rgb(getComputedStyle(around).backgroundColor);
    if (colour.length < 4 || colour[3] > 0) { background = colour; break; }
    around = around.parentElement;
  }
  return {tag: element.tagName, text: (element.innerText || element.value || '').slice(0, 30),
          style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          outline: rgb(style.outlineColor), background};
}"""


def test_every_focus_ring_stands_out_three_to_one_from_what_surrounds_it(new_page, seed_reports):
    page = new_page(DESKTOP)
    for path in ("/", path_of(seed_reports["004"])):
        page.goto(path)
        seen = 0
        for _ in range(60):
            page.keyboard.press("Tab")
            ring = page.evaluate(FOCUS_RING)
            if ring["tag"] == "BODY":
                break
            seen += 1
            assert ring["style"] != "none" and ring["width"] >= 2, ring
            assert contrast(ring["outline"], ring["background"]) >= 3, ring
        assert seen >= 10, f"only {seen} elements took the focus on {path}"
        page.keyboard.press("Shift+Tab")
        screenshot(page, f"focus-{path.strip('/').replace('/', '-') or 'home'}")


def test_texts_in_another_script_or_language_say_so_in_the_english_interface(new_page, site, seed_reports):
    page = new_page(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": site.base_url}])
    page.goto(path_of(seed_reports["004"]))
    assert page.locator("html").get_attribute("lang") == "en"
    # Chinese in the English interface: the title, the association, the breadcrumbs, the metadata.
    assert page.locator("h1").get_attribute("lang") == "zh-Hant"
    assert page.locator(".report-meta dd a span[lang='zh-Hant']").count() == 1
    assert page.locator(".breadcrumbs span[lang='zh-Hant']").count() == 2
    citations = page.locator(".citation-line")   # GB/T 7714 and APA
    assert citations.evaluate_all("lines => lines.map(line => line.lang)") == ["zh-Hant", "zh-Hant"]
    page.goto(path_of(seed_reports["004"]) + "?script=hans")
    assert page.locator("h1").get_attribute("lang") == "zh-Hans"
    assert page.locator(".breadcrumbs span[lang='zh-Hans']").count() == 2
    # A citation quotes the report as it is written, so its lang stays the report's.
    assert citations.evaluate_all("lines => lines.map(line => line.lang)") == ["zh-Hant", "zh-Hant"]
    screenshot(page, "report-004-english-interface")
