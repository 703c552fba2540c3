"""POST /api/v1/instances/{id}/child-identity: the same 补全儿童身份 as the case page
(services/cases/identity.py), for police and civil affairs systems that work over the API."""
from sqlalchemy import func, select

from tests.helpers import start_entrustment_case
from tests.test_report_identity import report_without_identity
from tests.test_revocation import POLICE
from webapp.models import AuditEntry, Case, Child

NUMBER = "430104201601010039"


def identify(api, username, case_id, body):
    return api(username).post(f"/instances/{case_id}/child-identity", body)


def test_police_complete_the_identity_over_the_api(api, db_session):
    case = report_without_identity(api, {"name": "小刚"})
    answer = identify(api, POLICE, case["id"], {"id_number": NUMBER.lower()[:-1] + "9", "name": " 王小刚 "})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"instance_id": case["id"], "child_id": case["child_id"], "name": "王小刚",
                                 "id_number": NUMBER, "birth_date": "2016-01-01", "gender": "male"}
    db_session.expire_all()
    child = db_session.get(Case, case["id"]).child
    assert (child.id_number, child.birth_date.isoformat(), child.gender, child.name) == (
        NUMBER, "2016-01-01", "male", "王小刚")
    audit = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "child.identify")).one()
    assert (audit.username, audit.target) == (POLICE, f"case:{case['id']}")
    task = api(POLICE).get("/tasks").get_json()[0]  # the next step's data carries the identity
    assert api(POLICE).get(f"/tasks/{task['id']}").get_json()["data"]["child"]["id_number"] == NUMBER
    again = identify(api, POLICE, case["id"], {"id_number": NUMBER})
    assert again.status_code == 403 and "身份信息不完整时" in again.get_json()["error"]  # done once


def test_a_registered_number_links_the_case_without_a_duplicate(api, start_data, db_session):
    registered = start_entrustment_case(api, start_data)["child_id"]
    case = report_without_identity(api)
    db_session.expire_all()
    before = db_session.scalar(select(func.count()).select_from(Child))
    answer = identify(api, "civil_affairs.430104000000", case["id"], {"id_number": start_data["child"]["id_number"]})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["child_id"] == registered != case["child_id"]
    db_session.expire_all()
    assert db_session.get(Case, case["id"]).child_id == registered
    assert db_session.get(Child, case["child_id"]) is None
    assert db_session.scalar(select(func.count()).select_from(Child)) == before - 1
    assert api("civil_affairs.430104000000").get(f"/instances/{case['id']}").get_json()["child_id"] == registered


def test_bad_input_and_the_wrong_caller_get_json_answers_and_nothing_changes(api, client, db_session):
    case = report_without_identity(api)
    path = f"/instances/{case['id']}/child-identity"
    cases = [
        ("education.430104000000", {"id_number": NUMBER}, 403, "只有办理本案的公安机关、民政部门"),  # the reporter
        ("police.310104001000", {"id_number": NUMBER}, 403, None),  # police elsewhere
        (POLICE, {"id_number": "430104201601010038"}, 422, "id_number"),  # wrong check digit
        (POLICE, {"id_number": NUMBER, "birth_date": "2016-02-01"}, 422, "id_number"),  # disagrees
        (POLICE, {"id_number": NUMBER, "gender": "x"}, 422, "gender"),
        (POLICE, {"id_number": 430104201601010039}, 422, "id_number"),
        (POLICE, {"id_number": NUMBER, "hobby": "足球"}, 422, None),
        (POLICE, {}, 422, "id_number"),
        (POLICE, {"name": ["小刚"], "id_number": NUMBER}, 422, "name"),
    ]
    for username, body, status, hint in cases:
        answer = api(username).post(path, body)
        assert answer.status_code == status, (body, answer.get_json())
        payload = answer.get_json()
        assert isinstance(payload["error"], str) and payload["error"]
        if status == 422 and hint:
            assert hint in payload["errors"], (body, payload)
        elif hint:
            assert hint in payload["error"]
    police = api(POLICE)
    assert client.post(f"/api/v1{path}", data="id_number=1", headers=police.headers).status_code == 400
    assert police.post(f"/instances/{2**63 - 1}/child-identity", {"id_number": NUMBER}).status_code == 404
    assert police.post(f"/instances/{2**64}/child-identity", {"id_number": NUMBER}).status_code == 404
    assert client.post(f"/api/v1{path}", json={"id_number": NUMBER}).status_code == 401
    db_session.expire_all()
    child = db_session.get(Case, case["id"]).child
    assert (child.id_number, child.birth_date, child.gender) == (None, None, None)
    assert db_session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "child.identify")) == 0


def test_the_openapi_document_describes_it(client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/instances/{instance_id}/child-identity"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/IdentityRequest"}
    assert {"200", "403", "404", "422"} <= set(operation["responses"])
