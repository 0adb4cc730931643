"""A report's citation block and machine-readable metadata in a real browser."""

import bibtexparser
import pytest

from tests.browser.test_reading import path_of

pytestmark = [pytest.mark.browser, pytest.mark.server]

# Records every Content-Security-Policy violation the page reports, from before its first byte.
WATCH_CSP = ("window.__violations = [];"
             "document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));")


def test_json_ld_is_read_as_data_and_breaks_no_content_security_policy(page, seed_reports):
    page.add_init_script(WATCH_CSP)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    report = seed_reports["004"]
    response = page.goto(path_of(report))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    data = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert (data["@type"], data["name"], data["url"]) == ("Report", report["title"], report["url"])
    assert page.evaluate("window.__violations") == []
    assert [error for error in errors if "Content Security Policy" in error] == []
    # The watch does see a violation: an inline script added to the same page is refused.
    page.evaluate("() => { const s = document.createElement('script');"
                  " s.textContent = 'window.__ran = true'; document.head.appendChild(s); }")
    page.wait_for_function("() => window.__violations.length > 0")  # a function: no eval() under the CSP
    assert page.evaluate("window.__ran === undefined")


def test_citation_block_shows_gbt7714_and_downloads_bibtex(page, seed_reports):
    report = seed_reports["000"]
    page.goto(path_of(report))
    gbt = page.locator(".citation-gbt7714 code").inner_text()
    assert gbt.startswith(f"河北省医学会. {report['title']}[R/OL]. (2021-06-30)[")
    assert gbt.endswith(f"]. {report['url']}.")
    with page.expect_download() as download_info:
        page.locator(".citation-files a", has_text="BibTeX").click()
    download = download_info.value
    assert download.suggested_filename == f"report-{report['id']}.bib"
    (entry,) = bibtexparser.parse_file(download.path()).entries
    assert entry.entry_type == "techreport"
