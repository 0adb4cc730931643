"""The comparison page, the report page's link to it, and its JSON twin."""

import re

import pytest

from reports.text import to_traditional

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(indexed):
    older = indexed("2020年工作总结", [("", "医院党建品牌创建完成。分级诊疗试点启动。<b>旧</b>。")], year=2020,
                    association="北京市医学会")
    newer = indexed("2021年工作總結", [("", to_traditional("医院党建品牌创建完成。") + "智慧医院建设全面展开。")],
                    year=2021, language="zh-Hant", association="北京市医学会")
    return older, newer


def test_report_page_links_to_the_comparison_with_the_previous_report(client, pair):
    older, newer = pair
    html = client.get(f"/reports/{newer.pk}/").content.decode()
    assert f'href="/reports/{newer.pk}/compare/{older.pk}/"' in html
    assert f"/compare/" not in client.get(f"/reports/{older.pk}/").content.decode()


def test_page_shows_what_is_new_gone_and_kept(client, pair):
    older, newer = pair
    page = client.get(f"/reports/{newer.pk}/compare/{older.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 sentence added" in html and "2 sentences removed" in html and "1 sentence kept" in html
    added = re.search(r'<p class="passage passage-added" lang="zh-Hant">.*?</p>', html, re.S).group()
    assert "<ins>" in added and "智慧醫院建設全面展開。" not in added and "智慧医院建设全面展开。" in added
    removed = re.search(r'<p class="passage passage-removed" lang="zh-Hans">.*?</p>', html, re.S).group()
    assert "分级诊疗试点启动。" in removed and "&lt;b&gt;旧&lt;/b&gt;。" in removed
    assert f'href="/reports/{older.pk}/compare/{newer.pk}/"' in html   # the other way round
    assert '/api/reports/' in html and "/compare/" in html


def test_page_in_the_chosen_script(client, pair):
    older, newer = pair
    html = client.get(f"/reports/{newer.pk}/compare/{older.pk}/", {"script": "hant"}).content.decode()
    assert to_traditional("分级诊疗试点启动。") in html and 'lang="zh-Hans"' not in html.split('class="changes"')[1]


def test_page_errors(client, pair):
    older, _ = pair
    page = client.get(f"/reports/{older.pk}/compare/{older.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "cannot be compared with itself" in page.content.decode()
    assert client.get(f"/reports/{older.pk}/compare/999999/").status_code == 404


def test_api_counts_and_sentences(client, pair):
    older, newer = pair
    data = client.get(f"/api/reports/{newer.pk}/compare/{older.pk}/", {"script": "hans"}).json()
    assert data["report"]["id"] == newer.pk and data["other"]["id"] == older.pk
    assert data["added"] == {"count": 1, "sentences": ["智慧医院建设全面展开。"]}
    assert data["removed"] == {"count": 2, "sentences": ["分级诊疗试点启动。", "<b>旧</b>。"]}
    assert data["kept"]["count"] == 1 and data["kept"]["sentences"] == [to_traditional("医院党建品牌创建完成。")]
    assert [item["change"] for item in data["sequence"]] == ["kept", "removed", "removed", "added"]
    assert data["sequence"][0]["shown"] == "医院党建品牌创建完成。"
    assert data["shortened"] == []
    assert client.get(f"/api/reports/{older.pk}/compare/{older.pk}/").status_code == 400


def test_api_says_which_report_was_shortened(client, pair, settings):
    settings.ARCHIVE_COMPARE_MAX_CHARS = 12
    older, newer = pair
    data = client.get(f"/api/reports/{newer.pk}/compare/{older.pk}/").json()
    assert set(data["shortened"]) == {older.pk, newer.pk} and data["max_chars"] == 12
    html = client.get(f"/reports/{newer.pk}/compare/{older.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Only the first 12 characters" in html
