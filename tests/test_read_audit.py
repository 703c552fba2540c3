"""Every read of a child's personal data leaves an audit entry (issue 19, point 4).

Who, which office, when, from where and what: the child's file, case pages, task pages,
documents, the case diagram, and the API's instance and task reads. The task list is not
audited per row. Admins filter the entries by child, user, action and day, page by page.
"""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from webapp import db
from webapp.models import AuditEntry, Case, CaseFileEntry, User
from webapp.services import audit

from .helpers import only_task, start_entrustment_case
from .test_psych_privacy import psych_case  # noqa: F401  (a fixture)

VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
CIVIL = "civil_affairs.430104000000"
READS = set(audit.READ_ACTIONS)


def reads(app, **where) -> list[AuditEntry]:
    with app.app_context():
        query = select(AuditEntry).where(AuditEntry.action.in_(READS)).order_by(AuditEntry.id)
        for column, value in where.items():
            query = query.where(getattr(AuditEntry, column) == value)
        return list(db.session().scalars(query))


@pytest.fixture
def case(api, start_data):
    return start_entrustment_case(api, start_data)


def office_of(app, username) -> int:
    with app.app_context():
        return db.session().scalars(select(User.office_id).where(User.username == username)).one()


# -- the API -----------------------------------------------------------------------------------
def test_reading_an_instance_through_the_api_is_audited(app, api, case):
    assert reads(app) == []  # starting the case is a write, audited as such, not a read
    assert api(CIVIL).get(f"/instances/{case['id']}").status_code == 200
    [entry] = reads(app)
    assert (entry.action, entry.target, entry.username) == ("case.read", f"case:{case['id']}", CIVIL)
    assert entry.child_id == case["child_id"] and entry.office_id == office_of(app, CIVIL)
    assert entry.remote_addr == "127.0.0.1" and entry.at is not None
    assert entry.detail == {"case_id": case["id"], "via": "api"}


def test_refused_and_unknown_reads_leave_no_read_entry(app, api, case):
    assert api("civil_affairs.310104000000").get(f"/instances/{case['id']}").status_code == 403
    assert api(CIVIL).get("/instances/424242").status_code == 404
    assert reads(app) == []


def test_reading_a_task_through_the_api_is_audited_but_the_task_list_is_not(app, api, case):
    township = api(TOWNSHIP)
    task = only_task(township, "township_home_investigation")  # the list: no read entry per row
    assert reads(app) == []
    assert township.get(f"/tasks/{task['id']}").status_code == 200
    [entry] = reads(app)
    assert (entry.action, entry.target, entry.child_id) == ("task.read", f"task:{task['id']}", case["child_id"])
    assert entry.detail == {"case_id": case["id"], "name": "township_home_investigation", "via": "api"}


def test_a_psychological_file_read_is_one_psych_read_not_two_entries(app, api, psych_case):  # noqa: F811
    assert api(CIVIL).get(f"/instances/{psych_case}").status_code == 200
    [entry] = reads(app)
    assert entry.action == "psych.read" and entry.target == f"case:{psych_case}"
    with app.app_context():
        assert entry.child_id == db.session().get(Case, psych_case).child_id


# -- the web UI ----------------------------------------------------------------------------------
def test_every_web_page_with_personal_data_is_audited(app, api, browser, case):
    task = only_task(api(TOWNSHIP), "township_home_investigation")
    with app.app_context():  # a filed document (the agreement comes only after ten steps)
        s = db.session()
        stored = s.get(Case, case["id"])
        entry = CaseFileEntry(child=stored.child, case=stored, kind="document", title="委托照护协议书",
                              body="<p>协议正文</p>", created_at=datetime.now(timezone.utc))
        s.add(entry)
        s.commit()
        document_id = entry.id
    browser.sign_in(TOWNSHIP)
    pages = {
        f"/children/{case['child_id']}": ("child.read", f"child:{case['child_id']}"),
        f"/cases/{case['id']}": ("case.read", f"case:{case['id']}"),
        f"/tasks/{task['id']}": ("task.read", f"task:{task['id']}"),
        f"/cases/{case['id']}/documents/{document_id}": ("document.read", f"document:{document_id}"),
        f"/cases/{case['id']}/diagram": ("diagram.read", f"case:{case['id']}"),
    }
    for path, (action, target) in pages.items():
        before = len(reads(app))
        assert browser.get(path).status_code == 200, path
        [entry] = reads(app)[before:]
        assert (entry.action, entry.target, entry.username) == (action, target, TOWNSHIP), path
        assert entry.child_id == case["child_id"] and entry.remote_addr == "127.0.0.1", path
        assert entry.office_id == office_of(app, TOWNSHIP) and entry.detail["via"] == "web", path
    assert reads(app, action="document.read")[0].detail["title"] == "委托照护协议书"
    before = len(reads(app))
    assert browser.get("/").status_code == 200  # the task list shows names only: not audited
    assert len(reads(app)) == before


def test_a_refused_page_leaves_no_read(app, browser, case):
    browser.sign_in("civil_affairs.310104000000")
    assert browser.get(f"/cases/{case['id']}").status_code == 403
    assert browser.get(f"/children/{case['child_id']}").status_code == 403
    assert reads(app) == []


def test_a_refused_submission_redraws_the_task_page_and_that_read_is_audited(app, api, browser, case):
    task = only_task(api(TOWNSHIP), "township_home_investigation")
    browser.sign_in(TOWNSHIP)
    browser.get(f"/tasks/{task['id']}")
    page = browser.post(f"/tasks/{task['id']}", {"guardian_name": ""})
    assert page.status_code == 422
    assert [e.action for e in reads(app, username=TOWNSHIP)] == ["task.read", "task.read"]


# -- the admin's audit page ---------------------------------------------------------------------
@pytest.fixture
def admin(browser):
    assert browser.sign_in("admin").status_code == 302
    return browser


def rows(page) -> int:
    return page.get_data(as_text=True).count("<td><time>")  # one per entry listed


def test_admins_filter_reads_by_child_user_action_and_day(app, api, admin, case, start_data):
    other = start_entrustment_case(api, {**start_data, "child": {**start_data["child"], "id_number": "430104201601010020",
                                                                  "name": "小红", "gender": "female",
                                                                  "birth_date": "2016-01-01"}})
    civil = api(CIVIL)
    civil.get(f"/instances/{case['id']}")
    civil.get(f"/instances/{case['id']}")
    civil.get(f"/instances/{other['id']}")
    api(TOWNSHIP).get(f"/instances/{case['id']}")

    def listed(**args):
        page = admin.get("/admin/audit", query_string=args)
        assert page.status_code == 200
        return page

    assert rows(listed(child=str(case["child_id"]), action="reads")) == 3
    by_id_number = listed(child=start_data["child"]["id_number"], action="reads")
    assert rows(by_id_number) == 3 and "共 3 条记录" in by_id_number.get_data(as_text=True)
    assert rows(listed(child=str(other["child_id"]), action="reads")) == 1
    assert rows(listed(user=TOWNSHIP, action="reads")) == 1
    assert rows(listed(user=CIVIL, action="case.read", child=str(case["child_id"]))) == 2
    text = listed(action="reads").get_data(as_text=True)
    assert text.count("<code>case.read</code>") == 4 and "<code>login</code>" not in text and "127.0.0.1" in text
    today = app.extensions["tonghu.engine"].clock.now().astimezone(timezone(timedelta(hours=8))).date()
    assert rows(listed(action="reads", since=today.isoformat(), until=today.isoformat())) == 4
    assert rows(listed(action="reads", until=(today - timedelta(days=1)).isoformat())) == 0
    assert rows(listed(action="reads", since=(today + timedelta(days=1)).isoformat())) == 0


def test_bad_filters_get_a_chinese_message_not_an_error(admin):
    page = admin.get("/admin/audit?since=2026-13-45&child=999999&page=x&user=nobody")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "不是有效日期" in text and "没有档案号或身份证号为 999999 的儿童" in text
    assert "<code>" not in text.split("<tbody>")[1]  # an unknown child matches nothing, not everything
    assert admin.get("/admin/audit?page=99999999999999999999").status_code == 200


def test_the_log_is_paginated_newest_first(app, admin):
    start = datetime(2026, 3, 1, tzinfo=timezone.utc)
    with app.app_context():
        s = db.session()
        user = s.scalars(select(User).where(User.username == CIVIL)).one()
        for i in range(120):
            audit.record(s, start + timedelta(minutes=i), user, "case.read", f"case:{i}", None, "10.0.0.1")
        s.commit()
    first = admin.get("/admin/audit?action=case.read")
    text = first.get_data(as_text=True)
    assert rows(first) == 50 and "第 1 页，共 3 页" in text and "case:119" in text and "case:69" not in text
    assert 'rel="next" href="/admin/audit?page=2&amp;action=case.read"' in text
    last = admin.get("/admin/audit?action=case.read&page=3").get_data(as_text=True)
    assert "case:19" in last and "case:0<" in last and "case:20<" not in last and "rel=\"next\"" not in last


def test_only_admins_see_the_log(browser):
    browser.sign_in(CIVIL)
    assert browser.get("/admin/audit").status_code == 403


def test_the_diagram_data_the_monitoring_plans_and_the_admin_case_page_are_audited_reads(app, api, case, browser):
    browser.sign_in(CIVIL)
    assert browser.get(f"/cases/{case['id']}/diagram.json").status_code == 200
    assert api(CIVIL).get(f"/instances/{case['id']}/monitoring").status_code == 200
    browser.post("/logout")
    browser.sign_in("admin")
    assert browser.get(f"/admin/cases/{case['id']}").status_code == 200
    assert [(e.action, e.username) for e in reads(app, child_id=case["child_id"])] == [
        ("diagram.read", CIVIL), ("monitoring.read", CIVIL), ("case.read", "admin")]


def test_ids_take_ascii_digits_only(api, case):
    assert api(CIVIL).get("/instances/\u0661").status_code == 404  # "١", an Arabic-Indic one


# -- the child's file: its reads go with the page's one commit ------------------------------------
def test_the_childs_file_page_records_its_reads_in_one_transaction_with_the_private_ones(app, browser, psych_case):  # noqa: F811
    with app.app_context():
        child_id = db.session().get(Case, psych_case).child_id
    browser.sign_in(CIVIL)
    assert browser.get(f"/children/{child_id}").status_code == 200
    entries = reads(app, child_id=child_id) + [e for e in reads(app, action="psych.read") if e.child_id is None]
    assert sorted((e.action, e.target) for e in entries) == [("child.read", f"child:{child_id}"),
                                                             ("psych.read", f"child:{child_id}")]
    assert len({e.at for e in entries}) == 1  # one moment, one commit


def test_the_childs_file_page_leaves_its_reads_even_when_it_fails_after_reading(app, browser, case, monkeypatch):
    from webapp.services.registry import children

    def broken(*_args, **_kwargs):
        raise RuntimeError("the history could not be read")

    monkeypatch.setattr(children, "history", broken)
    browser.sign_in(TOWNSHIP)
    with pytest.raises(RuntimeError, match="the history could not be read"):
        browser.get(f"/children/{case['child_id']}")
    [entry] = reads(app)
    assert (entry.action, entry.target, entry.username) == ("child.read", f"child:{case['child_id']}", TOWNSHIP)
    assert entry.detail == {"via": "web"}


def test_the_childs_file_api_leaves_its_read_even_when_the_answer_fails(app, api, case, monkeypatch):
    from webapp.services.registry import children

    def broken(*_args, **_kwargs):
        raise RuntimeError("the guardians could not be read")

    monkeypatch.setattr(children, "guardians_of", broken)
    with pytest.raises(RuntimeError, match="the guardians could not be read"):
        api(CIVIL).get(f"/children/{case['child_id']}")
    [entry] = reads(app)
    assert (entry.action, entry.username, entry.detail) == ("child.read", CIVIL, {"via": "api"})


def test_reads_committed_with_a_view_are_written_on_their_own_when_it_fails_or_forgets_to_commit(app):
    with app.app_context():
        s = db.session()
        user = s.scalars(select(User).where(User.username == CIVIL)).one()
        with pytest.raises(ValueError):
            with audit.read_committed_with(s, user, "child.read", "child:1") as pending:
                audit.record_read(s, user, "psych.read", "child:1", into=pending)
                raise ValueError("the page failed")
        with pytest.raises(RuntimeError, match="must end with the caller's commit"):
            with audit.read_committed_with(s, user, "child.read", "child:2"):
                pass
        with audit.read_committed_with(s, user, "child.read", "child:3"):
            s.commit()
        with pytest.raises(ValueError):  # flushed, then rolled back: written on its own
            with audit.read_committed_with(s, user, "child.read", "child:5"):
                s.flush()
                raise ValueError("the page failed after a flush")
        with pytest.raises(ValueError):  # after the commit: written once, not again on its own
            with audit.read_committed_with(s, user, "child.read", "child:4"):
                s.commit()
                raise ValueError("the answer failed")
        s.close()
    assert [(e.action, e.target) for e in reads(app)] == [("child.read", "child:1"), ("psych.read", "child:1"),
                                                          ("child.read", "child:2"), ("child.read", "child:3"),
                                                          ("child.read", "child:5"), ("child.read", "child:4")]


def test_the_childs_file_page_is_one_transaction_reading_the_childs_cases_once(app, browser, case):
    from sqlalchemy import event

    browser.sign_in(TOWNSHIP)
    path = f"/children/{case['child_id']}"
    assert browser.get(path).status_code == 200
    engine = app.extensions["tonghu.sessionmaker"].kw["bind"]
    statements = []

    def executed(conn, cursor, statement, *_rest):
        statements.append((conn.connection.dbapi_connection, " ".join(statement.split())))

    event.listen(engine, "before_cursor_execute", executed)
    try:
        assert browser.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", executed)
    writes = [(c, s) for c, s in statements if not s.startswith("SELECT")]
    [(writer, insert)] = writes  # the read entry, and nothing else
    assert insert.startswith("INSERT INTO audit_log")
    cases_read = [(c, s) for c, s in statements if " FROM cases " in s and "cases.child_id =" in s]
    assert len(cases_read) == 1  # the child's cases once, each with whether the viewer may read it
    assert cases_read[0][0] is writer  # the entry in the page's own transaction, not one of its own
