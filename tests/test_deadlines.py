"""Due dates and escalation: the overdue task is marked once, its supervisor told, and it shows
in the task list (red, sortable), the API (`due`, `overdue`, `?overdue=1`, `/overdue`,
`/notifications`), the overdue page per department and place, and the case page."""
from datetime import timedelta

from sqlalchemy import select

from tests.helpers import run_due
from webapp.models import AuditEntry, CaseFileEntry, HumanTask, Notification, User
from webapp.services import deadlines

TOWNSHIP = "township.430104001000"
TOWNSHIP_SUPERVISOR = "supervisor.township.430104001000"
CIVIL_AFFAIRS_SUPERVISOR = "supervisor.civil_affairs.430104000000"


def start(api, start_data) -> int:
    response = api("village.430104001001").post("/processes/entrustment_care/instances",
                                                {"region": "430104001001", "data": start_data})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_due_from_due_in_is_listed_and_not_overdue_yet(app, api, start_data, clock):
    case_id = start(api, start_data)
    task = next(t for t in api(TOWNSHIP).get("/tasks").get_json() if t["instance_id"] == case_id)
    assert task["name"] == "township_home_investigation" and task["due"] and task["overdue"] is False
    assert task["escalated_at"] is None
    assert api(TOWNSHIP).get("/tasks?overdue=1").get_json() == []
    clock.advance(timedelta(days=6))
    assert run_due(app)["escalation"] == 0


def test_an_overdue_task_is_escalated_once_to_the_supervisor(app, api, start_data, clock, db_session):
    case_id = start(api, start_data)
    clock.advance(timedelta(days=8))
    assert run_due(app)["escalation"] == 1
    assert run_due(app)["escalation"] == 0  # idempotent
    clock.advance(timedelta(days=3))
    assert run_due(app)["escalation"] == 0  # still overdue, told once
    task = db_session.scalars(select(HumanTask).where(HumanTask.case_id == case_id)).one()
    assert task.escalated_at is not None
    notices = db_session.scalars(select(Notification)).all()
    assert [(n.recipient.username, n.task_id) for n in notices] == [(TOWNSHIP_SUPERVISOR, task.id)]
    assert "入户调查监护情况" in notices[0].message and "逾期" in notices[0].message
    audit = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "task.overdue")).all()
    assert [a.detail["notified"] for a in audit] == [[TOWNSHIP_SUPERVISOR]]
    assert db_session.scalars(select(CaseFileEntry).where(CaseFileEntry.title == "任务逾期：入户调查监护情况")).one()


def test_without_a_supervisor_of_any_kind_the_office_itself_is_told(app, api, start_data, clock, db_session):
    for user in db_session.scalars(select(User).where(User.role == "supervisor")):
        user.active = False
    db_session.commit()
    start(api, start_data)
    clock.advance(timedelta(days=8))
    run_due(app)
    notices = api(TOWNSHIP).get("/notifications").get_json()
    assert len(notices) == 1 and notices[0]["region"] == "430104001000"
    assert api("township.430104002000").get("/notifications").get_json() == []


def test_the_api_lists_overdue_tasks_groups_and_notifications(app, api, start_data, clock):
    case_id = start(api, start_data)
    clock.advance(timedelta(days=8))
    run_due(app)
    overdue = api(TOWNSHIP).get("/tasks?overdue=1").get_json()
    assert [(t["instance_id"], t["overdue"]) for t in overdue] == [(case_id, True)]
    assert overdue[0]["escalated_at"] is not None

    supervisor = api(TOWNSHIP_SUPERVISOR)
    view = supervisor.get("/overdue").get_json()
    assert [(g["department"], g["region"], g["count"]) for g in view["groups"]] == [("township", "430104001000", 1)]
    assert [t["instance_id"] for t in view["tasks"]] == [case_id]
    # civil affairs, the lead department, sees every department's overdue tasks in its county
    lead = api("civil_affairs.430104000000").get("/overdue?department=township").get_json()
    assert [t["instance_id"] for t in lead["tasks"]] == [case_id]
    assert api("civil_affairs.430104000000").get("/overdue?department=police").get_json()["tasks"] == []
    assert api("civil_affairs.310104000000").get("/overdue").get_json()["tasks"] == []
    assert api("civil_affairs.430104000000").get("/overdue?region=430104002000").get_json()["tasks"] == []
    assert api("civil_affairs.430104000000").get("/overdue?region=bad").status_code == 422

    notices = supervisor.get("/notifications?unread=1").get_json()
    assert len(notices) == 1 and notices[0]["instance_id"] == case_id
    # the notice leads to the overdue task, as on the overdue page, and the supervisor may open it
    task_id = notices[0]["task_id"]
    assert notices[0]["link"] == {"kind": "task", "id": task_id, "api": f"/api/v1/tasks/{task_id}", "page": f"/tasks/{task_id}"}
    assert supervisor.get(f"/tasks/{task_id}").status_code == 200
    assert supervisor.post(f"/notifications/{notices[0]['id']}/read").status_code == 200
    assert supervisor.get("/notifications?unread=1").get_json() == []
    assert api(TOWNSHIP).post(f"/notifications/{notices[0]['id']}/read").status_code == 403
    assert api(TOWNSHIP).post("/notifications/99999/read").status_code == 404


def test_overdue_in_the_web_ui(app, api, start_data, clock, browser):
    case_id = start(api, start_data)
    clock.advance(timedelta(days=8))
    run_due(app)
    browser.sign_in(TOWNSHIP_SUPERVISOR)
    page = browser.get("/overdue").get_data(as_text=True)
    assert 'data-group="township@430104001000"' in page and "入户调查监护情况" in page
    assert 'class="badge overdue"' in page and "逾期提醒" in page
    listing = browser.get("/?overdue=1&sort=-due").get_data(as_text=True)
    assert "入户调查监护情况" in listing and 'class="overdue"' in listing
    notice = app.extensions["tonghu.sessionmaker"]().scalars(select(Notification)).first()
    response = browser.post(f"/notifications/{notice.id}/read", {"next": "/overdue"})
    assert response.status_code == 302
    with app.extensions["tonghu.sessionmaker"]() as s:
        assert s.get(Notification, notice.id).read_at is not None
    case_page = browser.get(f"/cases/{case_id}")
    assert case_page.status_code == 200 and 'class="overdue"' in case_page.get_data(as_text=True)


def test_overdue_query_scopes(app, api, start_data, clock, db_session):
    start(api, start_data)
    clock.advance(timedelta(days=8))
    now = app.extensions["tonghu.engine"].clock.now()

    def seen(username):
        user = db_session.scalars(select(User).where(User.username == username)).one()
        return len(db_session.scalars(deadlines.overdue_query(user, now)).all())

    assert seen(TOWNSHIP) == 1 and seen(TOWNSHIP_SUPERVISOR) == 1 and seen("admin") == 1
    assert seen("township.430104002000") == 0 and seen("police.430104000000") == 0
