"""After the upload: corrections on the change page reach the index; a delete removes the report everywhere."""

from pathlib import Path

import pytest

from reports.models import Report
from tests.admin.conftest import change_url
from tests.admin.seeds import seed_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(upload, django_capture_on_commit_callbacks):
    """Upload a seed and run what waits for the commit (the index update), as a real request would."""

    def store(prefix: str, name: str) -> Report:
        with django_capture_on_commit_callbacks(execute=True):
            response = upload((name, seed_text(prefix).encode("utf-8")))
        assert response.status_code == 302
        return Report.objects.get(source_name=name)

    return store


def search(client, query: str) -> list[dict]:
    response = client.get("/api/search/", {"q": query})
    assert response.status_code == 200
    return response.json()["results"]


def change_form_data(response) -> dict:
    """The change page's form as the browser would send it back unchanged: report fields and section inline."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue  # an empty field or an unticked box sends nothing
            data[field.html_name] = value
    return data


def test_an_uploaded_report_is_found_by_search_at_once(stored, staff_client):
    report = stored("001", "tianjin.txt")

    hits = search(staff_client, "两柱三心")

    assert [hit["report"]["id"] for hit in hits] == [report.pk] * len(hits) and hits
    assert Report.objects.get(pk=report.pk).index_pending is False


def test_corrected_title_and_section_are_saved_and_searchable(stored, staff_client, django_capture_on_commit_callbacks):
    report = stored("000", "hebei.txt")
    section = report.sections.exclude(heading="").order_by("order").first()
    data = change_form_data(staff_client.get(change_url(report)))
    data["title"] = "河北省医学会党建工作纪实(校订)"
    data["year"] = "2020"
    position = [key for key, value in data.items() if key.endswith("-id") and str(value) == str(section.pk)][0].split("-")[1]
    data[f"sections-{position}-heading"] = "一、加强党的建设校订稿"

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(change_url(report), {**data, "_save": "Save"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    report.refresh_from_db()
    assert (report.title, report.year) == ("河北省医学会党建工作纪实(校订)", 2020)
    assert report.sections.get(pk=section.pk).heading == "一、加强党的建设校订稿"
    assert any(hit["report"]["id"] == report.pk for hit in search(staff_client, "校订稿"))
    assert any(hit["report"]["title"] == report.title for hit in search(staff_client, "校订"))


def test_the_whole_text_follows_the_corrected_sections(stored, staff_client, django_capture_on_commit_callbacks):
    report = stored("001", "tianjin.txt")
    section = report.sections.exclude(heading="").order_by("order").first()
    data = change_form_data(staff_client.get(change_url(report)))
    position = [key for key, value in data.items() if key.endswith("-id") and str(value) == str(section.pk)][0].split("-")[1]
    data[f"sections-{position}-text"] = "天津市医学会成立于1947年，校订后的段落。"

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(change_url(report), {**data, "_save": "Save"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert "校订后的段落" in report.body
    assert staff_client.get(f"/api/reports/{report.pk}/").json()["body"] == report.body


def test_stored_warnings_can_be_removed_but_not_broken(stored, staff_client):
    report = stored("004", "haidian.txt")
    data = change_form_data(staff_client.get(change_url(report)))
    data["warnings"] = '["not an object"]'

    response = staff_client.post(change_url(report), {**data, "_save": "Save"})

    assert response.status_code == 200
    assert "warnings" in response.context["adminform"].form.errors
    assert staff_client.get(report.get_absolute_url()).status_code == 200

    data["warnings"] = "[]"
    assert staff_client.post(change_url(report), {**data, "_save": "Save"}).status_code == 302
    report.refresh_from_db()
    assert report.warnings == []


def test_deleting_a_report_removes_it_from_the_index_and_its_original_file(stored, staff_client, django_capture_on_commit_callbacks):
    report = stored("001", "tianjin.txt")
    original = report.original.path

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(f"/admin/reports/report/{report.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        # Until the transaction commits, the file is still there: a rollback would keep it.
        assert open(original, "rb").read() == seed_text("001").encode("utf-8")
    for callback in callbacks:
        callback()

    assert not Report.objects.filter(pk=report.pk).exists()
    assert not Path(original).exists()
    assert search(staff_client, "两柱三心") == []


def test_the_bulk_delete_action_removes_every_original_file(stored, staff_client, django_capture_on_commit_callbacks):
    reports = [stored("000", "hebei.txt"), stored("003", "sichuan.txt")]
    paths = [r.original.path for r in reports]

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/reports/report/",
            {"action": "delete_selected", "_selected_action": [r.pk for r in reports], "post": "yes"},
        )

    assert response.status_code == 302
    assert not Report.objects.exists()
    assert not any(Path(p).exists() for p in paths)
