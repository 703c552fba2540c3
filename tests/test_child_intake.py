"""Intake of a street, abandoned or rescued child (child_intake, audit row M5): handler, API and case
diagram. The scenarios (features/child_intake.feature) walk the paths; these tests pin the edges a
user would notice: when the announcement ends, who may open an intake, what is refused and how,
and that a child already on the registry keeps its one entry and gets the category there."""
from datetime import datetime

import pytest
from lxml import etree
from sqlalchemy import func, select

from handlers.intake import announcement_end
from handlers.registry import HandlerContext, HandlerError, dispatch
from webapp.engine.clock import LOCAL_TZ
from webapp.models import Case, Child, RegistryChange
from webapp.services import scheduler

POLICE = "police.430104001000"
COUNTY = "civil_affairs.430104000000"
CENTER = "unit.yl-protection"
WELFARE = "unit.cs-welfare"
REGION = "430104001001"
NUMBER = "430104201806010016"
START = {"child": {"name": "小军"}, "found_type": "street", "source": "public_report", "found_on": "2026-11-02",
         "found_place": "望月湖街道公交站", "initial_search": "人口信息比对暂无结果"}
MEDICAL = {"checked_on": "2026-11-02", "hospital": "岳麓区人民医院", "health_findings": "无外伤", "needs_treatment": False,
           "dna_entered": True, "dna_entered_on": "2026-11-02", "dna_sample_number": "DNA-1", "identity_search": "比对无结果"}
TODAY = datetime(2026, 11, 2, 9, 0, tzinfo=LOCAL_TZ)


@pytest.fixture(autouse=True)
def pinned(clock):
    clock.travel_to(TODAY)


def start(api, data=None, username=POLICE):
    return api(username).post("/processes/child_intake/instances", {"region": REGION, "data": data or START})


def complete(api, username, name, data):
    tasks = [t for t in api(username).get("/tasks").get_json() if t["name"] == name]
    assert len(tasks) == 1, (username, name, tasks)
    return api(username).post(f"/tasks/{tasks[0]['id']}/complete", {"data": data})


def unit_id(api, department):
    return api(COUNTY).get(f"/units?department={department}&region={REGION}").get_json()[0]["id"]


# -- the handler ---------------------------------------------------------------------------------
def test_the_announcement_runs_sixty_days_from_its_publication_and_ends_at_the_next_midnight():
    assert announcement_end("2026-11-02") == datetime(2027, 1, 2, tzinfo=LOCAL_TZ)
    assert announcement_end("2027-02-28") == datetime(2027, 4, 30, tzinfo=LOCAL_TZ)
    ctx = HandlerContext(1, REGION, "child_intake", "确定公告期", {"child": {"name": "小军"}}, TODAY)
    with pytest.raises(HandlerError, match="发布日期"):
        dispatch("open_family_search", ctx, {})
    ctx = HandlerContext(1, REGION, "child_intake", "长期监护", {"child": {"name": "小军"}, "category": "left_behind"}, TODAY)
    with pytest.raises(HandlerError, match="孤儿或事实无人抚养儿童"):
        dispatch("record_state_guardianship", ctx, {})
    assert ctx.effects == []


# -- who opens it, what is refused -----------------------------------------------------------------------
def test_only_the_police_open_an_intake_and_bad_start_data_is_named_in_json(api):
    refused = start(api, username="village.430104001001")
    assert refused.status_code == 403 and refused.get_json()["error"]
    missing = start(api, {**START, "found_type": "lost_in_space", "child": {}})
    assert missing.status_code == 422
    errors = missing.get_json()["errors"]
    assert "found_type" in errors and any(key.startswith("child") for key in errors), errors
    future = start(api, {**START, "found_on": "2027-06-01"})
    assert future.status_code == 422 and "found_on" in future.get_json()["errors"]
    assert start(api).status_code == 201


def test_the_hand_over_waits_for_the_dna_entry_and_nothing_typed_is_lost(api, db_session):
    case = start(api).get_json()
    assert [t["name"] for t in api(COUNTY).get("/tasks").get_json() if t["instance_id"] == case["id"]] == []
    answer = complete(api, POLICE, "medical_check_dna", {**MEDICAL, "dna_entered": False})
    assert answer.status_code == 422 and "DNA信息录入" in answer.get_json()["errors"]["dna_entered"]
    assert complete(api, POLICE, "medical_check_dna", {k: v for k, v in MEDICAL.items() if k != "dna_sample_number"}
                    ).status_code == 422
    assert api(POLICE).get(f"/instances/{case['id']}").get_json()["open_tasks"][0]["name"] == "medical_check_dna"
    assert complete(api, POLICE, "medical_check_dna", MEDICAL).status_code == 200
    assert [t["name"] for t in api(COUNTY).get("/tasks").get_json()
            if t["instance_id"] == case["id"]] == ["decide_temporary_guardianship"]


# -- the registry: one entry, the category on it ---------------------------------------------------------
def test_a_registered_child_keeps_its_one_entry_and_gets_the_category_decided(api, app, db_session, clock):
    registered = api(COUNTY).post("/children", {"id_number": NUMBER, "name": "小军", "region": REGION,
                                                "categories": ["migrant"]})
    assert registered.status_code == 201, registered.get_json()
    case = start(api, {**START, "child": {"name": "小军", "id_number": NUMBER}}).get_json()
    assert complete(api, POLICE, "medical_check_dna", MEDICAL).status_code == 200
    assert complete(api, COUNTY, "decide_temporary_guardianship", {
        "received_on": "2026-11-02", "basis": "stray_or_unidentified",
        "protection_center_unit": unit_id(api, "protection_center")}).status_code == 200
    assert complete(api, CENTER, "admit_to_protection_center", {"admitted_on": "2026-11-02",
                                                                "care_arrangement": "生活照料"}).status_code == 200
    assert complete(api, CENTER, "publish_announcement", {"published_on": "2026-11-02", "channel": "湖南日报",
                                                          "announcement_text": "寻亲"}).status_code == 200
    clock.travel_to(datetime(2027, 1, 2, 0, 0, tzinfo=LOCAL_TZ))
    scheduler.run_due_work(db_session, app.extensions["tonghu.engine"], clock.now())
    db_session.commit()
    assert complete(api, COUNTY, "decide_long_term_guardianship", {
        "decided_on": "2027-01-02", "category": "de_facto_unsupported",
        "welfare_unit": unit_id(api, "welfare_institution")}).status_code == 200
    db_session.expire_all()
    child = db_session.scalars(select(Child).where(Child.id_number == NUMBER)).one()
    assert db_session.get(Case, case["id"]).child_id == registered.get_json()["id"] == child.id
    assert sorted(child.categories) == ["de_facto_unsupported", "migrant"]
    assert db_session.scalar(select(func.count()).select_from(Child).where(Child.name == "小军")) == 1
    change = db_session.scalars(select(RegistryChange).where(RegistryChange.child_id == child.id,
                                                             RegistryChange.kind == "state_guardianship")).one()
    assert change.user.username == COUNTY and "事实无人抚养儿童" in change.reason
    assert [t["name"] for t in api(WELFARE).get("/tasks").get_json()] == ["admit_to_welfare_institution"]


# -- the case diagram --------------------------------------------------------------------------------------
def test_the_case_diagram_draws_every_element_with_the_open_step(api, browser):
    case = start(api).get_json()
    browser.sign_in(POLICE)
    data = browser.get(f"/cases/{case['id']}/diagram.json")
    assert data.status_code == 200
    body = data.get_json()
    (diagram,) = [d for d in body["diagrams"] if "child_intake" in d["xml"]]
    root = etree.fromstring(diagram["xml"].encode())
    ns = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI"}
    process = root.find("bpmn:process", ns)
    drawn = {e.get("bpmnElement") for e in root.iterfind(".//bpmndi:BPMNShape", ns)} | \
        {e.get("bpmnElement") for e in root.iterfind(".//bpmndi:BPMNEdge", ns)}
    elements = {e.get("id") for e in process if e.get("id") and not e.tag.endswith("laneSet")} | \
        {lane.get("id") for lane in process.iterfind(".//bpmn:lane", ns)}
    assert {"medical_check_dna", "announcement_expired", "flow_expired", "lane_protection_center"} <= elements
    assert elements - drawn == set()
    assert "medical_check_dna" in str(body)
