"""Stored text to reading HTML."""

import pytest
from django.utils import translation

from reports import display


def test_paragraphs_are_split_on_lines_and_escaped():
    html = display.render_paragraphs("第一段 <b>\n\n\n  第二段 & 三  \n")
    assert html == "<p>第一段 &lt;b&gt;</p>\n<p>第二段 &amp; 三</p>"


def test_each_run_of_damaged_characters_is_one_explained_mark():
    with translation.override("en"):
        html = display.mark_damaged("医\ufffd\ufffd院<\ufffd")
    mark = '<mark class="damaged" title="Damaged in the source: these characters could not be read.">'
    assert html == f"医{mark}\ufffd\ufffd</mark>院&lt;{mark}\ufffd</mark>"


def test_clean_text_has_no_marks():
    assert "<mark" not in display.render_paragraphs("完好的正文。")
    assert not display.has_damage("完好的正文。") and display.has_damage("坏\ufffd")


@pytest.mark.parametrize(("level", "rank"), [(0, 2), (1, 2), (2, 3), (3, 4), (9, 6)])
def test_section_levels_map_to_heading_ranks_below_the_title(level, rank):
    assert display.heading_level(level) == rank


@pytest.mark.parametrize(
    ("language", "script", "shown"),
    [("zh-Hans", None, "zh-Hans"), ("zh-Hans", "hant", "zh-Hant"), ("zh-Hant", "hans", "zh-Hans"), ("en", "hant", "en")],
)
def test_shown_language_follows_the_script(language, script, shown):
    assert display.shown_language(language, script) == shown


def test_unknown_warning_kinds_show_as_they_are():
    with translation.override("en"):
        assert display.warning_label("damaged") == "Damaged text"
        assert display.warning_label("odd-kind") == "odd-kind"


def test_damaged_warning_is_rebuilt_in_the_interface_language_and_reader_script():
    warning = {"kind": "damaged", "original": "??漆t", "context": "6個??漆t聯體", "line": 17, "message": "English prose"}
    with translation.override("zh-hans"):
        assert display.describe_warning(warning, "hans") == "来源第 17 行：“??漆t”无法读出（位于“6个??漆t联体”）。"
    with translation.override("en"):
        assert display.describe_warning(warning) == "Line 17 of the source: “??漆t” could not be read (in “6個??漆t聯體”)."


def test_guessed_warning_names_the_field_and_the_inferred_value():
    with translation.override("zh-hans"):
        assert display.describe_warning({"kind": "guessed", "field": "year", "value": 2023}) == "来源中未注明所属年度；“2023”是推断的。"
        assert display.describe_warning({"kind": "guessed", "field": "association", "value": ""}) == (
            "来源中未注明协会，也无法推断。"
        )


def test_warnings_without_known_fields_show_the_parsers_message():
    assert display.describe_warning({"kind": "guessed", "field": "mood", "message": "odd"}) == "odd"
    assert display.describe_warning({"kind": "new-kind", "message": "简体"}, "hant") == "簡體"
