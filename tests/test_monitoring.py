"""Recurring monitoring for the life of an entrustment agreement: plans, one short case per
cycle, settings, catching up, once-only starts, and 500 cycles that stay cheap and correct."""
import json
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import START_DATA
from tests.helpers import CHOOSE_WELFARE, GUARDIAN, WELFARE_UNIT, agreement_draft, capacity_assessment, resident_id, run_due
from tests.steps.entrustment_steps import SIGNERS
from webapp import create_app, settings
from webapp.engine.clock import LOCAL_TZ, add_months, end_of_day, local_date
from webapp.models import Case, CaseFileEntry, HumanTask, MonitoringPlan, MonitoringVisit, User
from webapp.services import cases, monitoring
from webapp.services.scheduler import run_due_work

VILLAGE, TOWNSHIP = "village.430104001001", "township.430104001000"
CIVIL_AFFAIRS, INSTITUTION = "civil_affairs.430104000000", WELFARE_UNIT  # the chosen institution


# -- helpers ------------------------------------------------------------------------------------
def pin(clock, day: str, hour: int = 9):
    """Set the test clock to `hour`:00 China time on `day`."""
    moment = datetime.combine(date.fromisoformat(day), datetime.min.time().replace(hour=hour), LOCAL_TZ)
    clock.offset = moment - datetime.now(timezone.utc)


def travel(clock, day: str, hour: int = 0):
    clock.travel_to(datetime.combine(date.fromisoformat(day), datetime.min.time().replace(hour=hour), LOCAL_TZ))


def complete(app, username, name, data, case_id=None, child_id=None):
    """Complete the open task `name` of a case (or of any case of the child)."""
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        query = select(HumanTask).join(Case, Case.id == HumanTask.case_id).where(
            HumanTask.name == name, HumanTask.state == "open").order_by(HumanTask.due, HumanTask.id)
        query = query.where(Case.id == case_id) if case_id else query.where(Case.child_id == child_id)
        task = s.scalars(query).first()
        assert task is not None, f"no open {name}"
        user = s.scalars(select(User).where(User.username == username)).one()
        cases.complete_task(s, engine, task.id, data, user, engine.clock.now())
        s.commit()
        return task.case_id


def admit(app, birth_date="2015-06-01", admitted_on="2026-12-01", name="小明") -> int:
    """An entrustment case walked to the admission of the child; returns its id."""
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    data = {**START_DATA, "child": {**START_DATA["child"], "birth_date": birth_date, "name": name,
                                    "id_number": resident_id("430104", birth_date, 1)}}
    with make() as s:
        village = s.scalars(select(User).where(User.username == VILLAGE)).one()
        case_id = cases.start_case(s, engine, "entrustment_care", "430104001001", data, village, engine.clock.now()).id
        s.commit()
    steps = [
        (TOWNSHIP, "township_home_investigation", {"guardian_name": "王秀英", "guardian_relation": "grandparent",
                                                    "health": "年迈", "income": "低保", "living_conditions": "祖孙同住"}),
        (CIVIL_AFFAIRS, "assess_capacity", capacity_assessment("insufficient", "不足")),
        (VILLAGE, "record_guardian_consent", {"guardian_consents": True, **GUARDIAN, "consent_note": "同意"}),
        (CIVIL_AFFAIRS, "choose_institution", CHOOSE_WELFARE),
        (CIVIL_AFFAIRS, "draft_agreement", agreement_draft()),
    ] + [(user, task, {"signed": True, "signatory": who, "signed_on": "2026-11-20"}) for task, (user, who) in SIGNERS.items()]
    steps.append((INSTITUTION, "admit_child", {"admitted_on": admitted_on, "care_plan": "日常照料"}))
    for username, task_name, task_data in steps:
        complete(app, username, task_name, task_data, case_id=case_id)
    return case_id


def plans(app, case_id) -> dict[str, MonitoringPlan]:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return {p.kind: p for p in s.scalars(select(MonitoringPlan).where(MonitoringPlan.case_id == case_id))}


def open_visits(app, child_id) -> list[tuple[str, date]]:
    with app.extensions["tonghu.sessionmaker"]() as s:
        rows = s.scalars(select(HumanTask).join(Case, Case.id == HumanTask.case_id).where(
            Case.child_id == child_id, HumanTask.state == "open",
            HumanTask.process_id == "monitoring_visit").order_by(HumanTask.due, HumanTask.name)).all()
        return [(t.name, local_date(t.due)) for t in rows]


def child_of(app, case_id) -> int:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.get(Case, case_id).child_id


VISIT = {"visited_on": "2027-05-20", "visit_method": "home_visit", "findings": "生活规律，学习进步",
         "carer_status": "adequate"}


# -- settings -------------------------------------------------------------------------------------
def test_cadences_default_to_the_seeds_and_are_deployment_settings(tmp_path, monkeypatch):
    defaults = settings.DEFAULTS
    assert defaults.kind("institution_home_visit").cadence == "P1Y"
    assert defaults.kind("supervisor_return_visit").cadence == "P6M"
    assert defaults.kind("monthly_contact").cadence == "P1M"
    assert defaults.kind("quarterly_home_visit").cadence == "P3M"
    toml = tmp_path / "cadences.toml"
    toml.write_text('[supervisor_return_visit]\ncadence = "P3M"\nlead = "P14D"\n', encoding="utf-8")
    monkeypatch.setenv("TONGHU_CADENCES_FILE", str(toml))
    monkeypatch.setenv("TONGHU_CADENCES", json.dumps({"monthly_contact": "P2W"}))
    here = settings.from_environment()
    assert (here.kind("supervisor_return_visit").cadence, here.kind("supervisor_return_visit").lead) == ("P3M", "P14D")
    assert here.kind("monthly_contact").cadence == "P2W"
    assert here.kind("institution_home_visit").cadence == "P1Y"
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}", "SECRET_KEY": "x",
                      "CADENCES": {"institution_home_visit": {"cadence": "P6M"}}})
    engine_settings = app.extensions["tonghu.engine"].settings
    assert engine_settings.kind("institution_home_visit").cadence == "P6M"
    assert engine_settings.kind("supervisor_return_visit").cadence == "P3M"


@pytest.mark.parametrize("value", ["six months", "PT6H", "P0D", "P1.5M"])
def test_a_cadence_that_is_not_whole_days_is_refused_clearly(value):
    with pytest.raises(settings.SettingsError, match="supervisor_return_visit"):
        settings.DEFAULTS.with_overrides({"supervisor_return_visit": value})


def test_cadences_read_in_chinese():
    assert [settings.describe(v) for v in ("P6M", "P1Y", "P2W", "P1Y6M")] == ["6 个月", "1 年", "2 周", "1 年 6 个月"]


def test_unknown_setting_names_are_refused():
    with pytest.raises(settings.SettingsError, match="cadense"):
        settings.DEFAULTS.with_overrides({"supervisor_return_visit": {"cadense": "P3M"}})


# -- the calendar -------------------------------------------------------------------------------
def test_visits_are_counted_from_the_anchor_and_never_drift():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert monitoring.shift(date(2026, 8, 31), "P1M", 1) == date(2026, 9, 30)
    assert monitoring.shift(date(2026, 8, 31), "P1M", 2) == date(2026, 10, 31)  # not 30: from the anchor
    assert monitoring.shift(date(2024, 2, 29), "P1Y", 1) == date(2025, 2, 28)
    assert monitoring.shift(date(2026, 12, 1), "P6M", 3) == date(2028, 6, 1)
    assert monitoring.shift(date(2027, 6, 1), "P1M", -1) == date(2027, 5, 1)
    assert monitoring.shift(date(2027, 6, 1), "P2W", 1) == date(2027, 6, 15)


# -- plans and visits ---------------------------------------------------------------------------
def test_admission_opens_the_plans_and_the_termination_is_due_at_18(app, clock):
    pin(clock, "2026-11-20")
    case_id = admit(app, birth_date="2015-06-01")
    found = plans(app, case_id)
    assert set(found) == {"institution_home_visit", "supervisor_return_visit"}
    visit = found["supervisor_return_visit"]
    assert (visit.cadence, visit.cycle, visit.status, visit.carer) == ("P6M", 0, "active", "长沙市儿童福利院")
    assert local_date(visit.next_due) == date(2027, 6, 1) and local_date(visit.next_open_at) == date(2027, 5, 1)
    assert local_date(visit.until) == date(2033, 6, 1)
    assert local_date(found["institution_home_visit"].next_due) == date(2027, 12, 1)
    with app.extensions["tonghu.sessionmaker"]() as s:
        terminate = s.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.state == "open")).one()
        assert terminate.name == "terminate_agreement" and local_date(terminate.due) == date(2033, 6, 1)


def test_a_visit_starts_when_its_task_opens_and_only_once(app, clock):
    pin(clock, "2026-11-20")
    case_id = admit(app)
    child = child_of(app, case_id)
    travel(clock, "2027-04-30")
    assert run_due(app)["monitoring"] == 0
    travel(clock, "2027-05-01")
    assert run_due(app)["monitoring"] == 1
    assert run_due(app)["monitoring"] == 0
    assert open_visits(app, child) == [("supervisor_return_visit", date(2027, 6, 1))]
    visit_case = complete(app, TOWNSHIP, "supervisor_return_visit", VISIT, child_id=child)
    with app.extensions["tonghu.sessionmaker"]() as s:
        case = s.get(Case, visit_case)
        assert (case.status, case.end_event) == ("completed", "end_visit_done")
        entries = [e.title for e in s.scalars(select(CaseFileEntry).where(CaseFileEntry.child_id == child))]
        assert "儿童督导员半年回访（第 1 次，2027-06-01 前）" in entries and "儿童督导员回访" in entries


def test_catching_up_after_downtime_starts_only_the_latest_missed_visit_of_each_plan(app, clock):
    pin(clock, "2026-11-20")
    case_id = admit(app)
    child = child_of(app, case_id)
    travel(clock, "2028-01-10")  # the scheduler did not run for thirteen months
    result = run_due(app)
    assert result["monitoring"] == 2  # the return visit of 2027-06-01 is not opened any more
    assert open_visits(app, child) == [("institution_home_visit", date(2027, 12, 1)),
                                       ("supervisor_return_visit", date(2027, 12, 1))]
    assert result["escalation"] == 2  # each latest missed visit is overdue, and its supervisor told
    assert run_due(app) == {name: 0 for name in result}
    with app.extensions["tonghu.sessionmaker"]() as s:
        notes = [e.title for e in s.scalars(select(CaseFileEntry).where(CaseFileEntry.case_id == case_id))]
        assert "儿童督导员半年回访：第 1 次走访已错过，未补开（只补开最近一次）" in notes
        plan = s.scalars(select(MonitoringPlan).where(MonitoringPlan.case_id == case_id,
                                                      MonitoringPlan.kind == "supervisor_return_visit")).one()
        assert plan.cycle == 2 and local_date(plan.next_due) == date(2028, 6, 1)  # the rhythm goes on


def _visit_cases_and_notices(app, child_id) -> tuple[int, int]:
    with app.extensions["tonghu.sessionmaker"]() as s:
        visits = s.scalar(select(func.count()).select_from(MonitoringVisit).join(MonitoringPlan)
                          .where(MonitoringPlan.child_id == child_id))
        escalated = s.scalar(select(func.count()).select_from(HumanTask).join(Case, Case.id == HumanTask.case_id)
                             .where(Case.child_id == child_id, HumanTask.escalated_at.is_not(None)))
        return visits, escalated


def test_an_admission_dated_years_back_opens_no_visit_due_before_the_plan(app, clock):
    pin(clock, "2026-11-20")
    case_id = admit(app, birth_date="2015-06-01", admitted_on="2016-01-15")
    child = child_of(app, case_id)
    found = plans(app, case_id)
    # the first visits are the first cycles due from the day the plans opened, counted from the anchor
    assert (found["supervisor_return_visit"].cycle, local_date(found["supervisor_return_visit"].next_due)) == (21, date(2027, 1, 15))
    assert (found["institution_home_visit"].cycle, local_date(found["institution_home_visit"].next_due)) == (10, date(2027, 1, 15))
    result = run_due(app)
    assert (result["monitoring"], result["escalation"]) == (0, 0)
    travel(clock, "2026-12-15")
    assert run_due(app)["monitoring"] == 2
    assert open_visits(app, child) == [("institution_home_visit", date(2027, 1, 15)),
                                       ("supervisor_return_visit", date(2027, 1, 15))]
    assert _visit_cases_and_notices(app, child) == (2, 0)


def test_a_plan_anchored_years_back_catches_up_one_visit_and_one_escalation(app, clock):
    """A plan whose rhythm is far behind (rows from before the bound, or a scheduler down for
    years) opens one overdue visit per plan and one notice each, not one per missed cycle."""
    pin(clock, "2026-11-20")
    case_id = admit(app, birth_date="2015-06-01", admitted_on="2016-01-15")
    child = child_of(app, case_id)
    with app.extensions["tonghu.sessionmaker"]() as s:
        for plan in s.scalars(select(MonitoringPlan).where(MonitoringPlan.case_id == case_id)):
            plan.cycle, plan.opened_at = 0, datetime(2016, 1, 10, tzinfo=timezone.utc)
            monitoring._schedule(plan, 1)
        s.commit()
    result = run_due(app)
    assert result["monitoring"] == 2 and result["escalation"] == 2
    assert open_visits(app, child) == [("institution_home_visit", date(2026, 1, 15)),
                                       ("supervisor_return_visit", date(2026, 7, 15))]
    assert _visit_cases_and_notices(app, child) == (2, 2)
    assert run_due(app)["monitoring"] == 0


def test_one_cycle_can_be_started_only_once(app, clock):
    pin(clock, "2026-11-20")
    case_id = admit(app)
    travel(clock, "2027-05-01")
    run_due(app)
    with app.extensions["tonghu.sessionmaker"]() as s:
        plan = s.scalars(select(MonitoringPlan).where(MonitoringPlan.case_id == case_id,
                                                      MonitoringPlan.kind == "supervisor_return_visit")).one()
        s.add(MonitoringVisit(plan=plan, cycle=1, due=plan.next_due, started_at=plan.next_due))
        with pytest.raises(IntegrityError):
            s.flush()


def test_two_schedulers_without_the_lease_still_start_a_visit_once(app, clock):
    """Even if two runs overlap, the row guards ((plan, cycle) unique, versions) let one win."""
    pin(clock, "2026-11-20")
    case_id = admit(app)
    travel(clock, "2027-05-01")
    other = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "x", "CLOCK": clock})
    outcomes, barrier = [], threading.Barrier(2)

    def fire(instance):
        make, engine = instance.extensions["tonghu.sessionmaker"], instance.extensions["tonghu.engine"]
        with make() as s:
            barrier.wait()
            try:
                outcomes.append(run_due_work(s, engine, engine.clock.now())["monitoring"])
                s.commit()
            except Exception as err:  # the loser: its whole transaction goes
                s.rollback()
                outcomes.append(type(err).__name__)

    threads = [threading.Thread(target=fire, args=(a,)) for a in (app, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    other.extensions["tonghu.sessionmaker"].kw["bind"].dispose()
    with app.extensions["tonghu.sessionmaker"]() as s:
        assert s.scalar(select(func.count()).select_from(MonitoringVisit)) == 1, outcomes
        assert s.scalar(select(func.count()).select_from(Case).where(
            Case.definition.has(process_id="monitoring_visit"))) == 1
    assert plans(app, case_id)["supervisor_return_visit"].cycle == 1


def test_the_api_shows_a_cases_plans_and_visits(app, clock, api):
    pin(clock, "2026-11-20")
    case_id = admit(app)
    travel(clock, "2027-05-01")
    run_due(app)
    shown = {p["kind"]: p for p in api(CIVIL_AFFAIRS).get(f"/instances/{case_id}/monitoring").get_json()}
    visit = shown["supervisor_return_visit"]
    assert (visit["cadence"], visit["cycles"], visit["status"]) == ("P6M", 1, "active")
    assert [(v["cycle"], v["status"]) for v in visit["visits"]] == [(1, "running")]
    assert local_date(datetime.fromisoformat(visit["next_due"])) == date(2027, 12, 1)
    assert api("civil_affairs.310104000000").get(f"/instances/{case_id}/monitoring").status_code == 403


def test_an_ad_hoc_visit_started_by_the_child_director_is_due_in_seven_days(app, api, clock):
    pin(clock, "2026-11-20")
    data = {"child": START_DATA["child"], "kind": "monthly_contact", "reason": "邻居反映儿童近期情绪低落"}
    response = api(VILLAGE).post("/processes/monitoring_visit/instances", {"region": "430104001001", "data": data})
    assert response.status_code == 201, response.get_json()
    [task] = response.get_json()["open_tasks"]
    assert task["name"] == "director_visit" and task["due"].startswith("2026-11-27")


def test_the_agreement_ending_closes_the_plans_and_cancels_the_open_visit(app, clock):
    pin(clock, "2026-11-20")
    case_id = admit(app)
    child = child_of(app, case_id)
    travel(clock, "2027-05-01")
    run_due(app)
    complete(app, CIVIL_AFFAIRS, "terminate_agreement", {"termination_reason": "guardianship_revoked",
                                                        "terminated_on": "2027-05-10"}, case_id=case_id)
    found = plans(app, case_id)
    assert {p.status for p in found.values()} == {"closed"}
    assert found["supervisor_return_visit"].closed_reason == "监护人资格被撤销"
    assert open_visits(app, child) == []
    travel(clock, "2028-01-01")
    assert run_due(app)["monitoring"] == 0


# -- 500 cycles -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_five_hundred_cycles_stay_correct_and_the_agreement_does_not_grow(app, clock):
    """SpiffWorkflow 3.2 reports a looping instance past depth 1000 as completed; a plan with one
    short case per cycle runs 500 cycles (9.6 years of weekly visits) and stays right."""
    engine = app.extensions["tonghu.engine"]
    engine.settings = engine.settings.with_overrides({"supervisor_return_visit": {"cadence": "P7D", "lead": "P1D"}})
    pin(clock, "2026-11-20")
    case_id = admit(app, birth_date="2020-01-01", admitted_on="2026-11-20")
    child = child_of(app, case_id)
    make = app.extensions["tonghu.sessionmaker"]
    with make() as s:
        agreement_blob = s.get(Case, case_id).workflow_json
    anchor = date(2026, 11, 20)
    sizes = {}
    for cycle in range(1, 501):
        travel(clock, (anchor + timedelta(days=7 * cycle - 1)).isoformat(), hour=8)
        run_due(app)
        visit_case = complete(app, TOWNSHIP, "supervisor_return_visit",
                              {**VISIT, "visited_on": (anchor + timedelta(days=7 * cycle - 1)).isoformat()}, child_id=child)
        if cycle in (1, 100, 500):
            with make() as s:
                sizes[cycle] = len(s.get(Case, visit_case).workflow_json)
        if open_visits(app, child):  # a yearly institution visit fell in this week
            complete(app, INSTITUTION, "institution_home_visit", VISIT, child_id=child)
    with make() as s:
        agreement = s.get(Case, case_id)
        assert agreement.status == "running"
        assert agreement.workflow_json == agreement_blob  # the agreement's own workflow never grew
        assert [t.name for t in cases.open_tasks(s, agreement)] == ["terminate_agreement"]
        plan = s.scalars(select(MonitoringPlan).where(MonitoringPlan.case_id == case_id,
                                                      MonitoringPlan.kind == "supervisor_return_visit")).one()
        assert (plan.status, plan.cycle) == ("active", 500)
        assert local_date(plan.next_due) == anchor + timedelta(days=7 * 501)
        visits = s.scalars(select(MonitoringVisit).where(MonitoringVisit.plan_id == plan.id)
                           .order_by(MonitoringVisit.cycle)).all()
        assert [v.cycle for v in visits] == list(range(1, 501))
        assert all(v.due == end_of_day(anchor + timedelta(days=7 * v.cycle)) for v in visits)
        assert {v.case.status for v in visits} == {"completed"}
        assert {v.case.end_event for v in visits} == {"end_visit_done"}
        recorded = s.scalar(select(func.count()).select_from(CaseFileEntry).where(
            CaseFileEntry.child_id == child, CaseFileEntry.title == "儿童督导员回访"))
        assert recorded == 500
        # no visit went overdue (the two-yearly capacity reassessments the roster opens meanwhile are left undone)
        assert s.scalar(select(func.count()).select_from(HumanTask).where(
            HumanTask.escalated_at.is_not(None), HumanTask.case_id.in_([v.case_id for v in visits]))) == 0
    assert max(sizes.values()) - min(sizes.values()) < 0.02 * min(sizes.values()), sizes


def test_a_visit_in_the_web_ui_from_the_task_list_to_the_case_page(app, clock, browser):
    pin(clock, "2026-11-20")
    case_id = admit(app)
    child = child_of(app, case_id)
    travel(clock, "2027-05-01", hour=9)
    run_due(app)
    with app.extensions["tonghu.sessionmaker"]() as s:
        task = s.scalars(select(HumanTask).join(Case, Case.id == HumanTask.case_id).where(
            Case.child_id == child, HumanTask.name == "supervisor_return_visit")).one()
    browser.sign_in(TOWNSHIP)
    listing = browser.get("/").get_data(as_text=True)
    assert f'data-task="{task.id}"' in listing and "2027-06-01 23:59" in listing
    form = browser.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "发现情况" in form and "缺乏照护能力" in form
    response = browser.post(f"/tasks/{task.id}", {"visited_on": "2027-05-20", "visit_method": "home_visit",
                                                  "findings": "生活规律", "problems": "学习压力较大",
                                                  "measures": "联系学校心理老师", "carer_status": "adequate"})
    assert response.status_code == 302, response.get_data(as_text=True)
    visit_page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "第 1 次走访" in visit_page and "学习压力较大" in visit_page
    browser.sign_in(CIVIL_AFFAIRS)
    agreement_page = browser.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "定期走访" in agreement_page and 'data-plan="supervisor_return_visit"' in agreement_page
    assert "第 1 次" in agreement_page and "2027-12-01" in agreement_page and "6 个月" in agreement_page


def test_monthly_contact_and_quarterly_visit_for_the_child_director(app, clock, api):
    """The cadence the psychological procedure relies on (chongqing (十一), hubei 二.16): any
    procedure's service task `open_monitoring` with these kinds gives the village these visits."""
    pin(clock, "2026-11-20")
    case_id = admit(app)
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        monitoring.open_plans(s, engine, s.get(Case, case_id), ["monthly_contact", "quarterly_home_visit"],
                              date(2026, 12, 1), date(2033, 6, 1), None, engine.clock.now())
        s.commit()
    travel(clock, "2027-02-22")
    run_due(app)
    due = sorted(t["due"][:10] for t in api(VILLAGE).get("/tasks").get_json() if t["name"] == "director_visit")
    # monthly contacts due 1 Feb (the latest missed; 1 Jan is only noted) and 1 Mar (open a week
    # before), the quarterly visit due 1 Mar
    assert due == ["2027-02-01", "2027-03-01", "2027-03-01"]
