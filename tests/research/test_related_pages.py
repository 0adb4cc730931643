"""Related reports on the seed corpus: on the report page and at /api/reports/<id>/related/."""

import re

import pytest

from reports.text import to_simplified

pytestmark = pytest.mark.django_db


def test_report_page_lists_related_reports_across_scripts(client, seed_corpus):
    haidian = seed_corpus["004"]      # written in Traditional
    html = client.get(f"/reports/{haidian.pk}/").content.decode()
    section = re.search(r'<section class="related".*?</section>', html, re.S).group()
    linked = [int(pk) for pk in re.findall(r'<a class="report-item-title" href="/reports/(\d+)/">', section)]
    assert 1 <= len(linked) <= 5 and haidian.pk not in linked
    # A report in Simplified is related to one in Traditional.
    assert "zh-Hans" in {seed.language for seed in seed_corpus.values() if seed.pk in linked}
    assert "<q>" in section


def test_reasons_follow_the_reader_s_script(client, seed_corpus):
    haidian = seed_corpus["004"]
    data = client.get(f"/api/reports/{haidian.pk}/related/", {"script": "hans"}).json()
    words = data["results"][0]["shared_terms"]
    assert data["results"][0]["shown"] == [to_simplified(word) for word in words]
    html = client.get(f"/reports/{haidian.pk}/", {"script": "hans"}).content.decode()
    section = re.search(r'<section class="related".*?</section>', html, re.S).group()
    for word in words:
        assert f"<q>{to_simplified(word)}</q>" in section


def test_api_shape(client, seed_corpus):
    hebei = seed_corpus["000"]
    data = client.get(f"/api/reports/{hebei.pk}/related/").json()
    assert data["report"] == hebei.pk
    assert 1 <= len(data["results"]) <= 5
    first = data["results"][0]
    assert set(first) == {"report", "score", "shared_terms"}
    assert first["report"]["id"] != hebei.pk and first["score"] > 0
    scores = [item["score"] for item in data["results"]]
    assert scores == sorted(scores, reverse=True)
    assert client.get("/api/reports/999999/related/").status_code == 404


def test_an_unreadable_index_leaves_the_report_page_whole(client, seed_corpus, monkeypatch):
    from reports.search import SearchUnavailable

    def unavailable(*args, **kwargs):
        raise SearchUnavailable("damaged")

    monkeypatch.setattr("reports.research.related.section_frequencies", unavailable)
    hebei = seed_corpus["000"]
    page = client.get(f"/reports/{hebei.pk}/")
    assert page.status_code == 200 and 'class="related"' not in page.content.decode()
    assert client.get(f"/api/reports/{hebei.pk}/related/").status_code == 503
