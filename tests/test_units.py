"""Units: routing to the unit chosen in the case's data (web, API), the unit list, the form's
unit choice validated on the server, unit administration rules and `tonghu check` of unitFrom."""
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import Api
from tests.helpers import GUARDIAN, agreement_draft, capacity_assessment, only_task, start_entrustment_case
from webapp.models import Office, Unit, User
from webapp.services import organisation, units
from webapp.services.checks import check_files
from webapp.services.errors import Invalid
from webapp.services.forms import load_forms

ROOT = Path(__file__).resolve().parent.parent
VILLAGE, TOWNSHIP, CIVIL = "village.430104001001", "township.430104001000", "civil_affairs.430104000000"
PROTECTION, WELFARE = "unit.yl-protection", "unit.cs-welfare"
INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈多病",
                 "income": "低保", "living_conditions": "祖孙二人同住"}


def unit_named(db_session, name) -> Unit:
    return db_session.scalars(select(Unit).where(Unit.name == name)).one()


def complete(api, username, name, data):
    response = api(username).post(f"/tasks/{only_task(api(username), name)['id']}/complete", {"data": data})
    assert response.status_code == 200, response.get_json()


@pytest.fixture
def at_choice(api, start_data):
    """An entrustment case waiting for civil affairs to choose the care institution."""
    start_entrustment_case(api, start_data)
    complete(api, TOWNSHIP, "township_home_investigation", INVESTIGATION)
    complete(api, CIVIL, "assess_capacity", capacity_assessment("insufficient", "不足"))
    complete(api, VILLAGE, "record_guardian_consent", {"guardian_consents": True, **GUARDIAN, "consent_note": "同意"})
    return only_task(api(CIVIL), "choose_institution")["id"]


DRAFT = agreement_draft()


def draft(api):
    complete(api, CIVIL, "draft_agreement", DRAFT)


def choice(unit_id=None):
    """The care institution is chosen from the units; its name comes from the unit (never typed)."""
    return {} if unit_id is None else {"care_institution_unit": unit_id}


# -- routing, through the API ------------------------------------------------------------------
def test_the_chosen_unit_gets_the_signature_and_no_other_institution_sees_it(api, db_session, at_choice):
    centre = unit_named(db_session, "岳麓区未成年人救助保护中心").id
    assert api(CIVIL).post(f"/tasks/{at_choice}/complete", {"data": choice(centre)}).status_code == 200
    draft(api)
    task = only_task(api(PROTECTION), "sign_institution")
    assert task["office"] == "岳麓区未成年人救助保护中心"
    detail = api(PROTECTION).get(f"/tasks/{task['id']}").get_json()
    assert "由案件中选定的委托照护机构办理：岳麓区未成年人救助保护中心" in detail["why"]
    assert "care_institution_unit" in detail["why"]
    for other in (WELFARE, "care_institution.430104000000", "protection_center.430104000000"):
        assert "sign_institution" not in [t["name"] for t in api(other).get("/tasks").get_json()], other
        assert api(other).get(f"/tasks/{task['id']}").status_code == 403, other
    # a unit's official sees only the unit's tasks: nothing of the office's
    assert {t["office"] for t in api(PROTECTION).get("/tasks").get_json()} == {"岳麓区未成年人救助保护中心"}


def test_the_care_institution_must_be_chosen_and_its_name_is_the_units(api, db_session, at_choice):
    """hunan §三.2: the agreement names one institution and that one signs: no choice, no agreement;
    a typed name beside the choice is refused (the name is the chosen unit's)."""
    response = api(CIVIL).post(f"/tasks/{at_choice}/complete", {"data": choice()})
    assert response.status_code == 422 and response.get_json()["errors"]["care_institution_unit"] == "请选择委托照护机构"
    centre = unit_named(db_session, "岳麓区未成年人救助保护中心").id
    typed = api(CIVIL).post(f"/tasks/{at_choice}/complete",
                            {"data": {**choice(centre), "institution_name": "长沙市儿童福利院"}})
    assert typed.status_code == 422
    assert only_task(api(CIVIL), "choose_institution")["id"] == at_choice  # nothing moved
    assert api(CIVIL).post(f"/tasks/{at_choice}/complete", {"data": choice(centre)}).status_code == 200
    draft(api)
    assert only_task(api(PROTECTION), "sign_institution")
    assert "sign_institution" not in [t["name"] for t in api("care_institution.430104000000").get("/tasks").get_json()]
    task = only_task(api(CIVIL), "sign_civil_affairs")
    assert api(CIVIL).get(f"/tasks/{task['id']}").get_json()["data"]["institution_name"] == "岳麓区未成年人救助保护中心"


@pytest.mark.parametrize("bad", [999999, "1", True, -3])
def test_an_id_that_is_no_serving_unit_is_refused(api, db_session, at_choice, bad):
    school = unit_named(db_session, "岳麓区望月湖小学").id
    for value in (bad, school):
        response = api(CIVIL).post(f"/tasks/{at_choice}/complete", {"data": choice(value)})
        assert response.status_code == 422, value
        assert "care_institution_unit" in response.get_json()["errors"]
    assert only_task(api(CIVIL), "choose_institution")["id"] == at_choice  # nothing moved


def test_a_deactivated_unit_is_no_longer_offered_nor_accepted(api, db_session, at_choice):
    centre = unit_named(db_session, "岳麓区未成年人救助保护中心")
    units.set_active(db_session, centre.id, False)
    db_session.commit()
    form = api(CIVIL).get(f"/tasks/{at_choice}").get_json()["form"]
    assert centre.id not in form["properties"]["care_institution_unit"]["enum"]
    response = api(CIVIL).post(f"/tasks/{at_choice}/complete", {"data": choice(centre.id)})
    assert response.status_code == 422 and response.get_json()["errors"]["care_institution_unit"] == "请从给定选项中选择"


# -- the form, in the browser ------------------------------------------------------------------
def test_the_task_page_offers_the_institutions_serving_the_place(browser, api, db_session, at_choice):
    browser.sign_in(CIVIL)
    text = browser.get(f"/tasks/{at_choice}").get_data(as_text=True)
    select_html = re.search(r'<select id="f-care_institution_unit" name="care_institution_unit">(.*?)</select>', text, re.S)
    assert select_html, "the unit field is a select"
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', select_html.group(1))
    assert sorted(name for _id, name in options) == ["岳麓区未成年人救助保护中心", "长沙市儿童福利院"]
    centre = unit_named(db_session, "岳麓区未成年人救助保护中心").id
    school = unit_named(db_session, "岳麓区望月湖小学").id
    refused = browser.post(f"/tasks/{at_choice}", {**choice(), "care_institution_unit": str(school)})
    assert refused.status_code == 422 and "请从给定选项中选择" in refused.get_data(as_text=True)
    done = browser.post(f"/tasks/{at_choice}", {**choice(), "care_institution_unit": str(centre)})
    assert done.status_code == 302
    draft(api)
    assert only_task(api(PROTECTION), "sign_institution")


# -- the unit list (API) ---------------------------------------------------------------------
def test_units_serving_a_place(api):
    client = api(VILLAGE)
    schools = client.get("/units?department=education&region=430104001001").get_json()
    assert [u["name"] for u in schools] == ["岳麓区望月湖小学"]
    assert schools[0]["department_name"] == "教育局及学校" and schools[0]["serves"] == ["430104001"]
    other = client.get("/units?department=education&region=430104002001").get_json()
    assert [u["name"] for u in other] == ["岳麓区桃花岭小学"]
    assert client.get("/units?department=education&region=310104001001").get_json() == []
    hospitals = client.get("/units?department=health&region=430104002001").get_json()
    assert len(hospitals) == 2
    assert len(client.get("/units").get_json()) >= 6


@pytest.mark.parametrize("query, field", [("department=orphanage", "department"), ("region=43", "region"),
                                          ("region=４３０１０４００１００１", "region")])
def test_units_bad_query_is_422_naming_the_field(api, query, field):
    response = api(VILLAGE).get(f"/units?{query}")
    assert response.status_code == 422 and field in response.get_json()["errors"]


# -- administering units (service) -----------------------------------------------------------
def test_unit_values_are_checked_with_chinese_messages(db_session):
    good = {"code": "yl-school-new", "name": "岳麓区新小学", "department": "education", "region": "430104002000",
            "serves": "430104002, 430104001"}
    unit = units.create(db_session, good)
    assert unit.serve_prefixes == ["430104002", "430104001"] and unit.serves_region("430104001002")
    with pytest.raises(Invalid) as err:
        units.create(db_session, {**good, "name": " ", "department": "orphanage", "region": "999999999999",
                                  "serves": "abc"})
    assert set(err.value.errors) == {"code", "name", "department", "region", "serves"}
    assert "已被“岳麓区新小学”使用" in err.value.errors["code"]
    with pytest.raises(Invalid) as err:
        units.create(db_session, {**good, "code": "Bad Code!"})
    assert "简码" in err.value.errors["code"]
    db_session.rollback()


# -- tonghu check ----------------------------------------------------------------------------
def shipped():
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "processes").glob("*.bpmn"))}
    files |= {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "processes").glob("*.dmn"))}
    return files, load_forms(ROOT / "forms")


def messages(files, forms) -> str:
    return "\n".join(str(p) for p in check_files(files, forms))


def test_check_accepts_the_shipped_unit_lane():
    files, forms = shipped()
    assert "unitFrom" not in messages(files, forms) and "x-unit" not in messages(files, forms)


def test_check_refuses_a_unit_field_no_form_fills():
    files, forms = shipped()
    files["entrustment_care.bpmn"] = files["entrustment_care.bpmn"].replace(
        'name="unitFrom" value="care_institution_unit"', 'name="unitFrom" value="chosen_school"')
    found = messages(files, forms)
    assert "sign_institution" in found and "没有表单以单位选择（x-unit）填写该字段" in found


def test_check_refuses_units_of_another_department():
    files, forms = shipped()
    forms = json.loads(json.dumps(forms))
    forms["choose_institution.json"]["properties"]["care_institution_unit"]["x-unit"] = {"department": "education"}
    found = messages(files, forms)
    assert "可选的单位属于教育局及学校，不能办理该泳道的任务" in found


def test_check_refuses_a_field_filled_only_after_the_task():
    files, forms = shipped()
    forms = json.loads(json.dumps(forms))
    forms["admit_child.json"]["properties"]["late_unit"] = {"type": "integer", "x-unit": {"department": "protection_center"}}
    files["entrustment_care.bpmn"] = files["entrustment_care.bpmn"].replace(
        'name="unitFrom" value="care_institution_unit"', 'name="unitFrom" value="late_unit"')
    found = messages(files, forms)
    assert "sign_institution" in found and "没有表单以单位选择（x-unit）填写该字段" in found


def test_a_unit_official_sees_the_unit_named_on_the_pages(browser):
    browser.sign_in(PROTECTION)
    text = browser.get("/").get_data(as_text=True)
    # the unit's account is named after the unit: the header names it once (user), not twice (office)
    assert '<span class="user">岳麓区未成年人救助保护中心</span>' in text
    assert text.count("岳麓区未成年人救助保护中心</span>") == 1


def test_a_supervisor_of_the_department_sees_the_unit_task_and_reassigns_only_inside_the_unit(
        api, db_session, at_choice, clock):
    office = db_session.scalars(select(Office).where(Office.department_code == "protection_center",
                                                     Office.region_code == "430104000000")).one()
    organisation.create_user(db_session, "supervisor.protection", "救助保护主管", "Protect-super-2026", "supervisor",
                             office.id, clock.now())
    db_session.commit()
    centre = unit_named(db_session, "岳麓区未成年人救助保护中心").id
    assert api(CIVIL).post(f"/tasks/{at_choice}/complete", {"data": choice(centre)}).status_code == 200
    draft(api)
    supervisor = Api(api(CIVIL).client, "supervisor.protection", "Protect-super-2026")
    task = only_task(supervisor, "sign_institution")
    assert task["office"] == "岳麓区未成年人救助保护中心"
    users = {u.username: u.id for u in db_session.scalars(select(User))}
    refused = supervisor.post(f"/tasks/{task['id']}/reassign", {"user_id": users["protection_center.430104000000"]})
    assert refused.status_code == 422  # the office's official may not take the unit's task
    moved = supervisor.post(f"/tasks/{task['id']}/reassign", {"user_id": users[PROTECTION]})
    assert moved.status_code == 200 and moved.get_json()["claimed_by"] == PROTECTION
