"""The reading pages on the real seed corpus, ingested through the pipeline."""

import pytest

from reports.ingest import ingest_path

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_search_index")]


@pytest.fixture
def seeds(db, seeds_dir):
    """Seed number ('000' ... '004') to its stored report."""
    stored = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        result = ingest_path(path)
        assert result.report is not None, (path.name, result.error)
        stored[path.name[:3]] = result.report
    return stored


def test_hebei_report_in_traditional_says_hebei_medical_association(client, seeds):
    html = client.get(seeds["000"].get_absolute_url() + "?script=hant").content.decode()
    assert "河北省醫學會" in html


def test_haidian_report_in_simplified_says_hospital_party_building(client, seeds):
    html = client.get(seeds["004"].get_absolute_url() + "?script=hans").content.decode()
    assert "医院党建" in html


def test_haidian_report_marks_its_damage_and_lists_the_warnings(client, seeds):
    report = seeds["004"]
    html = client.get(report.get_absolute_url()).content.decode()
    damaged = [w for w in report.warnings if w["kind"] == "damaged"]
    assert damaged
    assert html.count('<mark class="damaged"') >= len(damaged)
    for warning in damaged:
        assert f"来源第 {warning['line']} 行" in html


def test_every_seed_page_has_its_sections_as_anchors_and_its_original(client, seeds, seeds_dir):
    for number, report in seeds.items():
        html = client.get(report.get_absolute_url()).content.decode()
        for section in report.sections.all():
            assert f'id="{section.anchor}"' in html, (report.source_name, section.anchor)
            if section.heading:
                assert f'href="#{section.anchor}"' in html
        response = client.get(f"/reports/{report.pk}/original/")
        (seed,) = seeds_dir.glob(f"{number}_*.txt")
        assert b"".join(response.streaming_content) == seed.read_bytes()
        assert response["Content-Disposition"] == f'attachment; filename="{seed.name}"'


def test_home_counts_the_seed_corpus(client, seeds):
    html = client.get("/").content.decode()
    assert "<dt>报告</dt><dd>5</dd>" in html
    assert '<dt>协会</dt><dd><a href="/associations/">5</a></dd>' in html
