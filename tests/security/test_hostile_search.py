"""Any string typed into search gives a page or a clear 400, never a 500.

Property-based, through the real gunicorn (so the query string travels through
a real HTTP parser too): unbalanced quotes and brackets, operators, control
characters, mixed scripts, invalid UTF-8 and very long input.
"""

import json
from urllib.parse import quote, quote_from_bytes

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.server

SYNTAX = ['"', "“", "”", "「", "」", "(", ")", "[", "]", "{", "}", "AND", "OR", "NOT", "-", "+", "*", "?", "~", "^",
          ":", "\\", "/", "|", "&", "%", "'", "<", ">", "=", "#", ";", " ", "\t", "\n", "\x00", "\x1b", "\u200b",
          "\u202e", "\ufeff", "\ufffd", "医学会", "醫學會", "党建", "hospital", "2021", "𠀀", "🙂", "e\u0301", "ＡＢＣ"]

query_text = st.one_of(
    st.lists(st.sampled_from(SYNTAX), max_size=30).map("".join),
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
)
query_bytes = st.binary(max_size=100)  # percent-encoded as they are, whatever they decode to


def assert_answered(response, path):
    assert response.status in (200, 400), (path, response.status, response.text[:500])
    if response.status == 400:
        assert response.text.strip(), "a 400 must say what is wrong"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=query_text, api=st.booleans())
def test_any_typed_query_gives_a_page_or_a_clear_400(gunicorn_server, q, api):
    path = ("/api/search/?q=" if api else "/search/?q=") + quote(q.encode("utf-8", "surrogatepass"), safe="")
    assert_answered(gunicorn_server.get(path), path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=query_bytes, extra=st.sampled_from(["", "&page=-1", "&page=99999999999999999999", "&sort=<x>",
                                               "&year=abc", "&language=%FF", "&association=%00", "&q=second"]))
def test_any_bytes_in_the_query_string_give_a_page_or_a_clear_400(gunicorn_server, raw, extra):
    for base in ("/search/?q=", "/api/search/?q="):
        path = base + quote_from_bytes(raw, safe="") + extra
        assert_answered(gunicorn_server.get(path), path)


@pytest.mark.django_db
@pytest.mark.parametrize("base", ["/search/?q=", "/api/search/?q="])
@pytest.mark.parametrize("query", ["医" * 10_000, "a" * 10_000, '"' * 10_000, "(" * 5_000 + ")" * 5_000,
                                   " OR ".join(["党建"] * 2_000), "-" * 10_000, "醫学会hospital" * 800])
def test_ten_thousand_characters_give_a_page_or_a_clear_400(query, base):
    # Through Django directly: in front of it, gunicorn (and any proxy) refuses
    # a URL this long with its own 414 before the site sees it.
    response = Client(raise_request_exception=False).get(base, {"q": query}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (200, 400), response.status_code


def test_an_overlong_url_is_refused_by_gunicorn_before_it_reaches_the_site(gunicorn_server):
    path = "/search/?q=" + quote("医" * 10_000)
    assert gunicorn_server.get(path).status in (400, 414)  # gunicorn's limit_request_line


def test_hostile_queries_still_return_json_from_the_api(gunicorn_server):
    for q in ['"unbalanced', "(党建", "AND OR NOT", "-", "\x00", "医学会)"]:
        response = gunicorn_server.get("/api/search/?q=" + quote(q))
        assert response.status == 200
        assert "results" in json.loads(response.body)
