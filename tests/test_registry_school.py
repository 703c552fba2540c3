"""The registry's edit of a child's school re-routes the open school tasks, as the change of
school on the child's file does: one place (services/units.py `school_changed`) moves them."""
from sqlalchemy import select

from tests.helpers import demo_unit_id, resident_id
from webapp.models import AuditEntry, CaseFileEntry, HumanTask

CIVIL, VILLAGE = "civil_affairs.430104000000", "village.430104001001"
WYH, THL = "unit.yl-school-wyh", "unit.yl-school-thl"
CHILD = {"name": "小林", "id_number": resident_id("430104", "2014-03-01", 12), "birth_date": "2014-03-01",
         "gender": "female"}


def school_check_case(api) -> dict:
    response = api(CIVIL).post("/processes/psych_referral/instances", {"region": "430104001001", "data": {
        "child": CHILD, "monitoring_source": "school_yearly_check", "reason": "2026 学年心理健康监测"}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def in_list(api, username, case_id) -> bool:
    return any(t["name"] == "school_check" and t["instance_id"] == case_id for t in api(username).get("/tasks").get_json())


def test_the_registry_edit_of_the_school_re_routes_the_open_school_check(api, db_session):
    case = school_check_case(api)
    assert in_list(api, "education.430104000000", case["id"])  # no school registered: the education office
    edited = api(VILLAGE).client.patch(f"/api/v1/children/{case['child_id']}", headers=api(VILLAGE).headers,
                                       json={"school_unit_id": demo_unit_id("yl-school-wyh"), "reason": "入学登记"})
    assert edited.status_code == 200, edited.get_json()
    assert in_list(api, WYH, case["id"])
    assert not in_list(api, "education.430104000000", case["id"]) and not in_list(api, THL, case["id"])
    db_session.expire_all()
    task = db_session.scalars(select(HumanTask).where(HumanTask.case_id == case["id"],
                                                      HumanTask.name == "school_check")).one()
    assert task.unit_id == demo_unit_id("yl-school-wyh")
    titles = db_session.scalars(select(CaseFileEntry.title).where(CaseFileEntry.child_id == case["child_id"])).all()
    assert "就读学校变更：未登记 → 岳麓区望月湖小学" in titles
    audit = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "child.school")).one()
    assert audit.username == VILLAGE and audit.detail["tasks"] == [task.id]
    history = api(CIVIL).get(f"/children/{case['child_id']}").get_json()["history"]
    assert any("school_unit_id" in h["changes"] for h in history)  # the registry keeps the change too


def test_an_edit_that_leaves_the_school_moves_nothing(api, db_session):
    case = school_check_case(api)
    edited = api(CIVIL).client.patch(f"/api/v1/children/{case['child_id']}", headers=api(CIVIL).headers,
                                     json={"categories": ["left_behind"], "reason": "父母外出务工"})
    assert edited.status_code == 200, edited.get_json()
    assert in_list(api, "education.430104000000", case["id"])
    db_session.expire_all()
    assert db_session.scalars(select(AuditEntry).where(AuditEntry.action == "child.school")).first() is None


def test_a_school_that_does_not_serve_the_child_is_refused_and_nothing_moves(api, db_session):
    case = school_check_case(api)
    refused = api(CIVIL).client.patch(f"/api/v1/children/{case['child_id']}", headers=api(CIVIL).headers,
                                      json={"school_unit_id": demo_unit_id("yl-school-thl")})
    assert refused.status_code == 422 and "school_unit_id" in refused.get_json()["errors"]
    assert in_list(api, "education.430104000000", case["id"]) and not in_list(api, THL, case["id"])
