"""The change page of a report of 2,000 sections opens, and saves, a page of sections at a time."""

import re

import pytest

from reports.models import Report, Section
from tests.admin.conftest import change_url
from tests.pages.test_big_report import big_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_report(staff_user):
    from tests.pages.conftest import make_association, make_report

    report = make_report(make_association(), title="二百万字的汇编", sections=[], body="（很长）" * 10_000)
    Section.objects.bulk_create(
        Section(report=report, order=order, level=level, heading=heading, text=text, anchor=f"s{order}")
        for order, (heading, level, text) in enumerate(big_sections())
    )
    return report


def management(html: str, prefix: str) -> dict:
    return {name: value for name, value in re.findall(rf'name="({prefix}-[A-Z_]+)" value="(\d*)"', html)}


def form_fields(html: str) -> dict:
    """What the browser would post: the change form's inputs and text areas as they are shown."""
    fields = dict(re.findall(r'<input type="(?:text|number|hidden)" name="([^"]+)" value="([^"]*)"', html))
    fields.update(re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', html, re.S))
    for name, value in re.findall(r'<select name="([^"]+)".*?<option value="([^"]*)" selected>', html, re.S):
        fields[name] = value
    return {name: value.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            for name, value in fields.items()}


def test_the_change_page_shows_a_page_of_sections_and_the_start_of_the_text(staff_client, big_report):
    response = staff_client.get(change_url(big_report))
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 2_000_000
    assert management(html, "sections")["sections-TOTAL_FORMS"] == "25"
    assert "第24节的正文" in html and "第25节的正文" not in html
    assert '<a href="?sections=2">' in html
    page = staff_client.get(change_url(big_report) + "?sections=80").content.decode()
    assert "第1999节的正文" in page and "第1974节的正文" not in page


def test_a_page_of_sections_saves_and_the_whole_text_follows(staff_client, big_report):
    url = change_url(big_report) + "?sections=3"
    fields = form_fields(staff_client.get(url).content.decode())
    section = Section.objects.get(report=big_report, order=60)
    (prefix,) = [name[: -len("-id")] for name, value in fields.items() if name.endswith("-id") and value == str(section.pk)]
    fields[f"{prefix}-text"] = "改过的第60节。"
    fields["_continue"] = "1"
    response = staff_client.post(url, fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"].endswith("?sections=3")
    assert Section.objects.get(pk=section.pk).text == "改过的第60节。"
    # The other 1,999 sections were not on the form and are as they were.
    assert Section.objects.filter(report=big_report).count() == 2000
    assert Section.objects.get(report=big_report, order=61).text.startswith("第61节的正文")
    body = Report.objects.get(pk=big_report.pk).body
    assert "改过的第60节。" in body and "第1999节的正文" in body
