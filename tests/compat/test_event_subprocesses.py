"""Event subprocesses run to their end with Tonghu's lanes, through the service layer and the API
(issue 18): non-interrupting ones started by a message (from outside, by the lane's office), a
timer (the scheduler) and an escalation (thrown by the process); interrupting ones started by a
message and by an error take the process over and end it; a process whose own flow ended does
not wait for a listener that never fired."""
from datetime import timedelta

from sqlalchemy import select

from tests.helpers import run_due
from webapp.models import Case, HumanTask, WaitingTimer

from .test_adapted import COUNTY, PLACE, VILLAGE, complete, open_tasks, start

TOWNSHIP = "township.430104001000"
LISTENING = [{"kind": "message", "name": "supplement", "title": "补充材料开始"},
             {"kind": "message", "name": "withdraw", "title": "撤回开始"}]


def opened(api):
    answer = start(api, "compat_event_sub")
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["waiting"] == LISTENING  # the case page says what may start an event subprocess
    return answer.get_json()["id"]


def case_row(app, case_id):
    with app.extensions["tonghu.sessionmaker"]() as s:
        case = s.get(Case, case_id)
        timers = s.scalars(select(WaitingTimer.name).where(WaitingTimer.case_id == case_id)).all()
        cancelled = s.scalars(select(HumanTask.name).where(HumanTask.case_id == case_id,
                                                           HumanTask.state == "cancelled")).all()
        return case.status, case.end_event, sorted(timers), sorted(cancelled)


def test_non_interrupting_message_timer_escalation_then_an_interrupting_error(adapted, api, clock):
    app = adapted
    case_id = opened(api)
    assert case_row(app, case_id)[2] == ["督办开始"]  # the timer of the 督办 event subprocess waits
    complete(api, VILLAGE, case_id, "collect", {"note": "情况"})
    # The escalation thrown after collecting started 协调 in the township's lane; the review goes on.
    assert open_tasks(app, case_id) == [("review", "civil_affairs", "430104000000"),
                                        ("sub_coordinate_task", "township", "430104001000")]

    path = f"/instances/{case_id}/messages"
    assert api(TOWNSHIP).post(path, {"name": "supplement", "data": {}}).status_code == 403  # not the lane's office
    sent = api(VILLAGE).post(path, {"name": "supplement", "data": {"doc": "户口本"}})
    assert sent.status_code == 200, sent.get_json()
    assert ("sub_supplement_task", "village", PLACE) in open_tasks(app, case_id)
    assert ("review", "civil_affairs", "430104000000") in open_tasks(app, case_id)  # not interrupted

    clock.advance(timedelta(days=4))
    assert run_due(app)["timers"] == 1
    assert ("sub_urge_task", "civil_affairs", "430104000000") in open_tasks(app, case_id)
    complete(api, TOWNSHIP, case_id, "sub_coordinate_task", {})

    # Refused: the error end event starts 拒绝, which interrupts everything else still open.
    body = complete(api, COUNTY, case_id, "review", {"signed": False})
    assert open_tasks(app, case_id) == [("sub_refused_task", "civil_affairs", "430104000000")]
    assert body["waiting"] == []  # taken over: no message starts anything any more
    assert case_row(app, case_id)[3] == ["sub_supplement_task", "sub_urge_task"]
    late = api(VILLAGE).post(path, {"name": "supplement", "data": {}})
    assert late.status_code == 409
    body = complete(api, COUNTY, case_id, "sub_refused_task", {"note": "材料不全"})
    assert body["status"] == "completed" and body["end_event"] == "sub_refused_end"


def test_an_interrupting_message_withdraws_the_case(adapted, api):
    app = adapted
    case_id = opened(api)
    complete(api, VILLAGE, case_id, "collect", {"note": "情况"})
    path = f"/instances/{case_id}/messages"
    assert api(VILLAGE).post(path, {"name": "withdraw", "data": {}}).status_code == 403  # the county's to send
    sent = api(COUNTY).post(path, {"name": "withdraw", "data": {"reason": "家长撤回"}})
    assert sent.status_code == 200, sent.get_json()
    assert open_tasks(app, case_id) == [("sub_withdraw_task", "civil_affairs", "430104000000")]
    status, _, timers, cancelled = case_row(app, case_id)
    assert status == "running" and timers == [] and cancelled == ["review", "sub_coordinate_task"]
    body = complete(api, COUNTY, case_id, "sub_withdraw_task", {})
    assert body["status"] == "completed" and body["end_event"] == "sub_withdraw_end"


def test_the_process_ends_without_waiting_for_a_listener_that_never_fired(adapted, api):
    app = adapted
    case_id = opened(api)
    complete(api, VILLAGE, case_id, "collect", {"note": "情况"})
    complete(api, TOWNSHIP, case_id, "sub_coordinate_task", {})
    body = complete(api, COUNTY, case_id, "review", {"signed": True})
    assert body["status"] == "completed" and body["end_event"] == "end_ok" and body["waiting"] == []
    assert case_row(app, case_id)[:3] == ("completed", "end_ok", [])  # the 督办 timer went with it


def test_a_started_non_interrupting_subprocess_runs_to_its_end_after_the_main_flow(adapted, api):
    app = adapted
    case_id = opened(api)
    complete(api, VILLAGE, case_id, "collect", {"note": "情况"})
    body = complete(api, COUNTY, case_id, "review", {"signed": True})
    assert body["status"] == "running"  # 协调 was started and is not done
    assert open_tasks(app, case_id) == [("sub_coordinate_task", "township", "430104001000")]
    body = complete(api, TOWNSHIP, case_id, "sub_coordinate_task", {})
    assert body["status"] == "completed" and body["end_event"] == "end_ok"
