"""Issue 14, resettlement: the steps the seeds give to the institution that raised the child go to
that welfare institution (lane property unitFrom = raising_institution_unit), not the city's
generic welfare-institution office; another institution's officials never see them."""
import json
from datetime import date, datetime, timezone

from tests.helpers import demo_unit_id, only_task, resident_id, run_due, start_entrustment_case
from tests.test_resettlement import IN_SCHOOL, NOT_IN_SCHOOL, travel
from tests.test_unit_routes import shipped
from webapp.models import Child, HumanTask
from webapp.services.checks import check_files

OFFICE = "welfare_institution.430100000000"
HOME = "unit.cs-welfare"
CHILD = {"name": "小安", "id_number": resident_id("430104", "2032-09-15", 22), "birth_date": "2032-09-15",
         "gender": "female"}
START = {"child": CHILD, "basis": "institution_orphan", "reason": "年满十八周岁前六个月启动安置"}


def start(api, **extra):
    response = api(OFFICE).post("/processes/orphan_resettlement/instances",
                                {"region": "430104001001", "data": {**START, **extra}})
    return response


def test_the_raising_institution_records_the_study_status_and_the_office_does_not(api, clock):
    travel(clock, "2050-03-15")
    response = start(api, raising_institution_unit=demo_unit_id("cs-welfare"))
    assert response.status_code == 201, response.get_json()
    home = api(HOME)
    task = only_task(home, "record_study_status")
    assert task["office"] == "长沙市儿童福利院"
    assert "record_study_status" not in [t["name"] for t in api(OFFICE).get("/tasks").get_json()]
    assert "raising_institution_unit" in home.get(f"/tasks/{task['id']}").get_json()["why"]
    assert api(OFFICE).post(f"/tasks/{task['id']}/complete", {"data": NOT_IN_SCHOOL}).status_code == 403
    assert api("unit.yl-protection").get(f"/tasks/{task['id']}").status_code == 403
    done = home.post(f"/tasks/{task['id']}/complete", {"data": IN_SCHOOL})
    assert done.status_code == 200, done.get_json()


def test_an_institution_of_another_department_is_refused_and_without_a_choice_the_office_acts(api, clock):
    travel(clock, "2050-03-15")
    refused = start(api, raising_institution_unit=demo_unit_id("yl-protection"))
    assert refused.status_code == 422 and "raising_institution_unit" in refused.get_json()["errors"]
    assert start(api).status_code == 201
    assert only_task(api(OFFICE), "record_study_status")
    assert "record_study_status" not in [t["name"] for t in api(HOME).get("/tasks").get_json()]


def test_check_requires_the_institution_field_before_the_lane():
    files, forms = shipped()
    assert not [p for p in check_files(files, forms) if "raising_institution_unit" in str(p)]
    forms = json.loads(json.dumps(forms))
    del forms["resettlement_start.json"]["properties"]["raising_institution_unit"]
    found = [str(p) for p in check_files(files, forms)]
    assert any("record_study_status" in p and "没有表单以单位选择（x-unit）填写该字段" in p for p in found), found


def test_the_scheduler_routes_to_the_institution_that_admitted_the_child(app, api, clock, db_session, start_data):
    """A child the chosen welfare institution admitted to long-term care (`admit_long_term` done by that
    unit): the scheduler's resettlement case goes to that institution, not to the city's office."""
    case = start_entrustment_case(api, start_data)
    child = db_session.get(Child, case["child_id"])
    child.birth_date, child.id_number = date(2032, 9, 15), resident_id("430104", "2032-09-15", 31)
    db_session.add(HumanTask(case_id=case["id"], task_guid="00000000-0000-0000-0000-00000000a001", name="admit_long_term",
                             title="儿童福利机构接收长期监护儿童", process_id="guardianship_revocation",
                             department="welfare_institution", lane_department="welfare_institution", level="city",
                             office_region="430100000000", case_region="430104001001", procedure="监护权撤销",
                             state="completed", unit_id=demo_unit_id("cs-welfare"),
                             created_at=datetime(2026, 11, 1, tzinfo=timezone.utc),
                             completed_at=datetime(2026, 11, 2, tzinfo=timezone.utc)))
    db_session.commit()
    travel(clock, "2050-03-15")
    run_due(app)
    task = only_task(api(HOME), "record_study_status")
    assert task["office"] == "长沙市儿童福利院"
    assert "record_study_status" not in [t["name"] for t in api(OFFICE).get("/tasks").get_json()]
