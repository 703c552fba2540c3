"""The admin's audit page reads as Chinese sentences with links (issue 17, point 7):
"办结任务：入户调查监护情况（案件 12）", not `task.complete` on `task:96`; people by name."""
import re

import pytest

from tests.helpers import only_task, start_entrustment_case
from tests.test_web_tasks import INVESTIGATION

TOWNSHIP = "township.430104001000"


@pytest.fixture
def admin(browser):
    assert browser.sign_in("admin").status_code == 302
    return browser


def cells(page) -> list[str]:
    """The sentence cell of each entry, its raw codes left out."""
    text = page.get_data(as_text=True)
    return [re.sub(r"\s*<small class=\"raw\">.*?</small>", "", c, flags=re.S).strip()
            for c in re.findall(r'<td class="sentence">(.*?)</td>', text, re.S)]


def test_a_completed_task_reads_as_a_sentence_linking_to_its_case(api, admin, start_data):
    case = start_entrustment_case(api, start_data)
    township = api(TOWNSHIP)
    task = only_task(township, "township_home_investigation")
    assert township.post(f"/tasks/{task['id']}/complete", {"data": INVESTIGATION}).status_code == 200
    page = admin.get("/admin/audit?action=task.complete")
    [said] = cells(page)
    assert said == f'办结任务：<a href="/admin/cases/{case["id"]}">{task["title"]}（案件 {case["id"]}）</a>'
    text = page.get_data(as_text=True)
    assert "望月湖街道办事处</span>" in text  # who, by name (the username is only a hover title)
    assert admin.get(f"/admin/cases/{case['id']}").status_code == 200  # the link leads somewhere


def test_every_kind_of_entry_is_worded(api, admin, start_data):
    case = start_entrustment_case(api, start_data)
    api(TOWNSHIP).get(f"/instances/{case['id']}")
    admin.post("/logout")
    admin.get("/login")
    admin.post("/login", {"username": "nobody", "password": "x"})
    assert admin.sign_in("admin").status_code == 302
    said = cells(admin.get("/admin/audit"))
    assert any(s.startswith(f'发起案件：<a href="/admin/cases/{case["id"]}">') and f"（案件 {case['id']}）</a>" in s
               for s in said)
    assert any(s.startswith("查看案件：") for s in said)
    assert '登录失败：<a href="/admin/audit?user=nobody">账号 nobody</a>' in said
    assert "登录：通过接口" in said and "登录" in said
    assert not any(re.search(r"\b[a-z]+\.[a-z_]+\b", s) for s in said), said  # no raw action codes in the words


def test_an_unknown_or_dangling_target_keeps_its_code_and_the_page_stands(app, admin):
    from sqlalchemy import select

    from webapp import db
    from webapp.models import User
    from webapp.services import audit
    with app.app_context():
        s = db.session()
        user = s.scalars(select(User).where(User.username == TOWNSHIP)).one()
        audit.record(s, app.extensions["tonghu.engine"].clock.now(), user, "task.complete", "task:999999")
        audit.record(s, app.extensions["tonghu.engine"].clock.now(), user, "strange.thing", "task:<b>x</b>")
        s.commit()
    page = admin.get("/admin/audit")
    assert page.status_code == 200
    said = cells(page)
    assert said[:2] == ["strange.thing：任务 &lt;b&gt;x&lt;/b&gt;", "办结任务：任务 999999"]
