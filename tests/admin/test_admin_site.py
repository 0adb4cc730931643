"""The admin is the archive's, in the staff member's language: no "Django administration", no "AXES"."""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "header", "throttle", "attempts"),
    [
        ("zh-hans", "学会工作报告库·工作人员", "登录限制", "访问尝试"),
        ("zh-hant", "學會工作報告庫·工作人員", "登錄限制", "訪問嘗試"),
        ("en", "Society work report archive: staff", "Login throttling", "Access attempts"),
    ],
)
def test_the_admin_is_branded_and_speaks_the_interface_language(staff_client, language, header, throttle, attempts):
    index = staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert header in index and "Django" not in index
    assert throttle in index and "Axes" not in index and "AXES" not in index
    assert attempts in index
    login_page = staff_client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "Django" not in login_page


def test_the_throttle_pages_are_translated(staff_client):
    AccessAttempt.objects.create(user_agent="curl", ip_address="203.0.113.9", username="keeper", http_accept="*/*",
                                 path_info="/admin/login/", failures_since_start=5)
    page = staff_client.get("/admin/axes/accessattempt/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for label in ("IP 地址", "用户名", "尝试时间", "登录失败次数"):
        assert label in page, label
    assert "Attempt Time" not in page and "Failed Logins" not in page
