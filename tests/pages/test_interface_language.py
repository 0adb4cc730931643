"""Interface text: Simplified Chinese by default, Traditional or English by browser or switch."""

import pytest

pytestmark = pytest.mark.django_db


def test_interface_is_simplified_chinese_by_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html and "<h1>学会工作报告库</h1>" in html


@pytest.mark.parametrize(
    ("accept", "lang", "heading"),
    [("zh-TW,zh;q=0.9", "zh-hant", "學會工作報告庫"), ("zh-HK", "zh-hant", "學會工作報告庫"),
     ("en-US,en;q=0.8", "en", "Society work report archive")],
)
def test_browser_language_picks_the_interface(client, accept, lang, heading):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert f'<html lang="{lang}">' in html and f"<h1>{heading}</h1>" in html


def test_switch_sets_the_interface_language_and_returns_to_the_page(client):
    page = client.get("/associations/").content.decode()
    assert 'action="/i18n/setlang/"' in page and '<button type="submit" name="language" value="en"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/associations/"})
    assert response.status_code == 302 and response["Location"] == "/associations/"
    assert "<h1>Associations" in client.get("/associations/").content.decode()
