"""Resettlement of orphans at 18: the start rule and job, timers, the handler, the API and the web UI.

The Chinese scenarios (features/orphan_resettlement.feature) walk every branch; these tests pin
down the rules behind them and drive the same procedure through the JSON API and the browser.
"""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from handlers import HandlerContext, HandlerError
from handlers.resettlement import generate_resettlement_plan_document
from webapp import db
from webapp.models import Case, Child, User, WaitingTimer
from webapp.services import cases, definitions, resettlement, scheduler, sessions
from webapp.services.errors import Invalid

from webapp.engine.clock import LOCAL_TZ as CHINA
REGION = "310104001001"
INSTITUTION = "welfare_institution.310100000000"
CIVIL = "civil_affairs.310100000000"
DISTRICT = "district_government.310104000000"
HOUSING = "housing.310104000000"
POLICE = "police.310104000000"
HR = "hr_social_security.310104000000"
STREET = "township.310104001000"
SOCIAL_WELFARE = "social_welfare_institution.310100000000"

CHILD = {"name": "小华", "id_number": "310104203209150020", "birth_date": "2032-09-15", "gender": "female"}
START = {"child": CHILD, "basis": "institution_orphan", "reason": "年满十八周岁前六个月启动安置"}
NOT_IN_SCHOOL = {"in_school": False}
IN_SCHOOL = {"in_school": True, "study_stage": "secondary_vocational", "school_name": "上海市某中等职业学校",
             "study_end_date": "2051-06-30", "enrolment_proof": "在学证明第 1 号", "enrolment_proof_date": "2049-09-01"}


def assessment(result, on="2050-04-01"):
    level = "sufficient" if result == "able" else "insufficient"
    return {"independent_living": level, "work_ability": level, "self_care": "sufficient",
            "physical_mental_state": "身体健康", "assessment_result": result,
            "assessment_summary": "评估意见", "assessed_on": on}


PLAN = {"housing_plan": "公共租赁住房", "new_residence_street": "310104001000", "household_registration_plan": "迁入新住所",
        "employment_plan": "就业援助",
        "care_plan": "街道结对关爱", "planned_move_date": "2050-10-01"}


def moment(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=CHINA)


def travel(clock, day: str):
    clock.travel_to(moment(day))


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session()


@pytest.fixture
def engine(app):
    return app.extensions["tonghu.engine"]


def run_jobs(session, engine, clock) -> dict:
    results = scheduler.run_due_work(session, engine, clock.now())
    session.commit()
    return results


def register(session, clock, info=CHILD, region=REGION, in_care=True):
    child = resettlement.register_in_care(session, info, region, in_care, clock.now())
    session.commit()
    return child


def resettlement_cases(session, child) -> list[Case]:
    return [c for c in cases.cases_of(session, child) if c.definition.process_id == "orphan_resettlement"]


# -- dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize("birth, adult, start", [
    ("2032-09-15", "2050-09-15", "2050-03-15"),
    ("2032-08-31", "2050-08-31", "2050-02-28"),   # no 31 February: the last day of that month
    ("2032-02-29", "2050-03-01", "2049-09-01"),   # born on 29 February: of age on 1 March
    ("2033-01-10", "2051-01-10", "2050-07-10"),   # across the turn of the year
])
def test_start_six_months_before_the_18th_birthday(birth, adult, start):
    birth = date.fromisoformat(birth)
    assert resettlement.adulthood_date(birth) == date.fromisoformat(adult)
    assert resettlement.start_date(birth) == date.fromisoformat(start)
    first = date.fromisoformat(start)
    assert not resettlement.is_due(birth, first - timedelta(days=1))
    assert resettlement.is_due(birth, first)
    assert resettlement.is_due(birth, date.fromisoformat(adult) - timedelta(days=1))
    assert not resettlement.is_due(birth, date.fromisoformat(adult))


def test_the_day_is_counted_in_china_standard_time():
    assert resettlement.local_today(datetime(2050, 3, 14, 16, 0, tzinfo=timezone.utc)) == date(2050, 3, 15)
    assert resettlement.local_today(datetime(2050, 3, 14, 15, 59, tzinfo=timezone.utc)) == date(2050, 3, 14)


# -- the scheduler job ----------------------------------------------------------------------------
def test_job_starts_once_on_the_start_date(session, engine, clock):
    travel(clock, "2050-01-10")
    child = register(session, clock)
    travel(clock, "2050-03-14T23:00")
    assert run_jobs(session, engine, clock)["resettlement_starts"] == 0
    assert resettlement_cases(session, child) == []
    travel(clock, "2050-03-15")
    assert run_jobs(session, engine, clock)["resettlement_starts"] == 1
    assert run_jobs(session, engine, clock)["resettlement_starts"] == 0
    travel(clock, "2050-06-01")
    assert run_jobs(session, engine, clock)["resettlement_starts"] == 0
    [case] = resettlement_cases(session, child)
    assert case.region_code == REGION and case.started_by is None and case.status == "running"
    assert cases.task_data(engine, cases.open_tasks(session, case)[0])["basis"] == "institution_orphan"
    assert [t.name for t in cases.open_tasks(session, case)] == ["record_study_status"]
    [opened] = [e for e in cases.file_entries(session, child) if e.title.startswith("立案")]
    assert "2050-09-15" in opened.data["reason"]


def test_job_catches_up_after_downtime_but_not_after_the_birthday(session, engine, clock):
    travel(clock, "2050-01-10")
    late = register(session, clock)
    adult = register(session, clock, {**CHILD, "name": "小明", "id_number": "310104203201010023", "birth_date": "2032-01-01"})
    travel(clock, "2050-08-01")   # the job did not run between 15 March and now
    assert run_jobs(session, engine, clock)["resettlement_starts"] == 1
    assert len(resettlement_cases(session, late)) == 1
    assert resettlement_cases(session, adult) == []   # 18 since 1 January: started by hand


def test_only_children_in_care_are_started(session, engine, clock):
    travel(clock, "2050-01-10")
    register(session, clock, {**CHILD, "name": "离院", "id_number": "310104203209150047"})
    register(session, clock, {**CHILD, "name": "离院", "id_number": "310104203209150047"}, in_care=False)
    back = register(session, clock, {**CHILD, "name": "回院", "id_number": "31010420320915008X"}, in_care=False)
    register(session, clock, {**CHILD, "name": "回院", "id_number": "31010420320915008X"})
    outside = Child(id_number="310104203209150051", name="散居", birth_date=date(2032, 9, 15), gender="male",
                    region_code=REGION, created_at=clock.now())
    session.add(outside)
    session.commit()
    travel(clock, "2050-03-15")
    assert run_jobs(session, engine, clock)["resettlement_starts"] == 1
    started = session.scalars(select(Case.child_id)).all()
    assert started == [back.id]


def test_a_child_started_by_hand_is_not_started_again(session, engine, clock):
    travel(clock, "2050-03-01")
    case = cases.start_case(session, engine, "orphan_resettlement", REGION, START,
                            _user(session, INSTITUTION), clock.now())
    session.commit()
    register(session, clock)
    travel(clock, "2050-03-15")
    assert run_jobs(session, engine, clock)["resettlement_starts"] == 0
    assert [c.id for c in resettlement_cases(session, case.child)] == [case.id]


def test_registering_needs_a_street_and_a_valid_child(session, clock):
    travel(clock, "2050-01-10")  # CHILD is born in 2032
    with pytest.raises(Invalid) as err:
        resettlement.register_in_care(session, CHILD, "310104000000", True, clock.now())
    assert "region" in err.value.errors
    with pytest.raises(Invalid) as err:
        resettlement.register_in_care(session, {**CHILD, "id_number": "123"}, REGION, True, clock.now())
    assert "id_number" in err.value.errors


ADMISSION_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="https://tonghu.example/bpmn">
  <bpmn:collaboration id="c"><bpmn:participant id="p" name="集中养育登记" processRef="test_admission"/></bpmn:collaboration>
  <bpmn:process id="test_admission" name="集中养育登记" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="lane_institution" name="市儿童福利机构">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="department" value="welfare_institution"/><spiffworkflow:property name="level" value="city"/>
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>admit</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" name="登记"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="formJsonSchemaFilename" value="resettlement_start.json"/>
    </spiffworkflow:properties></bpmn:extensionElements><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="admit" name="接收入院"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="formJsonSchemaFilename" value="test_admission.json"/>
    </spiffworkflow:properties></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="end" name="完成"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="admit"/>
    <bpmn:sequenceFlow id="f2" sourceRef="admit" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""
ADMISSION_FORM = {"type": "object", "properties": {
    "admitted_on": {"type": "string", "format": "date", "title": "入院日期"},
    "in_institution_care": {"type": "boolean", "title": "由市儿童福利机构集中养育"}},
    "required": ["admitted_on", "in_institution_care"], "additionalProperties": False}


def test_a_task_that_records_in_institution_care_marks_the_child(session, engine, clock):
    """The contract for other procedures: a form field `in_institution_care` on any completed task."""
    start_form = definitions.latest(session, "orphan_resettlement").forms["resettlement_start.json"]
    definitions.deploy(session, {"test_admission.bpmn": ADMISSION_BPMN},
                       {"resettlement_start.json": start_form, "test_admission.json": ADMISSION_FORM}, clock.now())
    travel(clock, "2050-01-10")
    institution = _user(session, INSTITUTION)
    admission = cases.start_case(session, engine, "test_admission", REGION, START, institution, clock.now())
    [task] = cases.open_tasks(session, admission)
    cases.complete_task(session, engine, task.id, {"admitted_on": "2040-05-01", "in_institution_care": True},
                        institution, clock.now())
    session.commit()
    travel(clock, "2050-03-15")
    assert run_jobs(session, engine, clock)["resettlement_starts"] == 1
    assert len(resettlement_cases(session, admission.child)) == 1


def test_the_welfare_institution_admission_task_marks_the_child(session, engine, clock, monkeypatch):
    """Admission steps named in ADMISSION_TASKS count without a marker field; a later `false` ends care."""
    monkeypatch.setattr(resettlement, "ADMISSION_TASKS", {("test_admission", "admit")})
    plain_form = {**ADMISSION_FORM, "properties": {"admitted_on": ADMISSION_FORM["properties"]["admitted_on"]},
                  "required": ["admitted_on"]}
    start_form = definitions.latest(session, "orphan_resettlement").forms["resettlement_start.json"]
    definitions.deploy(session, {"test_admission.bpmn": ADMISSION_BPMN},
                       {"resettlement_start.json": start_form, "test_admission.json": plain_form}, clock.now())
    institution = _user(session, INSTITUTION)
    travel(clock, "2050-01-10")
    children = []
    for name, id_number in (("留院", "310104203209150063"), ("被收养", "310104203209150100")):
        data = {**START, "child": {**CHILD, "name": name, "id_number": id_number}}
        admission = cases.start_case(session, engine, "test_admission", REGION, data, institution, clock.now())
        [task] = cases.open_tasks(session, admission)
        cases.complete_task(session, engine, task.id, {"admitted_on": "2040-05-01"}, institution, clock.now())
        children.append(admission.child)
    session.commit()
    assert resettlement.children_in_care(session, [c.id for c in children]) == {c.id for c in children}
    travel(clock, "2050-02-01")
    resettlement.record_institution_care(session, children[1], False, clock.now(), institution, "被依法收养")
    session.commit()
    assert resettlement.children_in_care(session, [c.id for c in children]) == {children[0].id}
    travel(clock, "2050-03-15")
    assert run_jobs(session, engine, clock)["resettlement_starts"] == 1
    [case] = resettlement_cases(session, children[0])
    [task] = cases.open_tasks(session, case)
    assert cases.task_data(engine, task)["basis"] == "court_designated_civil_affairs"


def test_admission_tasks_exist_in_their_diagrams(session):
    """ADMISSION_TASKS name user tasks of the welfare institution in deployed diagrams."""
    for process_id, task_name in resettlement.ADMISSION_TASKS:
        definition = definitions.latest(session, process_id)
        assert definition is not None, f"{process_id} is not deployed"
        lane = definitions.bundle_of(definition).lane_of(process_id, task_name)
        assert lane is not None and (lane.department, lane.level) == ("welfare_institution", "city"), (process_id, task_name)


def test_timers_fire_through_the_cli_command(runner, session, clock):
    travel(clock, "2050-01-10")
    child = register(session, clock)
    result = runner.invoke(args=["timers", "fire", "--as-of", "2050-03-15T00:00:00+08:00"])
    assert result.exit_code == 0, result.output
    assert "resettlement_starts: 1" in result.output
    session.expire_all()
    assert len(resettlement_cases(session, child)) == 1


# -- timers inside the case --------------------------------------------------------------------------
def _user(session, username):
    return session.scalars(select(User).where(User.username == username)).one()


def _complete(session, engine, clock, case, name, data, username):
    [task] = [t for t in cases.open_tasks(session, case) if t.name == name]
    case = cases.complete_task(session, engine, task.id, data, _user(session, username), clock.now())
    session.commit()
    return case


def _timers(session, case):
    return {(t.name, t.fire_at.astimezone(CHINA).isoformat())
            for t in session.scalars(select(WaitingTimer).where(WaitingTimer.case_id == case.id))}


def _started(session, engine, clock, day="2050-03-15") -> Case:
    travel(clock, day)
    case = cases.start_case(session, engine, "orphan_resettlement", REGION, START, _user(session, INSTITUTION), clock.now())
    session.commit()
    return case


def test_study_end_date_becomes_a_recorded_timer_that_fires(session, engine, clock):
    case = _started(session, engine, clock)
    case = _complete(session, engine, clock, case, "record_study_status",
                     {**IN_SCHOOL, "enrolment_proof_date": "2050-09-01"}, INSTITUTION)
    case = _complete(session, engine, clock, case, "confirm_allowance", {"allowance_until": "2051-06-30"}, CIVIL)
    workflow = engine.loads(case.workflow_json)
    [pending] = engine.pending_timers(workflow)
    assert pending.name == "申报的学业结束日期" and pending.fire_at == moment("2051-06-30")
    assert _timers(session, case) == {("申报的学业结束日期", "2051-06-30T00:00:00+08:00")}
    travel(clock, "2051-06-29T23:59")
    run_jobs(session, engine, clock)
    assert cases.open_tasks(session, case) == []
    travel(clock, "2051-06-30")
    assert run_jobs(session, engine, clock)["timers"] == 1
    assert [t.name for t in cases.open_tasks(session, case)] == ["confirm_study_completion"]
    assert _timers(session, case) == set()


@pytest.mark.slow
def test_yearly_proof_of_enrolment_for_years_of_study(session, engine, clock):
    """A long course (the loop stays far below SpiffWorkflow's depth limit) ends in the assessment."""
    case = _started(session, engine, clock)
    case = _complete(session, engine, clock, case, "record_study_status",
                     {**IN_SCHOOL, "study_end_date": "2065-06-30", "enrolment_proof_date": "2049-09-01"}, INSTITUTION)
    case = _complete(session, engine, clock, case, "confirm_allowance", {"allowance_until": "2065-06-30"}, CIVIL)
    for year in range(2050, 2065):
        assert _timers(session, case) == {("在学证明满一年", f"{year}-09-01T00:00:00+08:00")}
        travel(clock, f"{year}-09-01")
        run_jobs(session, engine, clock)
        case = _complete(session, engine, clock, case, "verify_enrolment", {
            "in_school": True, "enrolment_proof": f"{year} 学年在学证明", "enrolment_proof_date": f"{year}-09-01",
            "study_end_date": "2065-06-30"}, INSTITUTION)
    assert _timers(session, case) == {("申报的学业结束日期", "2065-06-30T00:00:00+08:00")}
    travel(clock, "2065-06-30")
    run_jobs(session, engine, clock)
    case = _complete(session, engine, clock, case, "confirm_study_completion",
                     {"in_school": False, "graduated_on": "2065-06-30"}, INSTITUTION)
    assert case.status == "running"
    assert [t.name for t in cases.open_tasks(session, case)] == ["assess_after_study"]
    verifications = [t for t in cases.completed_tasks(session, case) if t.name == "verify_enrolment"]
    assert len(verifications) == 15


@pytest.mark.slow
def test_follow_up_visits_repeat_at_the_chosen_interval(session, engine, clock):
    case = _started(session, engine, clock, "2050-09-15")
    case = _complete(session, engine, clock, case, "record_study_status", NOT_IN_SCHOOL, INSTITUTION)
    case = _complete(session, engine, clock, case, "assess_before_adulthood", assessment("able"), CIVIL)
    case = _complete(session, engine, clock, case, "draft_resettlement_plan", PLAN, INSTITUTION)
    case = _complete(session, engine, clock, case, "approve_resettlement_plan",
                     {"plan_approved": True, "approval_opinion": "同意", "housing_opinion": "同意", "household_registration_opinion": "同意", "employment_opinion": "同意"}, CIVIL)
    case = _complete(session, engine, clock, case, "accept_resettlement",
                     {"accepted_on": "2050-09-16", "coordinator": "王科长", "instructions": "落实"}, DISTRICT)
    case = _complete(session, engine, clock, case, "arrange_housing",
                     {"housing_type": "public_rental", "address": "某路 1 号", "move_in_date": "2050-10-01"}, HOUSING)
    case = _complete(session, engine, clock, case, "arrange_household_registration",
                     {"registered_address": "某路 1 号", "registered_on": "2050-10-01"}, POLICE)
    case = _complete(session, engine, clock, case, "arrange_employment",
                     {"employment_status": "training", "employment_support": "职业培训"}, HR)
    case = _complete(session, engine, clock, case, "long_term_care_measures",
                     {"care_measures": "结对关爱", "contact_person": "李社工", "follow_up_interval": "P1M"}, STREET)
    for visit in range(24):   # two years of monthly visits
        clock.advance(timedelta(days=32))
        run_jobs(session, engine, clock)
        case = _complete(session, engine, clock, case, "follow_up_visit", {
            "visited_on": clock.now().astimezone(CHINA).date().isoformat(), "situation": "稳定",
            "continue_follow_up": visit < 23}, STREET)
    assert case.status == "completed" and case.end_event == "end_resettled"


# -- the handler ------------------------------------------------------------------------------------
def _context(data):
    return HandlerContext(case_id=1, region_code=REGION, process_id="orphan_resettlement", task_title="生成安置方案文书",
                          data=data, now=datetime(2050, 4, 1, tzinfo=timezone.utc))


def test_plan_document_is_filed_only_for_an_approved_complete_plan():
    data = {"child": CHILD, "adulthood_date": "2050-09-15", **assessment("able"), **PLAN,
            "plan_approved": True, "approval_opinion": "同意，请徐汇区落实 <b>"}
    ctx = _context(data)
    assert generate_resettlement_plan_document(ctx)["title"] == "孤儿回归社会安置方案"
    [document] = ctx.documents
    assert "小华" in document.html and "公共租赁住房" in document.html and "2050-09-15" in document.html
    assert "&lt;b&gt;" in document.html
    with pytest.raises(HandlerError) as err:
        generate_resettlement_plan_document(_context({**data, "plan_approved": False}))
    assert err.value.code == "not_approved"
    with pytest.raises(HandlerError) as err:
        generate_resettlement_plan_document(_context({**data, "employment_plan": ""}))
    assert err.value.code == "incomplete_plan" and "就业" in err.value.message


# -- the JSON API -------------------------------------------------------------------------------------
class TokenClient:
    """An /api/v1 client with a token issued directly (`POST /auth/token` is tested in test_api.py;
    checking nine passwords here would only make this test slow)."""

    def __init__(self, client, token):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path):
        return self.client.get(f"/api/v1{path}", headers=self.headers)

    def post(self, path, json=None):
        return self.client.post(f"/api/v1{path}", headers=self.headers, json=json if json is not None else {})


@pytest.fixture
def api(app, client):
    clients = {}

    def for_user(username):
        if username not in clients:
            with app.app_context():
                token = sessions.open_session(db.session(), _user(db.session(), username), "api", datetime.now(timezone.utc))
                db.session().commit()
            clients[username] = TokenClient(client, token)
        return clients[username]
    return for_user


def _api_task(client, name):
    tasks = [t for t in client.get("/tasks").get_json() if t["name"] == name]
    assert len(tasks) == 1, tasks
    return tasks[0]


def _api_complete(api, username, name, data, status=200):
    client = api(username)
    response = client.post(f"/tasks/{_api_task(client, name)['id']}/complete", {"data": data})
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_unable_then_able_after_rehabilitation_through_the_api(app, api, clock):
    travel(clock, "2050-03-15")
    response = api(INSTITUTION).post("/processes/orphan_resettlement/instances", {"region": REGION, "data": START})
    assert response.status_code == 201, response.get_json()
    case_id = response.get_json()["id"]
    assert api(HOUSING).post("/processes/orphan_resettlement/instances",
                             {"region": REGION, "data": START}).status_code == 403
    refused = _api_complete(api, INSTITUTION, "record_study_status", {"in_school": True}, 422)
    assert set(refused["errors"]) >= {"study_end_date", "enrolment_proof_date", "school_name"}
    _api_complete(api, INSTITUTION, "record_study_status", NOT_IN_SCHOOL)
    _api_complete(api, CIVIL, "assess_before_adulthood", assessment("unable"))
    travel(clock, "2050-09-20")
    _api_complete(api, SOCIAL_WELFARE, "admit_for_continued_support",
                  {"institution_name": "上海市第一社会福利院", "admitted_on": "2050-09-20", "support_plan": "集中供养"})
    _api_complete(api, SOCIAL_WELFARE, "vocational_rehabilitation",
                  {"rehabilitation_program": "庇护工场", "completed_on": "2051-03-20", "outcome": "进步明显"})
    travel(clock, "2051-03-25")
    _api_complete(api, CIVIL, "second_assessment", assessment("able", "2051-03-25"))
    _api_complete(api, INSTITUTION, "draft_resettlement_plan", PLAN)
    _api_complete(api, CIVIL, "approve_resettlement_plan", {"plan_approved": True, "approval_opinion": "同意",
                                                               "housing_opinion": "同意", "household_registration_opinion": "同意", "employment_opinion": "同意"})
    _api_complete(api, DISTRICT, "accept_resettlement",
                  {"accepted_on": "2051-04-01", "coordinator": "王科长", "instructions": "落实"})
    instance = api(CIVIL).get(f"/instances/{case_id}").get_json()
    assert sorted(t["name"] for t in instance["open_tasks"]) == [
        "arrange_employment", "arrange_household_registration", "arrange_housing"]
    assert {t["name"]: t["department"] for t in instance["open_tasks"]} == {
        "arrange_housing": "housing", "arrange_household_registration": "police", "arrange_employment": "hr_social_security"}
    _api_complete(api, HOUSING, "arrange_housing", {"housing_type": "public_rental", "address": "某路", "move_in_date": "2051-05-01"})
    _api_complete(api, POLICE, "arrange_household_registration", {"registered_address": "某路", "registered_on": "2051-04-01"})
    _api_complete(api, HR, "arrange_employment", {"employment_status": "employed", "employment_support": "推荐就业"})
    _api_complete(api, STREET, "long_term_care_measures",
                  {"care_measures": "结对关爱", "contact_person": "李社工", "follow_up_interval": "P6M"})
    assert api(STREET).get("/tasks").get_json() == []
    travel(clock, "2051-10-15")
    _fire(app, clock)
    _api_complete(api, STREET, "follow_up_visit", {"visited_on": "2051-10-15", "situation": "稳定", "continue_follow_up": False})
    instance = api(CIVIL).get(f"/instances/{case_id}").get_json()
    assert instance["status"] == "completed" and instance["end_event"] == "end_resettled"
    history = [step["name"] for step in instance["history"]]
    assert history.count("second_assessment") == 1 and "assess_after_study" not in history


def _fire(app, clock):
    """Let the scheduler fire what is due, as the worker and `tonghu timers fire` do."""
    with app.app_context():
        session = db.session()
        scheduler.run_due_work(session, app.extensions["tonghu.engine"], clock.now())
        session.commit()
