"""Web UI: logging in and out, CSRF, the login guard, Chinese pages and error pages."""
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from webapp.config import ROOT

VILLAGE = "village.430104001001"


def test_login_page_is_chinese(browser):
    page = browser.get("/login")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "登录童护" in text and "用户名" in text and 'name="csrf_token"' in text


def test_wrong_password_gives_401_with_message(browser):
    browser.get("/login")
    page = browser.post("/login", {"username": VILLAGE, "password": "wrong"})
    assert page.status_code == 401
    text = page.get_data(as_text=True)
    assert "用户名或密码错误" in text
    assert f'value="{VILLAGE}"' in text  # the name is kept


def test_login_without_csrf_token_is_400(browser):
    page = browser.login(VILLAGE)  # posts without the token
    assert page.status_code == 400
    assert "安全令牌" in page.get_data(as_text=True)
    assert browser.get("/").status_code == 302  # not logged in


def test_login_then_logout(browser):
    response = browser.sign_in(VILLAGE)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = browser.get("/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "任务列表" in text and "童护" in text and "望月湖社区居民委员会" in text
    assert "管理" not in text  # no admin link for officials
    response = browser.post("/logout")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert "您已退出登录" in browser.get("/login").get_data(as_text=True)
    assert browser.get("/").status_code == 302


def test_logout_is_post_only(browser):
    browser.sign_in(VILLAGE)
    assert browser.get("/logout").status_code == 405
    assert browser.get("/").status_code == 200


def test_pages_need_login(browser):
    for path in ("/", "/tasks/1", "/cases/new", "/cases/1", "/children/1", "/admin/users"):
        response = browser.get(path)
        assert response.status_code == 302, path
        assert "/login?next=" in response.headers["Location"], path


def test_login_follows_local_next_only(browser):
    browser.get("/login")
    response = browser.post("/login?next=/cases/new", {"username": VILLAGE, "password": "tonghu-demo"})
    assert response.headers["Location"] == "/cases/new"
    browser.post("/logout")
    browser.get("/login")
    response = browser.post("/login?next=https://evil.example/", {"username": VILLAGE, "password": "tonghu-demo"})
    assert response.headers["Location"] == "/"


def test_error_pages_are_chinese(browser):
    browser.sign_in(VILLAGE)
    page = browser.get("/no/such/page")
    assert page.status_code == 404
    assert "页面不存在" in page.get_data(as_text=True)
    page = browser.get("/tasks/424242")
    assert page.status_code == 404 and "任务不存在" in page.get_data(as_text=True)


def test_api_keeps_json_errors(client):
    response = client.get("/api/v1/no/such/call")
    assert response.status_code == 404
    assert response.get_json()["error"]


def test_every_ui_message_has_a_chinese_translation():
    """Each msgid of the views and templates is translated in the zh_CN catalog."""
    method_map = [("webapp/views/**.py", "python"), ("webapp/templates/**.html", "jinja2")]
    used = {message for _file, _line, message, _comments, _context in
            extract_from_dir(str(ROOT), method_map, keywords={"_": None, "gettext": None, "lazy": None})}
    assert used, "nothing extracted"
    with (ROOT / "webapp/translations/zh_CN/LC_MESSAGES/messages.po").open("rb") as po:
        catalog = read_po(po)
    missing = sorted(m for m in used if isinstance(m, str) and not (catalog.get(m) and catalog.get(m).string))
    assert not missing


def test_unexpected_error_gives_the_chinese_500_page(browser, app, monkeypatch):
    from webapp.services import tasklists

    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    browser.sign_in(VILLAGE)
    monkeypatch.setattr(tasklists, "task_list", broken)
    page = browser.get("/")
    assert page.status_code == 500
    text = page.get_data(as_text=True)
    assert "系统出错" in text and "本次操作未保存" in text and "boom" not in text
