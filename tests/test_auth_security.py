"""Issue 19 (2, 3, 5): sessions and tokens end, brute force is stopped, headers, cookies, passwords."""
import re
import shutil
import statistics
import threading
import time
from datetime import timedelta
from http.client import HTTPConnection

import pytest
from argon2 import extract_parameters
from sqlalchemy import select
from werkzeug.serving import make_server

from webapp import config as config_module, create_app, db
from webapp.engine import Clock
from webapp.models import AuditEntry, User
from webapp.security import QuietRequestHandler
from webapp.services import accounts

from .conftest import PASSWORD, Browser, _config

VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
NEW_PASSWORD = "Xiangjiang-orange-isle-42"


def token_for(client, username, password=PASSWORD):
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def audit_rows(app, action):
    with app.app_context():
        return list(db.session().scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


@pytest.fixture
def security_clock(app):
    """Wall-clock time of sessions and locks, moved by the test (business time is separate)."""
    clock = Clock()
    app.extensions["tonghu.security_clock"] = clock
    return clock


@pytest.fixture
def second_browser(app):
    return Browser(app.test_client())


# -- 2. sessions and tokens end ----------------------------------------------------------------
def test_a_replayed_cookie_after_logout_is_sent_to_the_login_page(app, browser):
    browser.sign_in(VILLAGE)
    stolen = browser.client.get_cookie("session").value
    assert browser.get("/").status_code == 200
    browser.post("/logout")

    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert replay.get("/tasks/1").status_code == 302


def test_logging_out_in_one_browser_keeps_the_other_logged_in(browser, second_browser):
    browser.sign_in(VILLAGE)
    second_browser.sign_in(VILLAGE)
    browser.post("/logout")
    assert browser.get("/").status_code == 302
    assert second_browser.get("/").status_code == 200


def test_api_logout_revokes_only_the_calling_token(client):
    first, second = token_for(client, VILLAGE), token_for(client, VILLAGE)
    assert client.get("/api/v1/tasks", headers=first).status_code == 200
    response = client.post("/api/v1/auth/logout", headers=first)
    assert response.status_code == 204 and response.data == b""
    refused = client.get("/api/v1/tasks", headers=first)
    assert refused.status_code == 401 and refused.get_json()["error"] == "未登录或令牌无效"
    assert client.post("/api/v1/auth/logout", headers=first).status_code == 401
    assert client.get("/api/v1/tasks", headers=second).status_code == 200


def test_api_rejects_made_up_and_malformed_tokens(client):
    for header in ("Bearer ", "Bearer nonsense", "Bearer " + "x" * 5000, "Basic abc", "Bearer \u4e2d\u6587"):
        response = client.get("/api/v1/tasks", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.get_json()["error"]


def test_changing_the_password_ends_every_other_session_and_token(app, browser, second_browser, client):
    browser.sign_in(TOWNSHIP)
    second_browser.sign_in(TOWNSHIP)
    token = token_for(client, TOWNSHIP)

    browser.get("/account/password")
    response = browser.post("/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                  "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert "密码已修改" in browser.get("/").get_data(as_text=True)  # the browser that changed it stays in

    assert second_browser.get("/").status_code == 302
    assert client.get("/api/v1/tasks", headers=token).status_code == 401
    assert client.post("/api/v1/auth/token", json={"username": TOWNSHIP, "password": PASSWORD}).status_code == 401
    assert client.get("/api/v1/tasks", headers=token_for(client, TOWNSHIP, NEW_PASSWORD)).status_code == 200
    assert [e.username for e in audit_rows(app, "password.change")] == [TOWNSHIP]


def test_a_refused_password_change_changes_nothing(browser, second_browser, client):
    browser.sign_in(TOWNSHIP)
    second_browser.sign_in(TOWNSHIP)
    token = token_for(client, TOWNSHIP)
    browser.get("/account/password")
    cases = [
        ({"current_password": PASSWORD, "new_password": "1234567890", "confirm_password": "1234567890"}, "太常见"),
        ({"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"}, "密码至少 10 位"),
        ({"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD + "x"}, "不一致"),
        ({"current_password": "wrong-password", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
         "当前密码不正确"),
    ]
    for form, message in cases:
        page = browser.post("/account/password", form)
        assert page.status_code == 422, message
        assert message in page.get_data(as_text=True)
        assert NEW_PASSWORD not in page.get_data(as_text=True)
    assert second_browser.get("/").status_code == 200
    assert client.get("/api/v1/tasks", headers=token).status_code == 200
    assert client.post("/api/v1/auth/token", json={"username": TOWNSHIP, "password": PASSWORD}).status_code == 200


def test_deactivating_a_user_ends_their_sessions_and_tokens_for_good(app, browser, second_browser, client):
    second_browser.sign_in("police.430104000000")
    token = token_for(client, "police.430104000000")
    browser.sign_in("admin")
    page = browser.get("/admin/users").get_data(as_text=True)
    user_id = re.search(r'<tr data-user="police.430104000000".*?/admin/users/(\d+)/active', page, re.S).group(1)
    browser.post(f"/admin/users/{user_id}/active", {"active": "0"})
    assert second_browser.get("/").status_code == 302
    assert client.get("/api/v1/tasks", headers=token).status_code == 401

    browser.post(f"/admin/users/{user_id}/active", {"active": "1"})  # reactivation does not revive them
    assert second_browser.get("/").status_code == 302
    assert client.get("/api/v1/tasks", headers=token).status_code == 401


def test_an_idle_web_session_expires_after_30_minutes(browser, security_clock):
    browser.sign_in(VILLAGE)
    security_clock.advance(timedelta(minutes=29))
    assert browser.get("/").status_code == 200           # in use: the idle time starts again
    security_clock.advance(timedelta(minutes=29))
    assert browser.get("/").status_code == 200
    security_clock.advance(timedelta(minutes=31))
    response = browser.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    security_clock.advance(timedelta(minutes=-31))       # an ended session stays ended
    assert browser.get("/").status_code == 302


def test_the_idle_timeout_is_configurable(app, browser, security_clock):
    app.config["SESSION_IDLE_TIMEOUT"] = timedelta(minutes=5)
    browser.sign_in(VILLAGE)
    security_clock.advance(timedelta(minutes=6))
    assert browser.get("/").status_code == 302


# -- 3. brute force is stopped ---------------------------------------------------------------
def test_web_login_locks_the_account_after_five_failures(app, browser, security_clock):
    browser.get("/login")
    for attempt in range(4):
        assert browser.post("/login", {"username": VILLAGE, "password": f"wrong-{attempt}"}).status_code == 401
    page = browser.post("/login", {"username": VILLAGE, "password": "wrong-4"})
    assert page.status_code == 429
    assert int(page.headers["Retry-After"]) == 15 * 60
    assert "登录失败次数过多，请 15 分钟后再试" in page.get_data(as_text=True)

    security_clock.advance(timedelta(minutes=10))
    page = browser.post("/login", {"username": VILLAGE, "password": PASSWORD})  # even the right password
    assert page.status_code == 429 and 290 <= int(page.headers["Retry-After"]) <= 300
    assert browser.get("/").status_code == 302

    security_clock.advance(timedelta(minutes=6))  # the lock has run out
    assert browser.post("/login", {"username": VILLAGE, "password": PASSWORD}).status_code == 302

    failures = audit_rows(app, "login.failed")
    assert len(failures) == 6 and {f.target for f in failures} == {f"user:{VILLAGE}"}
    assert [f.detail["reason"] for f in failures] == ["bad_credentials"] * 5 + ["locked"]
    assert all(f.remote_addr == "127.0.0.1" for f in failures)
    locks = audit_rows(app, "login.locked")
    assert len(locks) == 1 and locks[0].target == f"user:{VILLAGE}" and locks[0].detail["failures"] == 5


def test_token_call_locks_too_and_answers_json_429(client):
    for attempt in range(4):
        assert client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": "nope"}).status_code == 401
    response = client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": "nope"})
    assert response.status_code == 429 and response.headers["Retry-After"] == "900"
    assert response.get_json()["error"] == "登录失败次数过多，请 15 分钟后再试"
    response = client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": PASSWORD})
    assert response.status_code == 429 and response.is_json


def test_failures_spread_over_time_do_not_lock(client, security_clock):
    for _round in range(3):
        for attempt in range(4):
            assert client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": "x"}).status_code == 401
        security_clock.advance(timedelta(minutes=16))
    assert client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": PASSWORD}).status_code == 200


def test_a_success_clears_the_failures(client):
    for attempt in range(4):
        client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": "x"})
    assert client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": PASSWORD}).status_code == 200
    for attempt in range(4):
        assert client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": "x"}).status_code == 401


def test_an_admin_sees_the_lock_and_unlocks(app, browser, client):
    for attempt in range(5):
        client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": "x"})
    browser.sign_in("admin")
    page = browser.get("/admin/users").get_data(as_text=True)
    row = re.search(rf'<tr data-user="{VILLAGE}".*?</tr>', page, re.S).group(0)
    assert "已锁定至" in row
    unlock = re.search(r'/admin/users/(\d+)/unlock', row).group(0)
    response = browser.post(unlock)
    assert response.status_code == 302
    page = browser.get("/admin/users").get_data(as_text=True)
    assert f"已解锁账号 {VILLAGE}" in page
    assert "已锁定至" not in re.search(rf'<tr data-user="{VILLAGE}".*?</tr>', page, re.S).group(0)
    assert client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": PASSWORD}).status_code == 200
    unlocks = audit_rows(app, "admin.user.unlock")
    assert [(u.username, u.target) for u in unlocks] == [("admin", f"user:{VILLAGE}")]


def test_only_admins_unlock(browser, client):
    for attempt in range(5):
        client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": "x"})
    browser.sign_in(TOWNSHIP)
    browser.get("/")
    assert browser.post("/admin/users/1/unlock").status_code == 403
    assert client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": PASSWORD}).status_code == 429


def test_one_address_is_throttled_across_names(app, client, browser):
    app.config["LOGIN_ADDRESS_LIMIT"] = "3 per minute"
    for name in ("nobody.1", "nobody.2", "nobody.3"):
        assert client.post("/api/v1/auth/token", json={"username": name, "password": "x"}).status_code == 401
    response = client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": PASSWORD})
    assert response.status_code == 429 and 1 <= int(response.headers["Retry-After"]) <= 60
    assert "登录失败次数过多" in response.get_json()["error"]
    browser.get("/login")
    page = browser.post("/login", {"username": TOWNSHIP, "password": PASSWORD})
    assert page.status_code == 429 and int(page.headers["Retry-After"]) <= 60
    assert "登录失败次数过多" in page.get_data(as_text=True)


def test_successful_logins_from_one_address_are_not_throttled(app, client):
    app.config["LOGIN_ADDRESS_LIMIT"] = "3 per minute"
    for _ in range(5):
        assert client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": PASSWORD}).status_code == 200


class CountingHasher:
    """Records which hashes argon2 verifies (the costly step of an attempt)."""

    def __init__(self, inner):
        self.inner, self.verified = inner, []

    def verify(self, password_hash, password):
        self.verified.append(password_hash)
        return self.inner.verify(password_hash, password)

    def hash(self, password):
        return self.inner.hash(password)


def _answers(client, username, n=6):
    answers = []
    for attempt in range(n):
        r = client.post("/api/v1/auth/token", json={"username": username, "password": "wrong"})
        answers.append((r.status_code, r.headers.get("Retry-After"), r.get_json()))
    return answers


def test_unknown_and_known_names_get_the_same_answers_and_the_same_work(app, client, monkeypatch):
    counting = CountingHasher(accounts._hasher)
    monkeypatch.setattr(accounts, "_hasher", counting)
    known = _answers(client, VILLAGE)
    known_hashes, counting.verified = counting.verified, []
    unknown = _answers(client, "no.such.user")
    assert known == unknown
    assert [a[0] for a in known] == [401] * 4 + [429, 429]
    # one argon2 verification per attempt until the lock, none while locked; same parameters
    assert len(known_hashes) == len(counting.verified) == 5
    assert counting.verified == [accounts._DUMMY_HASH] * 5
    assert extract_parameters(known_hashes[0]) == extract_parameters(accounts._DUMMY_HASH)
    assert len(audit_rows(app, "login.locked")) == 2


def test_inactive_accounts_answer_like_unknown_ones(app, browser, client):
    with app.app_context():
        s = db.session()
        s.scalars(select(User).where(User.username == "police.430104000000")).one().active = False
        s.commit()
    assert _answers(client, "police.430104000000", 2) == _answers(client, "nobody.at.all", 2)
    browser.get("/login")
    one = browser.post("/login", {"username": "police.430104000000", "password": PASSWORD})
    two = browser.post("/login", {"username": "nobody.at.all", "password": PASSWORD})
    assert one.status_code == two.status_code == 401
    assert "用户名或密码错误" in one.get_data(as_text=True) and "用户名或密码错误" in two.get_data(as_text=True)


@pytest.mark.slow
def test_unknown_and_known_names_take_the_same_time(client):
    def timed(username):
        start = time.perf_counter()
        assert client.post("/api/v1/auth/token", json={"username": username, "password": "wrong"}).status_code == 401
        return time.perf_counter() - start
    known, unknown = [], []
    for i in range(4):  # interleaved, under the lock limit of each name
        known.append(timed(VILLAGE))
        unknown.append(timed(f"ghost.{i % 2}"))
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 0.5 < ratio < 2, (known, unknown)


def test_login_with_odd_input_is_a_clear_answer(client, browser):
    for body in ({"username": ["a"], "password": {"b": 1}}, {"username": "x" * 10000, "password": "y" * 100000},
                 {"username": None}, {}):
        response = client.post("/api/v1/auth/token", json=body)
        assert response.status_code == 401 and response.get_json()["error"], body
    browser.get("/login")
    page = browser.post("/login", {"username": "\u0000" + "名" * 5000, "password": ""})
    assert page.status_code == 401


# -- 5. headers, cookies, passwords ------------------------------------------------------------
def _assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Server"] == "Tonghu"


def test_security_headers_on_pages_api_and_errors(browser, client):
    _assert_security_headers(browser.get("/login"))
    browser.sign_in(VILLAGE)
    page = browser.get("/")
    _assert_security_headers(page)
    assert page.headers["Cache-Control"] == "no-store"
    _assert_security_headers(browser.get("/no/such/page"))
    _assert_security_headers(client.get("/api/v1/tasks"))
    static = client.get("/static/css/tonghu.css")
    static.close()
    _assert_security_headers(static)
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_the_development_server_names_no_framework_version(app):
    server = make_server("127.0.0.1", 0, app, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", "/login")
        response = connection.getresponse()
        response.read()
        assert response.status == 200
        assert response.msg.get_all("Server") == ["Tonghu"]
        assert response.getheader("X-Frame-Options") == "DENY"
    finally:
        server.shutdown()
        server.server_close()


def test_pages_carry_no_inline_script(browser):
    """The CSP forbids inline scripts: every <script> has a src or only carries JSON data."""
    browser.sign_in("admin")
    paths = ["/", "/cases/new", "/admin/users", "/admin/audit", "/designer/", "/account/password",
             "/designer/procedures/entrustment_care/edit", "/designer/forms/"]
    forms = re.findall(r'href="(/designer/forms/[^"]+)"', browser.get("/designer/forms/").get_data(as_text=True))
    paths += forms[:1]
    for path in paths:
        page = browser.get(path)
        assert page.status_code == 200, path
        html = page.get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert "javascript:" not in html, path


def _app_with(tmp_path, demo_database, **config):
    path = tmp_path / "env.sqlite"
    shutil.copyfile(demo_database, path)
    return create_app({**_config(path, Clock()), **config})


@pytest.mark.parametrize("env, secure", [("production", True), ("demo", False), ("test", False)])
def test_cookies_are_secure_outside_demo_and_test(tmp_path, demo_database, env, secure):
    app = _app_with(tmp_path, demo_database, ENV=env, WTF_CSRF_ENABLED=False)
    try:
        response = app.test_client().post("/login", data={"username": VILLAGE, "password": PASSWORD})
        assert response.status_code == 302
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure
        assert app.config["REMEMBER_COOKIE_SECURE"] is secure
        assert ("Strict-Transport-Security" in response.headers) is secure
    finally:
        app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


def test_an_explicit_cookie_setting_wins_and_a_bad_env_is_refused():
    config = {"ENV": "production", "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": None}
    config_module.normalise(config)
    assert config["SESSION_COOKIE_SECURE"] is False and config["REMEMBER_COOKIE_SECURE"] is True
    config = {"ENV": "demo", "SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": None}
    config_module.normalise(config)
    assert config["SESSION_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_SECURE"] is False
    with pytest.raises(config_module.ConfigError, match="TONGHU_ENV"):
        config_module.normalise({"ENV": "prod"})


def test_environment_variables_set_the_cookie_flags(monkeypatch):
    monkeypatch.setenv("TONGHU_SESSION_COOKIE_SECURE", "0")
    assert config_module._flag("TONGHU_SESSION_COOKIE_SECURE") is False
    monkeypatch.setenv("TONGHU_SESSION_COOKIE_SECURE", "true")
    assert config_module._flag("TONGHU_SESSION_COOKIE_SECURE") is True
    monkeypatch.delenv("TONGHU_SESSION_COOKIE_SECURE")
    assert config_module._flag("TONGHU_SESSION_COOKIE_SECURE") is None


@pytest.mark.parametrize("password, message", [
    ("12345678", "至少 10 位"),
    ("password", "至少 10 位"),
    ("1234567890", "太常见"),
    ("password123", "太常见"),
    ("qwertyuiop", "太常见"),
    ("1qaz2wsx3edc", "太常见"),
    ("aaaaaaaaaaaa", "太常见"),
    ("abcdefghijk", "太常见"),
    ("passwordpassword", "太常见"),
    ("zhang.san-2024!", "用户名"),
    ("x" * 257, "不能超过 256 位"),
])
def test_weak_passwords_are_refused_in_chinese(password, message):
    problem = accounts.password_problem(password, username="zhang.san", display_name="张三")
    assert problem and message in problem


@pytest.mark.parametrize("password", [NEW_PASSWORD, "correct-horse-battery", "Tonghu-2024!", "湘江橘子洲头长沙岳麓"])
def test_good_passwords_are_accepted(password):
    assert accounts.password_problem(password, username="zhang.san", display_name="张三") is None


def test_admin_account_form_applies_the_policy(app, browser):
    browser.sign_in("admin")
    page = browser.get("/admin/users")
    office = re.search(r'<option value="(\d+)">望月湖街道办事处</option>', page.get_data(as_text=True)).group(1)
    form = {"username": "li.si", "display_name": "李四", "role": "official", "office_id": office}
    refused = browser.post("/admin/users", {**form, "password": "password123"})
    assert refused.status_code == 422 and "太常见" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session().scalars(select(User).where(User.username == "li.si")).first() is None
    assert browser.post("/admin/users", {**form, "password": NEW_PASSWORD}).status_code == 302


# -- the same on PostgreSQL (upserts, conditional updates) ---------------------------------------
from .test_postgres import pg_app  # noqa: E402,F401  (fixture; postgres_url comes from conftest.py)


@pytest.mark.postgres
@pytest.mark.slow
def test_lock_unlock_and_token_logout_on_postgresql(pg_app):
    client = pg_app.test_client()
    assert _answers(client, VILLAGE) == _answers(client, "no.such.user")
    assert client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": PASSWORD}).status_code == 429
    with pg_app.app_context():
        from webapp.services import login
        assert login.unlock(db.session(), VILLAGE, Clock().now())
        db.session().commit()
    headers = token_for(client, VILLAGE)
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/tasks", headers=headers).status_code == 401
    assert len(audit_rows(pg_app, "login.locked")) == 2
