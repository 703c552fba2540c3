"""Diagrams of the Spiff world adapted to Tonghu's lanes run to their end through the service
layer and the API (issue 18): embedded and nested subprocesses, a transaction cancelled from
inside, a correlated message, a broadcast signal, multi-instance over a caught payload, a
message start event and a missing multi-instance input."""
from sqlalchemy import select

from tests.conftest import START_DATA
from webapp.models import Case, CaseFileEntry, HumanTask

VILLAGE, TOWNSHIP = "village.430104001001", "township.430104001000"
COUNTY, COURT = "civil_affairs.430104000000", "court.430104000000"
PLACE = "430104001001"


def start(api, process_id, data=None):
    answer = api(VILLAGE).post(f"/processes/{process_id}/instances", {"region": PLACE, "data": data or dict(START_DATA)})
    return answer


def open_tasks(app, case_id) -> list[tuple[str, str, str]]:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return [(t.name, t.department, t.office_region) for t in s.scalars(
            select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.state == "open").order_by(HumanTask.id))]


def complete(api, username, case_id, name, data) -> dict:
    client = api(username)
    task = next(t for t in client.get("/tasks").get_json() if t["instance_id"] == case_id and t["name"] == name)
    answer = client.post(f"/tasks/{task['id']}/complete", {"data": data})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_subprocess_tasks_follow_the_enclosing_lane_and_a_transaction_its_own_lanes(adapted, api):
    app = adapted
    answer = start(api, "compat_subprocess")
    assert answer.status_code == 201, answer.get_json()
    case_id = answer.get_json()["id"]
    # Inside the embedded subprocess drawn in the village lane: the village's office.
    assert open_tasks(app, case_id) == [("visit_home", "village", PLACE)]
    complete(api, VILLAGE, case_id, "visit_home", {"note": "已入户"})
    # Two levels down, a manual task, no lane of its own: still the village's.
    assert open_tasks(app, case_id) == [("confirm_visit", "village", PLACE)]
    complete(api, VILLAGE, case_id, "confirm_visit", {})
    # The transaction sits in the county lane, but the lane drawn inside it holds the signing: the township.
    assert open_tasks(app, case_id) == [("sign", "township", "430104001000")]
    complete(api, TOWNSHIP, case_id, "sign", {"signed": False})
    # Refused: the transaction is cancelled and its cancel boundary leads to the county.
    assert open_tasks(app, case_id) == [("withdraw", "civil_affairs", "430104000000")]
    body = complete(api, COUNTY, case_id, "withdraw", {"note": "撤回"})
    assert body["status"] == "completed" and body["end_event"] == "end_withdrawn"


def test_a_signed_transaction_ends_normally(adapted, api):
    case_id = start(api, "compat_subprocess").get_json()["id"]
    complete(api, VILLAGE, case_id, "visit_home", {"note": "已入户"})
    complete(api, VILLAGE, case_id, "confirm_visit", {})
    body = complete(api, TOWNSHIP, case_id, "sign", {"signed": True})
    assert body["status"] == "completed" and body["end_event"] == "end_signed"


def test_message_signal_and_multi_instance_through_the_api(adapted, api, browser):
    app = adapted
    case_id = start(api, "compat_events").get_json()["id"]
    body = complete(api, VILLAGE, case_id, "file_report", {"note": "报告"})
    assert body["waiting"] == [{"kind": "message", "name": "court_ruling", "title": "等待法院裁定"}]
    assert body["open_tasks"] == []

    # The case page says what it waits for.
    browser.sign_in(COUNTY)
    page = browser.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "等待消息：court_ruling" in page and "当前没有待办任务" not in page

    ruling = {"child": {"id_number": START_DATA["child"]["id_number"]}, "visits": ["家访", "校访"]}
    path = f"/instances/{case_id}/messages"
    # Not the court's lane: refused; a message for another child: refused; a wrong name: refused; nothing moves.
    assert api(VILLAGE).post(path, {"name": "court_ruling", "data": ruling}).status_code == 403
    other = {**ruling, "child": {"id_number": "430104201601010011"}}
    refused = api(COURT).post(path, {"name": "court_ruling", "data": other})
    assert refused.status_code == 409 and "关联属性" in refused.get_json()["error"]
    assert api(COURT).post(path, {"name": "other_message", "data": ruling}).status_code == 409
    assert api(COURT).post(path, {"name": "court_ruling", "data": "x"}).status_code == 422
    assert api(COURT).post(path, {"data": ruling}).status_code == 422
    assert api(COURT).post("/instances/999999/messages", {"name": "court_ruling"}).status_code == 404
    assert api(COURT).get(f"/instances/{case_id}").status_code in (200, 403)

    delivered = api(COURT).post(path, {"name": "court_ruling", "data": ruling})
    assert delivered.status_code == 200, delivered.get_json()
    instance = delivered.get_json()["instances"][0]
    assert instance["waiting"] == [{"kind": "signal", "name": "province_sweep", "title": "等待全省排查"}]
    assert api(COURT).post(path, {"name": "court_ruling", "data": ruling}).status_code == 409  # caught once

    # The signal's lane is county civil affairs: the village may not send it.
    assert api(VILLAGE).post("/signals", {"name": "province_sweep"}).status_code == 409
    sent = api(COUNTY).post("/signals", {"name": "province_sweep", "data": {}})
    assert sent.status_code == 200, sent.get_json()
    assert [i["id"] for i in sent.get_json()["instances"]] == [case_id]

    # One manual task per visit the ruling asked for, each the village's.
    assert open_tasks(app, case_id) == [("visit_each", "village", PLACE)] * 2
    task = next(t for t in api(VILLAGE).get("/tasks").get_json() if t["instance_id"] == case_id)
    refused = api(VILLAGE).post(f"/tasks/{task['id']}/complete", {"data": {}})  # each visit must say it was done
    assert refused.status_code == 422 and "输出项“visit_done”" in refused.get_json()["error"]
    complete(api, VILLAGE, case_id, "visit_each", {"visit_done": "家访已完成"})
    body = complete(api, VILLAGE, case_id, "visit_each", {"visit_done": "校访已完成"})
    assert body["status"] == "completed" and body["end_event"] == "end" and body["waiting"] == []
    with app.extensions["tonghu.sessionmaker"]() as s:
        titles = s.scalars(select(CaseFileEntry.title).where(CaseFileEntry.case_id == case_id)).all()
    assert "收到消息：court_ruling" in titles and "收到信号：province_sweep" in titles


def test_a_message_start_event_opens_a_case_that_runs_and_a_missing_input_is_a_clear_422(adapted, api):
    app = adapted
    missing = start(api, "compat_message_start")
    assert missing.status_code == 422
    assert "多实例任务“逐个核实”缺少输入集合“children”" in missing.get_json()["error"]
    with app.extensions["tonghu.sessionmaker"]() as s:
        assert s.scalars(select(Case).where(Case.definition.has(process_id="compat_message_start"))).first() is None
    answer = start(api, "compat_message_start", {**START_DATA, "children": ["小明", "小红"]})
    assert answer.status_code == 201, answer.get_json()
    case_id = answer.get_json()["id"]
    assert answer.get_json()["waiting"] == []  # not waiting forever for its own start message
    assert open_tasks(app, case_id) == [("check_each", "village", PLACE)] * 2
    complete(api, VILLAGE, case_id, "check_each", {})
    assert complete(api, VILLAGE, case_id, "check_each", {})["status"] == "completed"
