"""The JSON API of DESIGN.md: shapes, routing and every status code it promises."""
import pytest
from sqlalchemy import select

from tests.helpers import only_task, start_entrustment_case
from webapp.models import AuditEntry, Office, User

CIVIL = "civil_affairs.430104000000"
VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"

INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈",
                 "income": "低保", "living_conditions": "祖孙同住"}


@pytest.fixture
def case(api, start_data):
    return start_entrustment_case(api, start_data)


def test_token_refused_on_bad_credentials(client):
    response = client.post("/api/v1/auth/token", json={"username": VILLAGE, "password": "wrong"})
    assert response.status_code == 401
    assert response.get_json()["error"]


def test_calls_without_a_token_are_401(client):
    for path in ("/api/v1/processes", "/api/v1/tasks", "/api/v1/instances/1"):
        assert client.get(path).status_code == 401
    assert client.get("/api/v1/tasks", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_malformed_json_is_400_with_a_message(client):
    response = client.post("/api/v1/auth/token", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.get_json()["error"]


def test_processes_list_and_start_form(api):
    village = api(VILLAGE)
    processes = village.get("/processes").get_json()
    assert {"id": "entrustment_care", "name": "五方委托照护协议", "version": 1, "retired": False} in processes
    detail = village.get("/processes/entrustment_care").get_json()
    assert {"child", "reason"} <= set(detail["form"]["properties"])
    assert village.get("/processes/no_such_process").status_code == 404


def test_start_validates_the_start_form(api, start_data):
    del start_data["child"]["id_number"]
    start_data["child"]["birth_date"] = "not a date"
    response = api(VILLAGE).post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["child.id_number"] == "此项必填"
    assert "日期" in errors["child.birth_date"]


def test_start_refused_outside_the_callers_place(api, start_data):
    other_village = api("village.430104002001")
    response = other_village.post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data})
    assert response.status_code == 403
    assert api("court.430104000000").post(
        "/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data}).status_code == 403


def test_start_needs_a_known_region_precise_enough(api, start_data):
    response = api(CIVIL).post("/processes/entrustment_care/instances", {"region": "430104000000", "data": start_data})
    assert response.status_code == 422 and "region" in response.get_json()["errors"]
    response = api(CIVIL).post("/processes/entrustment_care/instances", {"region": "999999999999", "data": start_data})
    assert response.status_code == 422 and response.get_json()["errors"]["region"] == "未知的行政区划代码"


def test_first_task_routed_to_the_township_of_the_case(api, case):
    task = only_task(api(TOWNSHIP), "township_home_investigation")
    assert task["instance_id"] == case["id"]
    assert task["department"] == "township" and task["region"] == "430104001000"
    assert task["due"] is not None
    assert api("township.430104002000").get("/tasks").get_json() == []
    assert api("township.310104001000").get("/tasks").get_json() == []


def test_task_detail_has_form_data_and_why(api, case):
    township = api(TOWNSHIP)
    task = only_task(township, "township_home_investigation")
    detail = township.get(f"/tasks/{task['id']}").get_json()
    assert detail["form"]["properties"]["guardian_name"]["title"] == "监护人姓名"
    assert detail["data"]["child"]["name"] == "小明"
    assert "望月湖街道" in detail["why"]
    assert api(CIVIL).get(f"/tasks/{task['id']}").status_code == 403
    assert township.get("/tasks/99999").status_code == 404


def test_complete_moves_the_case_on_and_records_history(api, case):
    township = api(TOWNSHIP)
    task = only_task(township, "township_home_investigation")
    response = township.post(f"/tasks/{task['id']}/complete", {"data": INVESTIGATION})
    assert response.status_code == 200, response.get_json()
    instance = response.get_json()
    assert [t["name"] for t in instance["open_tasks"]] == ["assess_capacity"]
    assert instance["history"][0]["user"] == TOWNSHIP and instance["history"][0]["department"] == "township"
    assert only_task(api(CIVIL), "assess_capacity")["instance_id"] == case["id"]
    assert api(CIVIL).get(f"/instances/{case['id']}").get_json()["status"] == "running"


def test_complete_with_bad_data_is_422_and_the_task_stays_open(api, case):
    township = api(TOWNSHIP)
    task = only_task(township, "township_home_investigation")
    response = township.post(f"/tasks/{task['id']}/complete", {"data": {**INVESTIGATION, "guardian_relation": "neighbour", "guardian_name": ""}})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"guardian_name": "此项必填", "guardian_relation": "请从给定选项中选择"}
    assert only_task(township, "township_home_investigation")["id"] == task["id"]


def test_other_department_gets_403_on_complete(api, case):
    task = only_task(api(TOWNSHIP), "township_home_investigation")
    assert api("police.430104000000").post(f"/tasks/{task['id']}/complete", {"data": INVESTIGATION}).status_code == 403


def test_second_completion_is_409_naming_who_completed(api, case):
    township = api(TOWNSHIP)
    task = only_task(township, "township_home_investigation")
    assert township.post(f"/tasks/{task['id']}/complete", {"data": INVESTIGATION}).status_code == 200
    again = township.post(f"/tasks/{task['id']}/complete", {"data": INVESTIGATION})
    assert again.status_code == 409
    assert "已由" in again.get_json()["error"] and again.get_json()["completed_by"]


def test_claim_release_and_409_when_held_by_someone_else(api, case, db_session):
    from webapp.services.accounts import hash_password
    from datetime import datetime, timezone
    office = db_session.scalars(select(Office).where(Office.department_code == "township", Office.region_code == "430104001000")).one()
    db_session.add(User(username="township.colleague", display_name="同事", password_hash=hash_password("tonghu-demo"),
                        role="official", office=office, created_at=datetime.now(timezone.utc)))
    db_session.commit()
    me, colleague = api(TOWNSHIP), api("township.colleague")
    task = only_task(me, "township_home_investigation")
    claimed = me.post(f"/tasks/{task['id']}/claim")
    assert claimed.status_code == 200 and claimed.get_json()["claimed_by"] == TOWNSHIP
    assert colleague.post(f"/tasks/{task['id']}/claim").status_code == 409
    assert colleague.post(f"/tasks/{task['id']}/complete", {"data": INVESTIGATION}).status_code == 409
    assert colleague.post(f"/tasks/{task['id']}/release").status_code == 409
    assert me.post(f"/tasks/{task['id']}/release").get_json()["claimed_by"] is None
    assert colleague.post(f"/tasks/{task['id']}/claim").status_code == 200


def test_supervisor_sees_jurisdiction_and_reassigns(api, case, db_session):
    supervisor = api("supervisor.township.430104001000")
    task = only_task(supervisor, "township_home_investigation")
    assert api(TOWNSHIP).post(f"/tasks/{task['id']}/claim").get_json()["claimed_by"] == TOWNSHIP
    colleague = db_session.scalars(select(User).where(User.username == "supervisor.township.430104001000")).one()
    response = supervisor.post(f"/tasks/{task['id']}/reassign", {"user_id": colleague.id})
    assert response.status_code == 200 and response.get_json()["claimed_by"] == "supervisor.township.430104001000"
    # the former holder no longer holds it: completing now needs a release or another reassignment
    assert api(TOWNSHIP).post(f"/tasks/{task['id']}/complete", {"data": {}}).status_code == 409
    police = db_session.scalars(select(User).where(User.username == "police.430104000000")).one()
    bad = supervisor.post(f"/tasks/{task['id']}/reassign", {"user_id": police.id})
    assert bad.status_code == 422
    assert api(TOWNSHIP).post(f"/tasks/{task['id']}/reassign", {"user_id": colleague.id}).status_code == 403
    assert only_task(supervisor, "township_home_investigation")["claimed_by"] == "supervisor.township.430104001000"


def test_instance_visibility(api, case):
    assert api(VILLAGE).get(f"/instances/{case['id']}").status_code == 200
    assert api("civil_affairs.310104000000").get(f"/instances/{case['id']}").status_code == 403
    assert api(CIVIL).get("/instances/424242").status_code == 404


def test_audit_log_records_logins_and_completions(api, case, db_session):
    township = api(TOWNSHIP)
    task = only_task(township, "township_home_investigation")
    township.post(f"/tasks/{task['id']}/claim")
    township.post(f"/tasks/{task['id']}/complete", {"data": INVESTIGATION})
    actions = [(e.username, e.action) for e in db_session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert (TOWNSHIP, "login") in actions and (TOWNSHIP, "task.claim") in actions
    assert (TOWNSHIP, "task.complete") in actions and (VILLAGE, "case.start") in actions
    complete = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "task.complete")).one()
    assert complete.office_id is not None and complete.at is not None
