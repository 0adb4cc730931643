from django.conf import settings


def test_tests_never_touch_the_real_data_directory():
    assert "archive-test-" in str(settings.DATA_DIR)


def test_debug_is_off_unless_asked_for():
    assert settings.DEBUG is False
