"""GET /api/search/export/: every result of a search as CSV, JSON Lines, BibTeX or RIS, streamed."""

import codecs
import csv
import io
import json
from datetime import date

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.db import connection, transaction
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from reports.interop import EXPORT_FORMATS, export_file_name
from reports.interop.exports import CSV_COLUMNS
from reports.models import Report
from tests.interop.citable import TITLES
from tests.search.conftest import indexed, make_report, search_index  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
EXPORT = "/api/search/export/"


def body(response) -> str:
    assert response.status_code == 200, response.content
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[dict]:
    text = body(response)
    assert text.startswith(codecs.BOM_UTF8.decode())   # Excel reads it as UTF-8
    reader = csv.reader(io.StringIO(text.removeprefix(codecs.BOM_UTF8.decode()), newline=""))
    header = next(reader)
    assert tuple(header) == CSV_COLUMNS
    return [dict(zip(header, row)) for row in reader]


def jsonl_rows(response) -> list[dict]:
    return [json.loads(line) for line in body(response).splitlines()]


@pytest.fixture
def archive(indexed):
    """Three reports about 党建 (one by its title alone) and one that does not match."""
    return {
        "hebei": indexed("河北省医学会工作总结", [("", "学会党建工作取得成效。"), ("一、学术交流", "召开学术会议。"),
                                             ("二、党建引领", "坚持党建引领。"), ("三、醫院黨建", "醫院黨建工作。")],
                         association="河北省医学会", year=2021, published=date(2022, 1, 10)),
        "haidian": indexed("海淀報告", [("一、黨建", "海淀區醫院黨建工作"), ("二、其他", "其他工作")],
                           association="海淀区委", language="zh-Hant", year=2023, published=date(2023, 11, 4)),
        "title_only": indexed("党建工作纪实", [("", "学会自2012年成立组织以来的工作。")],
                              association="天津市医学会", year=2020),
        "other": indexed("Chengdu report", [("1. Inspections", "Four inspections.")], association="Chengdu", language="en"),
    }


def search_results(client, monkeypatch, **params) -> list[tuple[int, str | None]]:
    """Every result of /api/search/, page after page, as (report id, section anchor)."""
    monkeypatch.setattr("reports.search.searching.PER_PAGE", 2)
    results, url, query = [], "/api/search/", params
    while url:
        data = client.get(url, query).json()
        results += [(hit["report"]["id"], hit["section"] and hit["section"]["anchor"]) for hit in data["results"]]
        url, query = data["next"], None
    return results


@pytest.mark.parametrize("export_format", ["csv", "jsonl"])
def test_every_matching_section_is_there_once_in_the_order_of_the_search(client, archive, monkeypatch, export_format):
    response = client.get(EXPORT, {"q": "党建", "format": export_format})
    if export_format == "csv":
        rows = csv_rows(response)
        exported = [(int(row["report_id"]), row["link"].partition("#")[2] or None) for row in rows]
        links = [row["link"] for row in rows]
    else:
        rows = jsonl_rows(response)
        exported = [(row["report"]["id"], row["section"] and row["section"]["anchor"]) for row in rows]
        links = [row["url"] for row in rows]
    hebei, haidian, title_only = archive["hebei"].pk, archive["haidian"].pk, archive["title_only"].pk
    assert sorted(exported) == sorted([(hebei, "s0"), (hebei, "s2"), (hebei, "s3"), (haidian, "s0"),
                                       (title_only, None)])
    assert exported == search_results(client, monkeypatch, q="党建")
    assert len(set(exported)) == len(exported)
    # Each row links to its section, or to the report when only its title matched.
    assert f"http://testserver/reports/{hebei}/#s2" in links
    assert f"http://testserver/reports/{title_only}/" in links


def test_csv_rows_carry_the_report_and_the_section(client, archive):
    rows = csv_rows(client.get(EXPORT, {"q": "黨建", "format": "csv", "language": "zh-Hant"}))
    haidian = archive["haidian"]
    assert rows == [{
        "report_id": str(haidian.pk), "title": "海淀報告", "association": "海淀区委", "published": "2023-11-04",
        "year": "2023", "language": "zh-Hant", "authors": "", "source": "", "section": "一、黨建",
        "link": f"http://testserver/reports/{haidian.pk}/#s0", "report_url": f"http://testserver/reports/{haidian.pk}/",
    }]


def test_jsonl_carries_the_same_report_objects_as_the_search_api(client, archive):
    (row,) = jsonl_rows(client.get(EXPORT, {"q": "黨建", "format": "jsonl", "year": "2023"}))
    (hit,) = client.get("/api/search/", {"q": "黨建", "year": "2023"}).json()["results"]
    assert row == {"report": hit["report"], "section": hit["section"], "url": hit["url"]}


@pytest.mark.parametrize(("filters", "expected"), [
    ({"year": "2021"}, {"hebei"}),
    ({"language": "zh-Hant"}, {"haidian"}),
    ({"association": "assoc-3"}, {"title_only"}),   # the fixture's slugs count up from assoc-1
    ({"year": "1999"}, set()),
])
def test_filters_are_those_of_the_search(client, archive, filters, expected):
    rows = csv_rows(client.get(EXPORT, {"q": "党建", "format": "csv", **filters}))
    names = {report.pk: name for name, report in archive.items()}
    assert {names[int(row["report_id"])] for row in rows} == expected


def test_sort_by_date_orders_the_reports_newest_first(client, archive):
    entries = rispy.loads(body(client.get(EXPORT, {"q": "党建", "format": "ris", "sort": "date"})))
    assert [entry["title"] for entry in entries] == ["海淀報告", "河北省医学会工作总结", "党建工作纪实"]


def test_bibtex_and_ris_have_one_entry_per_matching_report(client, archive):
    library = bibtexparser.parse_string(body(client.get(EXPORT, {"q": "党建", "format": "bibtex"})),
                                        append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    keys = [entry.key for entry in library.entries]
    assert sorted(keys) == sorted(f"report-{archive[name].pk}" for name in ("hebei", "haidian", "title_only"))
    ris = rispy.loads(body(client.get(EXPORT, {"q": "党建", "format": "ris"})))
    assert [f"report-{entry['urls'][0].rstrip('/').rpartition('/')[2]}" for entry in ris] == keys


@pytest.mark.parametrize("title", list(TITLES.values()), ids=list(TITLES))
def test_titles_read_back_from_every_format(client, indexed, title):
    indexed(title, [("", "检索词 searchword")])
    query = {"q": "searchword"}
    (row,) = csv_rows(client.get(EXPORT, {**query, "format": "csv"}))
    (line,) = jsonl_rows(client.get(EXPORT, {**query, "format": "jsonl"}))
    (entry,) = bibtexparser.parse_string(body(client.get(EXPORT, {**query, "format": "bibtex"})),
                                         append_middleware=[LatexDecodingMiddleware()]).entries
    (record,) = rispy.loads(body(client.get(EXPORT, {**query, "format": "ris"})))
    assert row["title"] == line["report"]["title"] == entry["title"] == record["title"] == title


@pytest.mark.parametrize("start", ["\t=", "\r=", "＝", "＋", "－", "＠", "﹦"])
def test_csv_cells_starting_with_what_excel_reads_as_a_formula_sign_are_text(client, indexed, start):
    # Excel on a Chinese or Japanese system takes the full-width signs for =, +, - and @.
    indexed(f"{start}HYPERLINK(\"http://evil\") 检索词", [("", "检索词")])
    (row,) = csv_rows(client.get(EXPORT, {"q": "检索词", "format": "csv"}))
    assert row["title"] == f"'{start}HYPERLINK(\"http://evil\") 检索词"


def test_csv_cells_that_only_look_like_signs_are_left_alone(client, indexed):
    for title in ("− minus sign 检索词", "＃ 检索词", "2019 检索词", "'quoted 检索词"):
        indexed(title, [("", "检索词")])
    titles = {row["title"] for row in csv_rows(client.get(EXPORT, {"q": "检索词", "format": "csv"}))}
    assert titles == {"− minus sign 检索词", "＃ 检索词", "2019 检索词", "'quoted 检索词"}


def test_json_lines_stay_one_record_a_line_whatever_line_separators_a_title_holds(client, indexed):
    title = "第一行\u2028第二行\u2029第三段\u0085NEL 检索词"
    indexed(title, [("", "检索词")])
    text = body(client.get(EXPORT, {"q": "检索词", "format": "jsonl"}))
    (line,) = text.splitlines()   # Python's splitlines breaks at U+2028, U+2029 and U+0085 too
    assert json.loads(line)["report"]["title"] == title


def test_a_head_request_answers_the_headers_without_writing_the_file(archive):
    from reports.api.exports import SearchExport

    request = RequestFactory().head(EXPORT, {"q": "党建", "format": "csv"})
    response = SearchExport.as_view()(request)
    # Called directly, as a WSGI server calls it: gunicorn reads a HEAD's whole body only to drop it.
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith("attachment;")
    with CaptureQueriesContext(connection) as queries:
        assert b"".join(response.streaming_content) == b""
    assert len(queries) == 0
    too_large = RequestFactory().head(EXPORT, {"q": "党建", "format": "bibtex"})
    with override_settings(ARCHIVE_EXPORT_MAX_REPORTS=2):
        assert SearchExport.as_view()(too_large).status_code == 400


def test_a_report_deleted_while_the_file_is_written_is_left_out(client, archive, monkeypatch):
    monkeypatch.setattr("reports.interop.exports.BATCH", 2)
    victim = archive["title_only"]   # the undated one: last by date, in the second batch
    for export_format in ("csv", "jsonl", "bibtex", "ris"):
        pieces = iter(client.get(EXPORT, {"q": "党建", "format": export_format, "sort": "date"}).streaming_content)
        first = next(pieces)
        with transaction.atomic():
            Report.objects.filter(pk=victim.pk).delete()
        text = (first + b"".join(pieces)).decode("utf-8")
        assert f"/reports/{victim.pk}/" not in text, export_format
        assert f"/reports/{archive['hebei'].pk}/" in text and f"/reports/{archive['haidian'].pk}/" in text
        victim.save()   # back, under the same id, for the next format


def test_csv_cells_that_a_spreadsheet_would_run_are_text(client, indexed):
    for title, heading in [("=HYPERLINK(\"http://evil\")", "+1 检索词"), ("@SUM(A1)", "-2 检索词"),
                           ("Title, with \"quotes\"", "检索词\nheading")]:
        indexed(title, [(heading, "检索词")])
    rows = csv_rows(client.get(EXPORT, {"q": "检索词", "format": "csv"}))
    cells = {(row["title"], row["section"]) for row in rows}
    assert cells == {("'=HYPERLINK(\"http://evil\")", "'+1 检索词"), ("'@SUM(A1)", "'-2 检索词"),
                     ("Title, with \"quotes\"", "检索词\nheading")}


def test_the_file_is_named_for_the_query(client, archive):
    chinese = client.get(EXPORT, {"q": "党建 工作", "format": "csv"})
    assert chinese["Content-Disposition"] == "attachment; filename*=utf-8''search-%E5%85%9A%E5%BB%BA-%E5%B7%A5%E4%BD%9C.csv"
    assert chinese["Content-Type"] == "text/csv; charset=utf-8; header=present"
    english = client.get(EXPORT, {"q": '"inspections" / ..', "format": "bibtex"})
    assert english["Content-Disposition"] == 'attachment; filename="search-inspections.bib"'
    assert english["Content-Type"] == "application/x-bibtex; charset=utf-8"


@pytest.mark.parametrize(("query", "name"), [
    ("党建\r\nContent-Type: text/html", "search-党建-Content-Type-text-html.csv"),
    ("../../etc/passwd", "search-etc-passwd.csv"),
    ("\u202egpj.exe 党建", "search-gpj-exe-党建.csv"),   # a right-to-left override cannot turn the name round
    ("“” ／＼ ()", "search-results.csv"),
    ("医院" * 300, f"search-{'医院' * 20}.csv"),
])
def test_a_file_name_holds_only_words_of_the_query_however_odd(query, name):
    assert export_file_name(query, EXPORT_FORMATS["csv"]) == name


def test_the_file_is_read_a_batch_at_a_time_without_texts(client, archive, monkeypatch):
    monkeypatch.setattr("reports.interop.exports.BATCH", 2)
    response = client.get(EXPORT, {"q": "党建", "format": "csv"})
    pieces = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        assert next(pieces).decode().startswith(codecs.BOM_UTF8.decode() + "report_id,")
    assert len(queries) == 0   # the header is sent before any row is read
    with CaptureQueriesContext(connection) as queries:
        rest = list(pieces)
    assert len(rest) == 3      # five results, two per batch
    assert 3 <= len(queries) <= 2 * 3   # per batch: its reports, then its sections (if any)
    assert not any('"body"' in query["sql"] or '"text"' in query["sql"] for query in queries.captured_queries)


def test_a_search_larger_than_the_limit_is_refused_before_anything_is_sent(client, archive, settings):
    settings.ARCHIVE_EXPORT_MAX_REPORTS = 2
    response = client.get(EXPORT, {"q": "党建", "format": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "3 reports match; an export holds at most 2. Narrow the search with association, year or language.",
        "reports": 3, "limit": 2,
    }
    assert len(csv_rows(client.get(EXPORT, {"q": "党建", "format": "csv", "year": "2021"}))) == 3


@pytest.mark.parametrize(("language", "detail"), [
    ("zh-hans", "共有 3 篇报告符合；一次导出最多 2 篇。请用协会、年份或语言缩小检索范围。"),
    ("zh-hant", "共有 3 篇報告符合；一次導出最多 2 篇。請用協會、年份或語言縮小檢索範圍。"),
])
def test_the_limit_is_explained_in_the_readers_language(client, archive, settings, language, detail):
    settings.ARCHIVE_EXPORT_MAX_REPORTS = 2
    response = client.get(EXPORT, {"q": "党建", "format": "csv"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400 and response.json()["detail"] == detail


@pytest.mark.parametrize("params", [{"q": "党建"}, {"q": "党建", "format": "xlsx"}])
def test_a_missing_or_unknown_format_is_a_400_that_lists_the_formats(client, params):
    response = client.get(EXPORT, params)
    assert response.status_code == 400
    assert response.json()["formats"] == ["csv", "jsonl", "bibtex", "ris"]
    assert "csv, jsonl, bibtex, ris" in response.json()["detail"]


@pytest.mark.parametrize("q", ["", "   ", "()"])
def test_nothing_to_search_for_is_a_400(client, search_index, q):
    response = client.get(EXPORT, {"q": q, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["detail"] == "Give words to search for with q=."


def test_an_unreadable_index_is_a_503(client, archive, monkeypatch):
    def unreadable(parsed):
        raise OSError("index folder deleted")

    monkeypatch.setattr("reports.search.searching._groups", unreadable)
    response = client.get(EXPORT, {"q": "党建", "format": "csv"})
    assert response.status_code == 503
    assert response.json()["detail"]


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "下载全部结果"), ("zh-hant", "下載全部結果"),
                                                 ("en", "Download every result")])
def test_the_search_page_links_the_exports_in_each_language(client, archive, language, label):
    html = client.get("/search/", {"q": "党建", "year": "2021", "page": "1"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert label in html
    for export_format in ("csv", "jsonl", "bibtex", "ris"):
        assert f'href="/api/search/export/?q=%E5%85%9A%E5%BB%BA&amp;year=2021&amp;format={export_format}"' in html


def test_the_search_page_says_when_a_search_is_too_large_to_download(client, archive, settings):
    settings.ARCHIVE_EXPORT_MAX_REPORTS = 2
    html = client.get("/search/", {"q": "党建"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A download holds at most 2 reports" in html
    assert "/api/search/export/" not in html
