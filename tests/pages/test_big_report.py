"""A report of two million characters in 2,000 sections: read a page at a time, every heading reachable.

The rows are written directly (no parsing: that is not what is tested here).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Section
from reports.report_pages import OutlineEntry, lay_out, part_of_text
from tests.pages.conftest import make_report

pytestmark = pytest.mark.django_db

SECTIONS = 2000
SECTION_CHARACTERS = 1000


def big_sections(count: int = SECTIONS, characters: int = SECTION_CHARACTERS) -> list[tuple[str, int, str]]:
    """Chapters of twenty sections; each paragraph names its section so a page can be told by its text."""
    sections = []
    for order in range(count):
        heading = f"第{order // 20 + 1}章" if order % 20 == 0 else f"（{order % 20}）第{order}节标题"
        sentence = f"第{order}节的正文，医学会开展学术交流。"
        paragraph = sentence * 5
        text = "\n\n".join([paragraph] * (characters // len(paragraph) + 1))[: characters - len(heading)]
        sections.append((heading, 1 if order % 20 == 0 else 2, text))
    return sections


@pytest.fixture
def big_report(hebei):
    report = make_report(hebei, title="二百万字的汇编", sections=[], body="（很长）")
    Section.objects.bulk_create(
        Section(report=report, order=order, level=level, heading=heading, text=text, anchor=f"s{order}")
        for order, (heading, level, text) in enumerate(big_sections())
    )
    return report


def anchors_on(html: str) -> set[str]:
    return set(re.findall(r' id="(s\d+)"', html))


def test_a_two_million_character_report_is_read_page_by_page_with_its_whole_contents_list(client, big_report, settings):
    settings.ARCHIVE_REPORT_PAGE_CHARACTERS = 50_000
    first = client.get(big_report.get_absolute_url())
    html = first.content.decode()
    assert first.status_code == 200
    # Bounded: a page's text and the contents list, not the two million characters.
    assert len(first.content) < 1_000_000
    assert "第39节的正文" in html and "第60节的正文" not in html
    # Every heading is in the contents list, linked to the page that holds it.
    links = re.findall(r'<li class="toc-level-\d"><a href="([^"]+)">', html)
    assert len(links) == SECTIONS
    assert links[0] == "#s0" and links[-1] == f"{big_report.get_absolute_url()}?page=40#s1999"
    for link in (links[49], links[50], links[1234], links[-1]):
        page, anchor = re.fullmatch(r"(?:.*\?page=(\d+))?#(s\d+)", link).groups()
        page = page or "1"
        shown = client.get(f"{big_report.get_absolute_url()}?page={page}").content.decode()
        assert anchor in anchors_on(shown)
        assert f"第{anchor[1:]}节的正文" in shown
    assert html.count('<a rel="next" href="?page=2">') == 2   # above and below the text
    assert f'href="/api/reports/{big_report.pk}/"' in html


def test_a_page_reads_only_its_own_sections(client, big_report, settings):
    settings.ARCHIVE_REPORT_PAGE_CHARACTERS = 50_000
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{big_report.get_absolute_url()}?page=7").status_code == 200
    body_column = f'{connection.ops.quote_name("reports_report")}.{connection.ops.quote_name("body")}'
    assert not [query["sql"] for query in queries if body_column in query["sql"]]
    text_column = f'{connection.ops.quote_name("reports_section")}.{connection.ops.quote_name("text")}'
    text_queries = [query["sql"] for query in queries if text_column in query["sql"].replace(f"({text_column})", "")]
    # The text of this page's fifty sections, by id, and no other (the related reports read
    # the report's opening, a few sections at a time).
    (text_query,) = [sql for sql in text_queries if " IN (" in sql]
    assert len(re.search(r" IN \(([^)]*)\)", text_query).group(1).split(",")) == 50


def test_pages_that_do_not_exist_are_404(client, big_report, settings):
    settings.ARCHIVE_REPORT_PAGE_CHARACTERS = 50_000
    for page in ("0", "41", "x", "-1", "1.5", "9" * 5000, "١"):
        assert client.get(f"{big_report.get_absolute_url()}?page={page}").status_code == 404
    assert client.get(f"/api/reports/{big_report.pk}/?page=41").status_code == 404


def test_the_json_twin_is_paged_too(client, big_report, settings):
    settings.ARCHIVE_REPORT_PAGE_CHARACTERS = 50_000
    response = client.get(f"/api/reports/{big_report.pk}/?page=2")
    data = response.json()
    assert len(response.content) < 1_000_000
    assert data["body"] is None   # the whole text is read page by page
    assert data["pages"] == {
        "count": 40, "number": 2,
        "next": f"http://testserver/api/reports/{big_report.pk}/?page=3",
        "previous": f"http://testserver/api/reports/{big_report.pk}/",
    }
    assert [s["anchor"] for s in data["sections"]] == [f"s{n}" for n in range(50, 100)]
    assert len(data["contents"]) == SECTIONS
    assert data["contents"][1999] == {"anchor": "s1999", "heading": "（19）第1999节标题", "level": 2, "page": 40}


def test_a_section_longer_than_a_page_is_cut_into_parts_at_paragraph_breaks(client, hebei, settings):
    settings.ARCHIVE_REPORT_PAGE_CHARACTERS = 5_000
    paragraphs = [f"第{n}段。" + "医学会开展学术交流活动。" * 20 for n in range(100)]
    text = "\n\n".join(paragraphs)
    report = make_report(hebei, sections=[("", 0, "开头。"), ("一、很长的一节", 1, text), ("二、短的一节", 1, "结尾。")])
    pages = [client.get(f"{report.get_absolute_url()}?page={n}").content.decode() for n in range(1, 7)]
    assert client.get(f"{report.get_absolute_url()}?page=7").status_code == 404
    assert 'id="s1"' in pages[0] and "一、很长的一节（续）" in pages[1]
    assert 'id="s2"' in pages[4] and "二、短的一节（续）" not in pages[5]
    # Nothing lost, nothing twice: every paragraph is on exactly one page, whole.
    for paragraph in paragraphs:
        assert sum(f"<p>{paragraph}</p>" in page for page in pages) == 1, paragraph[:5]


def test_lay_out_fills_pages_in_order_and_cuts_long_sections_into_pages():
    outline = [OutlineEntry(n, n, 1, f"h{n}", f"s{n}", length) for n, length in enumerate([40, 50, 30, 250, 20, 100])]
    pages = lay_out(outline, page_characters=100)
    assert [[(p.entry.anchor, p.part, p.start, p.end) for p in page] for page in pages.pages] == [
        [("s0", 0, 0, None), ("s1", 0, 0, None)],
        [("s2", 0, 0, None), ("s3", 0, 0, 68)],   # begins in the room left: 70, less its heading
        [("s3", 1, 68, 168)],
        [("s3", 2, 168, None), ("s4", 0, 0, None)],
        [("s5", 0, 0, None)],
    ]
    assert [pages.page_of(f"s{n}") for n in range(6)] == [1, 1, 2, 2, 4, 5]
    assert pages.page_of("not-there") == 1
    assert len(lay_out([], page_characters=100)) == 1


def test_a_long_section_begins_on_a_new_page_when_little_room_is_left():
    outline = [OutlineEntry(0, 0, 1, "", "s0", 90), OutlineEntry(1, 1, 1, "", "s1", 250)]
    pages = lay_out(outline, page_characters=100)
    assert [[(p.entry.anchor, p.part) for p in page] for page in pages.pages] == [
        [("s0", 0)], [("s1", 0)], [("s1", 1)], [("s1", 2)]]


def test_parts_of_a_text_put_back_together_are_the_text():
    text = "\n\n".join(f"段{n}" + "字" * (n * 37 % 300) for n in range(200))
    entry = OutlineEntry(0, 0, 0, "", "s0", len(text))
    for page_characters in (len(text) + 1, 5000, 2000, 700):
        pieces = [piece for page in lay_out([entry], page_characters=page_characters).pages for piece in page]
        parts = [part_of_text(text, piece) for piece in pieces]
        assert "".join(parts).replace("\n", "") == text.replace("\n", "")
        if page_characters // 8 > 300:   # a line break is always within reach: paragraphs stay whole
            assert "\n\n".join(parts) == text
    # One paragraph longer than a page: cut where the count falls, still nothing lost.
    pieces = [piece for page in lay_out([OutlineEntry(0, 0, 0, "", "s0", 1000)], page_characters=300).pages
              for piece in page]
    assert len(pieces) == 4 and "".join(part_of_text("字" * 1000, piece) for piece in pieces) == "字" * 1000


def test_a_search_hit_links_to_the_page_that_holds_its_section(client, hebei, settings, own_search_index):
    from reports.search import index_report

    settings.ARCHIVE_REPORT_PAGE_CHARACTERS = 3_000
    sections = [(heading, level, text.replace("医学会开展", "医学会举办") if order == 57 else text)
                for order, (heading, level, text) in enumerate(big_sections(80, 500))]
    report = make_report(hebei, sections=sections)
    index_report(report)
    html = client.get("/search/?q=医学会举办").content.decode()
    (link,) = re.findall(r'class="search-section-link" href="([^"]+)"', html)
    assert link == f"{report.get_absolute_url()}?page=10#s57"
    assert "s57" in anchors_on(client.get(link.split("#")[0]).content.decode())
    api = client.get("/api/search/?q=医学会举办").json()
    assert [result["url"] for result in api["results"]] == [f"http://testserver{link}"]
    assert Section.objects.get(report=report, anchor="s57").get_absolute_url() == link


def test_scanned_pages_are_shared_out_in_order_beside_the_pages_of_the_text():
    from reports.report_pages import page_beside, scans_beside

    for pages, scans in ((1, 1), (1, 7), (3, 7), (7, 3), (40, 1000), (5, 5)):
        shares = [scans_beside(page, pages=pages, scans=scans) for page in range(1, pages + 1)]
        assert [position for share in shares for position in share] == list(range(scans))
        assert max(len(share) for share in shares) <= -(-scans // pages)
        for position in range(scans):
            assert position in shares[page_beside(position, pages=pages, scans=scans) - 1]
