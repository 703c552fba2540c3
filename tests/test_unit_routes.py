"""Issue 14, second slice: a child moves (API, web), the child's school re-routes school tasks,
a unit's official reads a private case only through its own unit, supervisors' reach, and
`tonghu check` of the new unit lanes."""
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.helpers import GUARDIAN, agreement_draft, capacity_assessment, demo_unit_id, only_task, start_entrustment_case
from webapp.models import AuditEntry, Child, HumanTask, MonitoringPlan, Notification
from webapp.services import cases, units
from webapp.services.checks import check_files
from webapp.services.errors import Forbidden, Invalid
from webapp.services.forms import load_forms

ROOT = Path(__file__).resolve().parent.parent
VILLAGE, TOWNSHIP, CIVIL = "village.430104001001", "township.430104001000", "civil_affairs.430104000000"
NEW_VILLAGE, NEW_TOWNSHIP = "village.430104002001", "township.430104002000"
INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈多病",
                 "income": "低保", "living_conditions": "祖孙二人同住"}
DRAFT = agreement_draft()


def complete(api, username, name, data):
    response = api(username).post(f"/tasks/{only_task(api(username), name)['id']}/complete", {"data": data})
    assert response.status_code == 200, response.get_json()


@pytest.fixture
def signing(api, start_data):
    """An entrustment case at the five signatures, the protection centre chosen: (case, child id)."""
    case = start_entrustment_case(api, start_data)
    complete(api, TOWNSHIP, "township_home_investigation", INVESTIGATION)
    complete(api, CIVIL, "assess_capacity", capacity_assessment("insufficient", "不足"))
    complete(api, VILLAGE, "record_guardian_consent", {"guardian_consents": True, **GUARDIAN, "consent_note": "同意"})
    complete(api, CIVIL, "choose_institution", {"care_institution_unit": demo_unit_id("yl-protection")})
    complete(api, CIVIL, "draft_agreement", DRAFT)
    return case, case["child_id"]


# -- a move, through the API -----------------------------------------------------------------
def test_a_move_sends_place_routed_tasks_to_the_new_place_and_keeps_the_chosen_unit(api, db_session, signing):
    case, child_id = signing
    claimed = only_task(api(VILLAGE), "sign_village")
    assert api(VILLAGE).post(f"/tasks/{claimed['id']}/claim").status_code == 200
    centre_task = only_task(api("unit.yl-protection"), "sign_institution")

    refused = api(VILLAGE).post(f"/children/{child_id}/move", {"region": "430104002001"})
    assert refused.status_code == 403
    for bad in ("430104002000", "430104999999", "4301040020", 430104002001, "430104001001", None):
        response = api(CIVIL).post(f"/children/{child_id}/move", {"region": bad})
        assert response.status_code == 422 and "region" in response.get_json()["errors"], bad
    assert api(CIVIL).post(f"/children/{child_id}/move", ["430104002001"]).status_code == 400

    moved = api(CIVIL).post(f"/children/{child_id}/move", {"region": "430104002001"})
    assert moved.status_code == 200, moved.get_json()
    body = moved.get_json()
    assert body["region"] == "430104002001" and body["from"] == "430104001001" and body["cases"] == [case["id"]]
    assert centre_task["id"] in body["kept_tasks"] and claimed["id"] in body["moved_tasks"]

    # the village and township signatures went to the new place, unclaimed; the centre keeps its own
    assert [t["name"] for t in api(VILLAGE).get("/tasks").get_json()] == []
    assert {t["name"] for t in api(NEW_VILLAGE).get("/tasks").get_json()} == {"sign_guardian", "sign_village"}
    assert only_task(api(NEW_VILLAGE), "sign_village")["claimed_by"] is None
    assert only_task(api(NEW_TOWNSHIP), "sign_township")
    assert only_task(api("unit.yl-protection"), "sign_institution")["id"] == centre_task["id"]
    assert api(CIVIL).get(f"/instances/{case['id']}").get_json()["region"] == "430104002001"
    # the old township did the home investigation: it still reads the case; the new one reads it too
    assert api(TOWNSHIP).get(f"/instances/{case['id']}").status_code == 200
    assert api(NEW_TOWNSHIP).get(f"/instances/{case['id']}").status_code == 200
    # both sides are told, the file says it, the audit log has it
    db_session.expire_all()
    told = {(n.department, n.office_region) for n in db_session.scalars(select(Notification).where(Notification.kind == "move"))}
    assert {("village", "430104001001"), ("village", "430104002001"), ("township", "430104002000"),
            ("civil_affairs", "430104000000")} <= told
    assert db_session.get(Child, child_id).region_code == "430104002001"
    titles = [e["title"] for e in api(CIVIL).get(f"/children/{child_id}").get_json()["entries"]]
    assert "迁居：由岳麓区望月湖街道望月湖社区迁至岳麓区岳麓街道桃花岭村" in titles
    assert db_session.scalars(select(AuditEntry).where(AuditEntry.action == "child.move")).one().username == CIVIL
    # and the new village signs where the old one no longer can
    complete(api, NEW_VILLAGE, "sign_village", {"signed": True, "signatory": "桃花岭村 张主任", "signed_on": "2026-11-20"})


def test_monitoring_plans_follow_the_child_and_the_institution_keeps_its_visits(api, app, db_session, start_data, clock):
    case = start_entrustment_case(api, start_data)
    complete(api, TOWNSHIP, "township_home_investigation", INVESTIGATION)
    complete(api, CIVIL, "assess_capacity", capacity_assessment("insufficient", "不足"))
    complete(api, VILLAGE, "record_guardian_consent", {"guardian_consents": True, **GUARDIAN, "consent_note": "同意"})
    complete(api, CIVIL, "choose_institution", {"care_institution_unit": demo_unit_id("yl-protection")})
    complete(api, CIVIL, "draft_agreement", DRAFT)
    for name, username in (("sign_guardian", VILLAGE), ("sign_village", VILLAGE), ("sign_township", TOWNSHIP),
                           ("sign_institution", "unit.yl-protection"), ("sign_civil_affairs", CIVIL)):
        complete(api, username, name, {"signed": True, "signatory": "签署人", "signed_on": "2026-11-20"})
    complete(api, "unit.yl-protection", "admit_child", {"admitted_on": "2026-11-20", "care_plan": "日常照料"})
    plans = db_session.scalars(select(MonitoringPlan).where(MonitoringPlan.case_id == case["id"])).all()
    assert {p.carer_unit_id for p in plans} == {demo_unit_id("yl-protection")}
    assert api(CIVIL).post(f"/children/{case['child_id']}/move", {"region": "430104002001"}).status_code == 200
    db_session.expire_all()
    assert {p.region_code for p in db_session.scalars(select(MonitoringPlan))} == {"430104002001"}
    clock.advance(__import__("datetime").timedelta(days=366))
    from tests.helpers import run_due
    run_due(app)
    # the township's return visit is opened at the new place; the centre's yearly visit at the centre
    assert only_task(api(NEW_TOWNSHIP), "supervisor_return_visit")
    assert only_task(api("unit.yl-protection"), "institution_home_visit")
    assert "institution_home_visit" not in [t["name"] for t in api("care_institution.430104000000").get("/tasks").get_json()]


def test_the_child_file_page_records_a_move_for_civil_affairs_only(browser, api, signing):
    _case, child_id = signing
    browser.sign_in(VILLAGE)
    assert "登记迁居" not in browser.get(f"/children/{child_id}?move_county=430104").get_data(as_text=True)
    assert "迁入县（区）" not in browser.get(f"/children/{child_id}").get_data(as_text=True)
    browser.post("/logout")
    browser.sign_in(CIVIL)
    assert "迁入县（区）" in browser.get(f"/children/{child_id}").get_data(as_text=True)
    page = browser.get(f"/children/{child_id}?move_county=430104").get_data(as_text=True)  # county, then village
    assert "登记迁居" in page and '<option value="430104002001">桃花岭村（430104002001）</option>' in page
    refused = browser.post(f"/children/{child_id}/move", {"region": "430104002000"})
    assert refused.status_code == 302 and "村（社区）一级" in browser.get(f"/children/{child_id}").get_data(as_text=True)
    done = browser.post(f"/children/{child_id}/move", {"region": "430104002001"})
    assert done.status_code == 302
    assert "迁居已登记" in browser.get(f"/children/{child_id}").get_data(as_text=True)
    assert api(CIVIL).get(f"/children/{child_id}").get_json()["region"] == "430104002001"


# -- the child's school ------------------------------------------------------------------------
PSYCH_START = {"monitoring_source": "school_yearly_check", "reason": "2026 学年心理健康监测"}


def start_school_check(api, start_data, **extra) -> dict:
    data = {**PSYCH_START, "child": start_data["child"], **extra}
    response = api(CIVIL).post("/processes/psych_referral/instances", {"region": "430104001001", "data": data})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_changing_the_school_re_routes_the_open_school_task_and_is_refused_when_wrong(api, db_session, start_data, clock):
    case = start_school_check(api, start_data)
    assert only_task(api("education.430104000000"), "school_check")
    child = db_session.get(Child, case["child_id"])
    users = {u: cases_user(db_session, u) for u in (CIVIL, VILLAGE)}
    with pytest.raises(Forbidden):
        units.change_school(db_session, child, units.get(db_session, demo_unit_id("yl-school-wyh")), users[VILLAGE],
                            clock.now())
    for code, message in (("yl-hospital", "请选择在用的学校"), ("yl-school-thl", "不服务儿童居住地")):
        with pytest.raises(Invalid) as err:
            units.change_school(db_session, child, units.get(db_session, demo_unit_id(code)), users[CIVIL], clock.now())
        assert message in err.value.errors["school"]
    moved = units.change_school(db_session, child, units.get(db_session, demo_unit_id("yl-school-wyh")), users[CIVIL],
                                clock.now())
    db_session.commit()
    assert [t.name for t in moved] == ["school_check"]
    assert "school_check" not in [t["name"] for t in api("education.430104000000").get("/tasks").get_json()]
    task = only_task(api("unit.yl-school-wyh"), "school_check")
    assert task["office"] == "岳麓区望月湖小学"
    assert "儿童就读的学校" in api("unit.yl-school-wyh").get(f"/tasks/{task['id']}").get_json()["why"]
    assert api("unit.yl-school-thl").get(f"/tasks/{task['id']}").status_code == 403


def cases_user(db_session, username):
    from webapp.models import User
    return db_session.scalars(select(User).where(User.username == username)).one()


def test_a_school_chosen_at_the_start_wins_and_another_school_cannot_read_the_private_file(api, start_data):
    case = start_school_check(api, start_data, school_unit=demo_unit_id("yl-school-wyh"))
    task = only_task(api("unit.yl-school-wyh"), "school_check")
    assert api("unit.yl-school-wyh").get(f"/instances/{case['id']}").status_code == 200
    # the other school shares the county education office, but not this child's psychological file
    assert api("unit.yl-school-thl").get(f"/instances/{case['id']}").status_code == 403
    assert api("unit.yl-school-thl").get(f"/tasks/{task['id']}").status_code == 403
    refused = api(CIVIL).post("/processes/psych_referral/instances", {"region": "430104001001", "data": {
        **PSYCH_START, "child": start_data["child"], "school_unit": demo_unit_id("yl-school-thl")}})
    assert refused.status_code == 422 and "school_unit" in refused.get_json()["errors"]  # not serving the place


# -- supervisors ------------------------------------------------------------------------------
def test_the_lead_supervisor_opens_only_what_it_was_told_about(api, db_session, start_data):
    start_entrustment_case(api, start_data)
    task = only_task(api(TOWNSHIP), "township_home_investigation")
    lead = "supervisor.civil_affairs.430104000000"
    assert api(lead).get(f"/tasks/{task['id']}").status_code == 403  # not overdue, not notified
    response = api(lead).post(f"/tasks/{task['id']}/reassign", {"user_id": cases_user(db_session, NEW_TOWNSHIP).id})
    assert response.status_code == 403
    assert db_session.get(HumanTask, task["id"]).office_region == "430104001000"


# -- tonghu check ------------------------------------------------------------------------------
def shipped():
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "processes").glob("*.bpmn"))}
    files |= {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "processes").glob("*.dmn"))}
    return files, load_forms(ROOT / "forms")


@pytest.mark.parametrize("form, field, element", [
    ("psych_assessment.json", "hospital_unit", "crisis_admission"),
    ("psych_screening.json", "psych_service_unit", "counselling"),
    ("psych_referral_start.json", "school_unit", "school_check"),
    ("revocation_temporary_guardianship.json", "placement_center_unit", "admit_protection_center"),
    ("visit_start.json", "care_institution_unit", "institution_home_visit"),
])
def test_every_new_unit_lane_needs_its_unit_field(form, field, element):
    files, forms = shipped()
    assert not [p for p in check_files(files, forms) if "unitFrom" in str(p)]
    forms = json.loads(json.dumps(forms))
    del forms[form]["properties"][field]
    found = [str(p) for p in check_files(files, forms)]
    assert any(element in p and "没有表单以单位选择（x-unit）填写该字段" in p for p in found), found


def test_every_unit_lane_cites_its_clause():
    for name in ("psych_referral.bpmn", "guardianship_revocation.bpmn", "monitoring_visit.bpmn", "entrustment_care.bpmn"):
        text = (ROOT / "processes" / name).read_text(encoding="utf-8")
        for lane in re.findall(r'<bpmn:lane id="[^"]+" name="[^"]+">(.*?)</bpmn:lane>', text, re.S):
            if "unitFrom" in lane:
                assert re.search(r"<bpmn:documentation>依据：\S", lane), (name, lane[:200])


# -- the designer ------------------------------------------------------------------------------
def test_the_designer_offers_unit_fields_and_shows_a_misused_unit_from_on_its_element(browser):
    from tests.test_designer import Designer
    designer = Designer(browser)
    catalog = designer.get("/designer/catalog.json").get_json()
    fields = {(f["field"], f["form"]): f["departments"] for f in catalog["unit_fields"]}
    assert fields[("hospital_unit", "psych_assessment.json")] == ["health"]
    assert fields[("care_institution_unit", "choose_institution.json")] == [
        "welfare_institution", "protection_center", "care_institution"]
    assert catalog["acts_for"]["care_institution"] == ["care_institution", "welfare_institution", "protection_center"]
    xml = designer.get("/designer/procedures/entrustment_care/files").get_json()["files"]
    main = next(f for f in xml if f["filename"] == "entrustment_care.bpmn")
    text = (main.get("draft") or {}).get("xml") or main["xml"]
    bad = text.replace('name="unitFrom" value="care_institution_unit"', 'name="unitFrom" value="hospital_unit"')
    problems = designer.post("/designer/procedures/entrustment_care/check",
                             {"files": {"entrustment_care.bpmn": bad}}).get_json()["problems"]
    flagged = {p["element"] for p in problems if "hospital_unit" in p["message"]}
    assert {"sign_institution", "admit_child"} <= flagged, problems
