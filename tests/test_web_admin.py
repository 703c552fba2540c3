"""Web UI: the admin pages (accounts, offices, audit log), for admins only."""
import re

import pytest

from webapp import db
from webapp.services import organisation


@pytest.fixture
def new_township(app):
    """A township added after the demo data, so it has no office yet."""
    with app.app_context():
        organisation.ensure_region(db.session(), "430104003000", "新建街道", "430104000000")
        db.session().commit()
    return "430104003000"


@pytest.fixture
def admin(browser):
    assert browser.sign_in("admin").status_code == 302
    return browser


def office_id(page, name):
    match = re.search(rf'<option value="(\d+)"[^>]*>{re.escape(name)}</option>', page.get_data(as_text=True))
    assert match, name
    return match.group(1)


def test_non_admins_get_403(browser):
    browser.sign_in("supervisor.civil_affairs.430104000000")
    for path in ("/admin/users", "/admin/offices", "/admin/audit"):
        page = browser.get(path)
        assert page.status_code == 403, path
        assert "无权" in page.get_data(as_text=True)
    assert browser.post("/admin/users", {"username": "x"}).status_code == 403
    assert "/admin/users" not in browser.get("/").get_data(as_text=True)


def test_admin_sees_the_admin_link_and_accounts(admin):
    assert 'href="/admin/users"' in admin.get("/").get_data(as_text=True)
    text = admin.get("/admin/users").get_data(as_text=True)
    assert "用户账号" in text and "village.430104001001" in text and "系统管理员" in text


def test_admin_creates_a_user_who_can_log_in(admin, app):
    page = admin.get("/admin/users")
    response = admin.post("/admin/users", {
        "username": "zhang.san", "display_name": "张三", "password": "a-long-password", "role": "official",
        "office_id": office_id(page, "望月湖街道办事处"),
    })
    assert response.status_code == 302
    text = admin.get("/admin/users").get_data(as_text=True)
    assert "已创建账号 zhang.san" in text and "张三" in text
    admin.post("/logout")
    assert admin.sign_in("zhang.san", "a-long-password").status_code == 302
    text = admin.get("/").get_data(as_text=True)
    assert "张三" in text and "望月湖街道办事处" in text


def test_bad_new_user_is_422_with_messages_and_input_kept(admin):
    admin.get("/admin/users")
    page = admin.post("/admin/users", {"username": "village.430104001001", "display_name": "重名",
                                       "password": "short", "role": "official", "office_id": ""})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "该用户名已被使用" in text and "密码至少 10 位" in text and "必须属于一个单位" in text
    assert 'value="重名"' in text and 'value="short"' not in text


def test_deactivate_and_reactivate(admin, app):
    page = admin.get("/admin/users")
    user_id = re.search(r'<tr data-user="police.430104000000".*?/admin/users/(\d+)/active', page.get_data(as_text=True), re.S).group(1)
    admin.post(f"/admin/users/{user_id}/active", {"active": "0"})
    assert "已停用" in admin.get("/admin/users").get_data(as_text=True)
    other = app.test_client()
    assert other.post("/api/v1/auth/token", json={"username": "police.430104000000", "password": "tonghu-demo"}).status_code == 401
    admin.post(f"/admin/users/{user_id}/active", {"active": "1"})
    assert other.post("/api/v1/auth/token", json={"username": "police.430104000000", "password": "tonghu-demo"}).status_code == 200


def test_admin_creates_an_office(admin, new_township):
    page = admin.get("/admin/offices")
    assert "岳麓区民政局" in page.get_data(as_text=True)
    response = admin.post("/admin/offices", {"department": "township", "region": new_township})
    assert response.status_code == 302
    assert "已创建单位：新建街道办事处" in admin.get("/admin/offices").get_data(as_text=True)
    assert "新建街道办事处" in admin.get("/admin/users").get_data(as_text=True)  # offered for new accounts
    page = admin.post("/admin/offices", {"department": "township", "region": new_township})
    assert page.status_code == 422 and "该单位已存在" in page.get_data(as_text=True)
    page = admin.post("/admin/offices", {"department": "court", "region": "430104001001"})
    assert page.status_code == 422 and "不在此层级设立单位" in page.get_data(as_text=True)


def test_audit_log_records_admin_actions(admin, new_township):
    admin.get("/admin/users")
    admin.post("/admin/offices", {"department": "township", "region": new_township})
    page = admin.get("/admin/audit")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "审计日志" in text
    assert "admin.office.create" in text and "login" in text
    assert text.index("admin.office.create") < text.index("<code>login</code>")  # newest first
