"""File names: shown whole, stored within the file system's 255 bytes of UTF-8 (not characters), the extension kept."""

import pytest

from reports.ingest.names import NAME_CHARACTERS, STORAGE_SUFFIX_BYTES, display_name, fit_name, storage_name


def test_ninety_chinese_characters_and_txt_are_stored_cut_to_255_bytes_keeping_the_extension():
    name = "关" * 90 + ".txt"            # 274 bytes: the file system refused it
    assert display_name(name) == name    # what staff and readers see
    stored = storage_name(name)
    assert stored == "关" * 81 + ".txt"  # 81 × 3 + 4 = 247 = 255 - 8 for the storage's "_abcdefg"
    assert len(stored.encode()) <= 255 - STORAGE_SUFFIX_BYTES


@pytest.mark.parametrize("name", ["a" * 300 + ".docx", "报" * 200, "x.y" * 100, "关" * 85 + "." + "很长的后缀" * 5])
def test_any_long_name_fits_in_whole_characters(name):
    fitted = fit_name(name, max_bytes=255)
    assert len(fitted.encode("utf-8")) <= 255
    assert name.startswith(fitted[: len(fitted) - 8][:20])
    if "." in name[-6:]:
        assert fitted.endswith(name[name.rindex("."):])


def test_a_name_longer_than_its_column_is_cut_in_characters_keeping_the_extension():
    shown = display_name("报" * 300 + ".docx")
    assert len(shown) == NAME_CHARACTERS and shown.endswith(".docx")


def test_a_short_name_is_left_alone_and_folders_are_dropped():
    assert display_name("年度总结.docx") == "年度总结.docx"
    assert display_name("C:\\\\报告\\\\2021\\\\总结.txt") == "总结.txt"
    assert display_name("   ") == "report.txt"


def test_the_stored_name_leaves_room_for_the_storage_to_tell_two_files_apart():
    assert storage_name("..") == "original.txt"
    assert len(storage_name("关" * 90 + ".txt", max_bytes=143).encode()) <= 143 - STORAGE_SUFFIX_BYTES
