"""Basic living support (POLICY.md §5): the decision table, the settings, the ledger job, the page, the API.

The Chinese scenarios (features/basic_living_support.feature) walk every path of the diagram;
these pin what a scenario cannot see: every combination of the table, the regional tables as
data, the scheduler opening nothing twice, the finance office's page and CSV, and the API.
"""
import csv
import io
import itertools
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from sqlalchemy import func, select

from handlers import HandlerContext, HandlerError
from handlers.living import add_working_days, grant_living_support, living_support_deadline
from tests.steps.scenario_steps import child_for
from webapp import living_settings
from webapp.engine.clock import LOCAL_TZ
from webapp.engine.scripting import TonghuScriptEngine
from webapp.models import AuditEntry, LivingPayment, LivingSupport, User
from webapp.services import cases, living, scheduler
from webapp.services.errors import Forbidden, Unprocessable
from webapp.settings import SettingsError

ROOT = Path(__file__).resolve().parents[1]
DMN = ROOT / "processes" / "support_category.dmn"
REGION = "310104001001"
VILLAGE, TOWNSHIP, COUNTY = "village.310104001001", "township.310104001000", "civil_affairs.310104000000"

SITUATIONS = ("no_legal_guardian", "de_facto_unsupported", "unable_to_raise", "able_to_raise")


def situation(guardian="able_to_raise", income=False, below=False, hardship=False) -> dict:
    return {"guardian_situation": guardian, "has_own_income": income, "below_low_income_line": below,
            "sudden_hardship": hardship}


ROWS = [
    ("rule_orphan", situation("no_legal_guardian", below=True, hardship=True), "orphan_allowance"),
    ("rule_de_facto", situation("de_facto_unsupported", below=True), "de_facto_allowance"),
    ("rule_extreme_poverty", situation("unable_to_raise", below=True), "extreme_poverty"),
    ("rule_low_income", situation("unable_to_raise", income=True, below=True), "low_income"),
    ("rule_temporary", situation(hardship=True), "temporary_assistance"),
    ("rule_not_eligible", situation(), "not_eligible"),
]


@pytest.fixture(scope="module")
def table():
    parser = SpiffBpmnParser()
    parser.add_dmn_xml(etree.fromstring(DMN.read_bytes()), filename=DMN.name)
    return parser.get_engine("support_category", None)


def decide(table, data):
    task = SimpleNamespace(data=data, workflow=SimpleNamespace(script_engine=TonghuScriptEngine()))
    matched = table.decide(task)
    return (matched[0].id if matched else None), table.result(task).get("support_category")


@pytest.mark.parametrize("rule_id, data, category", ROWS, ids=[r[0] for r in ROWS])
def test_each_row_of_the_table(table, rule_id, data, category):
    assert decide(table, data) == (rule_id, category)


def test_the_rows_are_the_ones_tested(table):
    assert [rule.id for rule in table.decision_table.rules] == [r[0] for r in ROWS]
    assert table.decision_table.hit_policy == "FIRST"


@pytest.mark.parametrize("guardian, income, below, hardship",
                         list(itertools.product(SITUATIONS, (False, True), (False, True), (False, True))))
def test_every_situation_gets_one_category_and_benefits_do_not_stack(table, guardian, income, below, hardship):
    _rule, category = decide(table, situation(guardian, income, below, hardship))
    if guardian == "no_legal_guardian":
        assert category == "orphan_allowance"  # never 低保 or 特困 besides (shanghai (二))
    elif guardian == "de_facto_unsupported":
        assert category == "de_facto_allowance"
    elif guardian == "unable_to_raise" and not income:
        assert category == "extreme_poverty"  # and then not 低保 (hulin 三.(一))
    elif below:
        assert category == "low_income"
    elif hardship:
        assert category == "temporary_assistance"
    else:
        assert category == "not_eligible"


# -- settings and handlers ----------------------------------------------------------------------
def context(region=REGION, data=None, settings=None, now=None) -> HandlerContext:
    return HandlerContext(case_id=1, region_code=region, process_id="basic_living_support", task_title="核定",
                          data=data or {}, now=now or datetime(2027, 3, 1, 9, tzinfo=LOCAL_TZ),
                          settings={"living_support": settings or living_settings.DEFAULTS})


def granted(region, category, settings=None) -> dict:
    data = {"support_category": category, "approved": True, "child": child_for("小测", "2015-06-01")}
    ctx = context(region, data, settings)
    return grant_living_support(ctx), ctx


def test_working_days_skip_weekends_and_holidays_and_count_make_up_days():
    assert add_working_days(datetime(2027, 3, 1).date(), 15).isoformat() == "2027-03-22"
    # National Day 2025: 1-8 October off, Sunday 28 September and Saturday 11 October worked.
    assert add_working_days(datetime(2025, 9, 26).date(), 1).isoformat() == "2025-09-28"
    assert add_working_days(datetime(2025, 9, 30).date(), 1).isoformat() == "2025-10-09"
    assert living_support_deadline(context(), "review") == {"due": "2027-03-22", "working_days": 15}
    shorter = living_settings.merge(living_settings.DEFAULTS, {"decision_working_days": 5}, "test")
    assert living_support_deadline(context(settings=shorter), "decision")["due"] == "2027-03-08"


def test_the_regional_standard_is_the_longest_prefix_with_a_national_fallback():
    assert granted("310104001001", "orphan_allowance")[0]["monthly_amount"] == "2600.00"
    assert granted("430104001001", "orphan_allowance")[0]["monthly_amount"] == "1350.00"
    national, _ctx = granted("610102001001", "orphan_allowance")
    assert (national["monthly_amount"], national["standard"]) == ("1000.00", living_settings.DEFAULTS["standards"][""]["name"])
    city = living_settings.merge(living_settings.DEFAULTS, {"standards": {"4301": {"name": "长沙市标准", "orphan_allowance": 1500}}}, "t")
    assert granted("430104001001", "orphan_allowance", city)[0]["monthly_amount"] == "1500.00"
    # a category the city table lacks falls back to the province's row
    assert granted("430104001001", "low_income", city)[0]["monthly_amount"] == "750.00"


CHONGQING_DMN = ROOT / "processes" / "variants" / "50" / "medical_aid.dmn"


def chongqing_granted(category, settings=None) -> tuple[dict, HandlerContext]:
    """A Chongqing grant whose ratios come from Chongqing's variant table, as its case's data does."""
    parser = SpiffBpmnParser()
    parser.add_dmn_xml(etree.fromstring(CHONGQING_DMN.read_bytes()), filename=CHONGQING_DMN.name)
    decided = parser.get_engine("medical_aid", None).result(SimpleNamespace(
        data={"support_category": category}, workflow=SimpleNamespace(script_engine=TonghuScriptEngine())))
    data = {"support_category": category, "approved": True, "child": child_for("小测", "2015-06-01"), **decided}
    ctx = context("500103001001", data, settings)
    return grant_living_support(ctx), ctx


def test_chongqing_medical_aid_ratios_are_a_regional_table():
    ratios = {c: chongqing_granted(c)[0]["medical_aid_percent"] for c in
              ("orphan_allowance", "de_facto_allowance", "low_income", "extreme_poverty")}
    assert ratios == {"orphan_allowance": 100, "de_facto_allowance": 100, "low_income": 90, "extreme_poverty": None}
    assert granted("310104001001", "orphan_allowance")[0]["medical_aid_percent"] is None
    assert granted("500103001001", "orphan_allowance")[0]["medical_aid_percent"] is None  # not in code: the table's
    costs = {c: chongqing_granted(c)[0]["medical_expense_percent"] for c in
             ("orphan_allowance", "de_facto_allowance", "low_income", "extreme_poverty", "temporary_assistance")}
    assert costs == {"orphan_allowance": 70, "de_facto_allowance": 70, "low_income": 70, "extreme_poverty": 70,
                     "temporary_assistance": None}
    result, ctx = chongqing_granted("low_income")
    html = ctx.documents[0].html
    assert "90%（重庆市城乡居民医保一档参保资助比例）" in html and "不低于 70%" in html
    # a deployment's settings row for the place overrides the table
    local = living_settings.merge(living_settings.DEFAULTS, {"medical_aid": {"5001": {"name": "某区试点", "low_income": 95}}}, "t")
    assert chongqing_granted("low_income", local)[0]["medical_aid_percent"] == 95


def test_grant_starts_the_month_after_approval_and_runs_to_the_18th_birthday():
    result, ctx = granted(REGION, "orphan_allowance")
    assert (result["start_month"], result["ends_on"], result["next_review"]) == ("2027-04-01", "2033-06-01", "2028-03-01")
    one_off, _ = granted(REGION, "temporary_assistance")
    assert (one_off["start_month"], one_off["one_off"]) == ("2027-03-01", True)
    with pytest.raises(HandlerError, match="未经县级民政部门批准"):
        grant_living_support(context(data={"support_category": "not_eligible", "approved": True}))


@pytest.mark.parametrize("overrides, message", [
    ({"review_working_days": 0}, "1 至 60"),
    ({"standards": {"43": {"orphan_allowance": -5}}}, "大于 0"),
    ({"standards": {"4x": {"orphan_allowance": 5}}}, "地区前缀"),
    ({"medical_aid": {"50": {"orphan_allowance": 120}}}, "不超过 100"),
    ({"standards": {"43": {"pony": 5}}}, "不认识的保障类别"),
    ({"public_notice": {"31": "seven"}}, "0 至 30"),
    ({"notice": 7}, "不认识的设置项"),
])
def test_bad_settings_are_refused_by_name(overrides, message):
    with pytest.raises(SettingsError, match=message):
        living_settings.merge(living_settings.DEFAULTS, overrides, "LIVING_SUPPORT")


def test_the_app_reads_the_settings_from_its_config(tmp_path, clock):
    from webapp import create_app
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}", "SECRET_KEY": "k",
                      "CLOCK": clock, "LIVING_SUPPORT": {"public_notice": {"31": 5}}})
    assert app.extensions["tonghu.engine"].living["public_notice"]["31"] == 5
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


# -- through the services ------------------------------------------------------------------------
def user(session, name) -> User:
    return session.scalars(select(User).where(User.username == name)).one()


def travel(clock, moment: str):
    clock.travel_to(datetime.fromisoformat(moment).replace(tzinfo=LOCAL_TZ))


def complete(session, engine, clock, username, case, name, data):
    task = next(t for t in cases.open_tasks(session, case) if t.name == name)
    cases.complete_task(session, engine, task.id, data, user(session, username), clock.now())
    session.commit()


START = {"applicant_kind": "guardian", "applicant_name": "王某", "application_place": "residence",
         "applied_on": "2027-03-01", "reason": "父母双亡"}


def approved_case(session, engine, clock, name="小甲", guardian="no_legal_guardian"):
    case = cases.start_case(session, engine, "basic_living_support", REGION,
                            {**START, "child": child_for(name)}, user(session, VILLAGE), clock.now())
    session.commit()
    complete(session, engine, clock, TOWNSHIP, case, "township_review", {
        "home_check_date": "2027-03-01", "home_check_findings": "属实", **situation(guardian, below=True),
        "review_passed": True, "review_opinion": "通过"})
    complete(session, engine, clock, COUNTY, case, "county_decision", {"approved": True})
    return case


def test_the_scheduler_opens_each_month_once_and_catches_up(db_session, app, clock):
    engine = app.extensions["tonghu.engine"]
    travel(clock, "2027-03-01T09:00:00")
    case = approved_case(db_session, engine, clock)
    support = living.support_of_case(db_session, case.id)
    assert (support.status, support.monthly_amount_fen, f"{support.start_month}") == ("active", 260000, "2027-04-01")
    travel(clock, "2027-06-05T00:00:00")  # the worker was down for three months
    assert scheduler.run_due_work(db_session, engine, clock.now())["living_payments"] == 3
    assert scheduler.run_due_work(db_session, engine, clock.now())["living_payments"] == 0
    db_session.commit()
    months = db_session.scalars(select(LivingPayment.month).where(LivingPayment.support_id == support.id)
                                .order_by(LivingPayment.month)).all()
    assert [f"{m:%Y-%m}" for m in months] == ["2027-04", "2027-05", "2027-06"]
    # a second row for the same month is refused by the database itself
    db_session.add(LivingPayment(support_id=support.id, child_id=support.child_id, region_code=REGION,
                                 month=months[0], amount_fen=1, category="orphan_allowance", opened_at=clock.now()))
    with pytest.raises(Exception, match="UNIQUE|unique"):
        db_session.flush()
    db_session.rollback()


def test_a_second_grant_for_a_supported_child_is_refused_and_nothing_is_saved(db_session, app, clock):
    engine = app.extensions["tonghu.engine"]
    travel(clock, "2027-03-01T09:00:00")
    approved_case(db_session, engine, clock, "小乙")
    second = cases.start_case(db_session, engine, "basic_living_support", REGION,
                              {**START, "child": child_for("小乙")}, user(db_session, VILLAGE), clock.now())
    db_session.commit()
    complete(db_session, engine, clock, TOWNSHIP, second, "township_review", {
        "home_check_date": "2027-03-01", "home_check_findings": "属实", **situation("no_legal_guardian"),
        "review_passed": True, "review_opinion": "通过"})
    task = next(t for t in cases.open_tasks(db_session, second) if t.name == "county_decision")
    with pytest.raises(Unprocessable, match="待遇不叠加"):
        cases.complete_task(db_session, engine, task.id, {"approved": True}, user(db_session, COUNTY), clock.now())
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(LivingSupport)) == 1
    assert [t.name for t in cases.open_tasks(db_session, second)] == ["county_decision"]


def test_an_orphan_already_in_resettlement_is_noted_not_started_twice(db_session, app, clock):
    from webapp.services import resettlement
    engine = app.extensions["tonghu.engine"]
    travel(clock, "2027-03-01T09:00:00")
    info = child_for("小丙", "2009-06-15")
    resettlement.register_in_care(db_session, info, REGION, True, clock.now())
    db_session.commit()
    scheduler.run_due_work(db_session, engine, clock.now())  # due since 2026-12-15: the job starts it
    db_session.commit()
    case = cases.start_case(db_session, engine, "basic_living_support", REGION, {**START, "child": info},
                            user(db_session, VILLAGE), clock.now())
    db_session.commit()
    complete(db_session, engine, clock, TOWNSHIP, case, "township_review", {
        "home_check_date": "2027-03-01", "home_check_findings": "属实", **situation("no_legal_guardian"),
        "review_passed": True, "review_opinion": "通过"})
    complete(db_session, engine, clock, COUNTY, case, "county_decision", {"approved": True})
    travel(clock, "2027-06-15T08:00:00")
    scheduler.run_due_work(db_session, engine, clock.now())
    db_session.commit()
    complete(db_session, engine, clock, COUNTY, case, "check_study_at_adulthood", {"in_school": False})
    from webapp.models import Case, CaseFileEntry, ProcessDefinition
    started = db_session.scalars(select(Case.id).join(ProcessDefinition, Case.definition_id == ProcessDefinition.id)
                                 .where(Case.child_id == case.child_id,
                                        ProcessDefinition.process_id == "orphan_resettlement")).all()
    assert len(started) == 1
    titles = db_session.scalars(select(CaseFileEntry.title).where(CaseFileEntry.child_id == case.child_id)).all()
    assert "基本生活费停发，由回归社会安置程序接续" in titles


# -- the finance office's page and CSV ----------------------------------------------------------
@pytest.fixture
def ledger(db_session, app, clock):
    engine = app.extensions["tonghu.engine"]
    travel(clock, "2027-03-01T09:00:00")
    approved_case(db_session, engine, clock, "=HYPERLINK(1)")
    approved_case(db_session, engine, clock, "小丁", "de_facto_unsupported")
    travel(clock, "2027-05-02T00:00:00")
    scheduler.run_due_work(db_session, engine, clock.now())
    db_session.commit()


def test_the_county_lists_and_exports_its_payments(ledger, browser, db_session):
    browser.sign_in(COUNTY)
    page = browser.get("/living/payments?month=2027-05")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "基本生活保障发放台账" in text
    assert "小丁" in text and "事实无人抚养儿童基本生活费" in text and "5200.00" in text
    response = browser.get("/living/payments.csv?month=2027-04")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["月份", "儿童姓名", "公民身份号码"]
    assert sorted(r[1] for r in rows[1:]) == ["'=HYPERLINK(1)", "小丁"]  # never a formula
    assert {r[0] for r in rows[1:]} == {"2027-04"} and {r[6] for r in rows[1:]} == {"2600.00"}
    assert db_session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "living_payments.export")) == 1


def test_the_ledger_is_refused_outside_county_civil_affairs_and_bad_months_are_explained(ledger, browser):
    browser.sign_in(COUNTY)
    page = browser.get("/living/payments?month=2027-13")
    assert page.status_code == 200 and "月份应写作" in page.get_data(as_text=True)
    other = browser.get("/living/payments?month=2027-05&page=abc")
    assert other.status_code == 200 and "小丁" in other.get_data(as_text=True)
    browser.sign_in("civil_affairs.430104000000")  # another county sees none of Xuhui's payments
    assert "小丁" not in browser.get("/living/payments?month=2027-05").get_data(as_text=True)
    browser.sign_in(VILLAGE)
    assert browser.get("/living/payments").status_code == 403
    assert browser.get("/living/payments.csv?month=2027-05").status_code == 403


def test_county_prefix_refuses_other_departments(db_session):
    with pytest.raises(Forbidden):
        living.ledger.county_prefix(user(db_session, TOWNSHIP))


# -- the API --------------------------------------------------------------------------------------
def test_started_and_approved_through_the_api(api, clock):
    travel(clock, "2027-03-01T09:00:00")
    village = api(VILLAGE)
    bad = village.post("/processes/basic_living_support/instances",
                       {"region": REGION, "data": {**START, "child": child_for("小戊"), "applicant_kind": "neighbour"}})
    assert bad.status_code == 422 and "applicant_kind" in bad.get_json()["errors"]
    for outsider, region in (("police.310104000000", REGION), ("education.310104000000", REGION),
                             ("township.430104001000", REGION)):  # not listed, or not covering the place
        assert api(outsider).post("/processes/basic_living_support/instances", {
            "region": region, "data": {**START, "child": child_for("小戊")}}).status_code == 403, outsider
    by_township = api(TOWNSHIP).post("/processes/basic_living_support/instances",
                                     {"region": REGION, "data": {**START, "child": child_for("小己")}})
    assert by_township.status_code == 201, by_township.get_json()
    started = village.post("/processes/basic_living_support/instances",
                           {"region": REGION, "data": {**START, "child": child_for("小戊")}})
    assert started.status_code == 201, started.get_json()
    case_id = started.get_json()["id"]
    township = api(TOWNSHIP)
    task = next(t for t in township.get("/tasks").get_json() if t["instance_id"] == case_id)
    assert task["name"] == "township_review" and task["due"].startswith("2027-03-22")
    done = township.post(f"/tasks/{task['id']}/complete", {"data": {
        "home_check_date": "2027-03-01", "home_check_findings": "属实", **situation("de_facto_unsupported"),
        "review_passed": True, "review_opinion": "通过"}})
    assert done.status_code == 200, done.get_json()
    county = api(COUNTY)
    task = next(t for t in county.get("/tasks").get_json() if t["instance_id"] == case_id)
    assert county.post(f"/tasks/{task['id']}/complete", {"data": {"approved": False}}).status_code == 422
    assert county.post(f"/tasks/{task['id']}/complete", {"data": {"approved": True}}).status_code == 200
    instance = county.get(f"/instances/{case_id}").get_json()
    assert instance["status"] == "running"
    assert [t["name"] for t in instance["open_tasks"]] == ["report_change"]


def test_check_refuses_an_unknown_department_in_startable_by():
    from webapp.services.checks import check_files
    from webapp.services.forms import load_forms
    files = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "processes").iterdir()
             if p.name in ("basic_living_support.bpmn", "support_category.dmn", "medical_aid.dmn", "continues_past_18.dmn")}
    assert check_files(files, load_forms(ROOT / "forms")) == []
    files["basic_living_support.bpmn"] = files["basic_living_support.bpmn"].replace(
        'value="village,township,welfare_institution"', 'value="village,pony"')
    problems = [str(p) for p in check_files(files, load_forms(ROOT / "forms"))]
    assert any("startableBy=village,pony" in p for p in problems), problems
