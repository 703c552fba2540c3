"""Failures are contained and repaired: a case whose timer leads to a step no office can take
goes to `error` (case page, `tonghu timers status`, the admin's failing list with retry) while
the run goes on; starting such a procedure is 422; an admin cancels a case or one generated
visit with a reason, and the task lists, plans, the child's file and the audit log follow.

A broken version is made as a definition deployed before `tonghu check` caught it would be:
a stored version whose lane names a department the catalog does not know.
"""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import START_DATA
from tests.helpers import run_due
from tests.test_monitoring import CIVIL_AFFAIRS, admit, pin, travel
from tests.test_timers import COUNTY, VILLAGE, deploy_fixture, start_report, tasks_of
from webapp.models import AuditEntry, Case, CaseFileEntry, Child, HumanTask, MonitoringPlan, MonitoringVisit, ProcessDefinition
from webapp.services import definitions

BROKEN_DEPARTMENT = "dissolved_bureau"


def broken_version(app, lane_department: str) -> int:
    """A new version of `report_timers` whose lane of `lane_department` names an unknown department."""
    with app.extensions["tonghu.sessionmaker"]() as s:
        current = s.scalars(select(ProcessDefinition).where(ProcessDefinition.process_id == "report_timers")
                            .order_by(ProcessDefinition.version.desc())).first()
        files = {name: xml.replace(f'name="department" value="{lane_department}"',
                                   f'name="department" value="{BROKEN_DEPARTMENT}"') for name, xml in current.files.items()}
        assert files != current.files
        broken = ProcessDefinition(process_id="report_timers", version=current.version + 1, name=current.name,
                                   files=files, forms=current.forms, checksum=definitions._checksum(files, current.forms),
                                   start_form=current.start_form, deployed_at=current.deployed_at)
        s.add(broken)
        s.commit()
        return broken.id


def repair_version(app, definition_id: int, lane_department: str) -> None:
    """The fix: the lane names its department again (e.g. the catalog restored)."""
    with app.extensions["tonghu.sessionmaker"]() as s:
        definition = s.get(ProcessDefinition, definition_id)
        definition.files = {name: xml.replace(f'value="{BROKEN_DEPARTMENT}"', f'value="{lane_department}"')
                            for name, xml in definition.files.items()}
        definition.checksum = definitions._checksum(definition.files, definition.forms)
        s.commit()


def case_row(app, case_id) -> Case:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.get(Case, case_id)


@pytest.fixture
def admin(browser):
    assert browser.sign_in("admin").status_code == 302
    return browser


# -- the scheduler isolates a failing case ------------------------------------------------------------
def test_a_case_that_cannot_fire_is_put_in_error_and_every_other_case_and_job_goes_on(app, clock, runner, browser):
    deploy_fixture(app)
    healthy = start_report(app)
    version = broken_version(app, "civil_affairs")  # the county's lane, reached after 24 hours
    failing = start_report(app)
    also_healthy_definition = case_row(app, healthy).definition_id
    assert case_row(app, failing).definition_id == version != also_healthy_definition
    clock.advance(timedelta(hours=25))

    result = run_due(app)
    assert result["timers"] == 2
    assert set(result) >= {"monitoring", "escalation", "resettlement_starts"}  # every job ran
    assert list(result["failures"]) == [f"case:{failing}"] and BROKEN_DEPARTMENT in result["failures"][f"case:{failing}"]
    assert tasks_of(app, healthy)[-1] == ("county_takes_over", "open")
    broken = case_row(app, failing)
    assert broken.status == "error" and "无法分派" in broken.error_message and BROKEN_DEPARTMENT in broken.error_message
    assert tasks_of(app, failing) == [("verify_report", "open")]  # the stored workflow is kept as it was
    assert run_due(app).get("failures") is None  # it does not fail again on every run

    browser.sign_in(VILLAGE)
    page = browser.get(f"/cases/{failing}").get_data(as_text=True)
    assert "调度程序无法推进该案件" in page and BROKEN_DEPARTMENT in page

    status = runner.invoke(args=["timers", "status"])
    assert "出错的案件：1 个" in status.output and f"案件 {failing}" in status.output, status.output


def test_the_admin_retries_a_failing_case_once_its_cause_is_fixed(app, clock, admin):
    deploy_fixture(app)
    version = broken_version(app, "civil_affairs")
    failing = start_report(app)
    clock.advance(timedelta(hours=25))
    run_due(app)

    listing = admin.get("/admin/cases/").get_data(as_text=True)
    assert f'id="failing-{failing}"' in listing and BROKEN_DEPARTMENT in listing and "重试" in listing

    again = admin.post(f"/admin/cases/{failing}/retry", {"next": "list"}, follow_redirects=True)
    assert "重试后案件仍然出错" in again.get_data(as_text=True)
    assert case_row(app, failing).status == "error"

    repair_version(app, version, "civil_affairs")
    done = admin.post(f"/admin/cases/{failing}/retry", follow_redirects=True)
    assert f"第 {failing} 号案件已恢复运行" in done.get_data(as_text=True)
    assert case_row(app, failing).status == "running" and case_row(app, failing).error_message is None
    assert tasks_of(app, failing) == [("verify_report", "cancelled"), ("county_takes_over", "open")]
    assert f'id="failing-{failing}"' not in admin.get("/admin/cases/").get_data(as_text=True)
    with app.extensions["tonghu.sessionmaker"]() as s:
        retries = s.scalars(select(AuditEntry).where(AuditEntry.action == "case.retry")).all()
        assert [(e.username, e.detail["result"]) for e in retries] == [("admin", retries[0].detail["result"]),
                                                                        ("admin", "running")]
    assert admin.post(f"/admin/cases/{failing}/retry").status_code == 409  # running: nothing to retry


def test_starting_a_procedure_whose_first_step_cannot_be_routed_is_422_with_the_reason(app, api, browser):
    deploy_fixture(app)
    broken_version(app, "village")
    before, children = count(app, Case), count(app, Child)
    for username in (VILLAGE, COUNTY):  # refused at the start lane, or when the first task is routed
        response = api(username).post("/processes/report_timers/instances", {"region": "430104001001", "data": START_DATA})
        assert response.status_code == 422, response.get_json()
        assert "无法立案" in response.get_json()["error"] and BROKEN_DEPARTMENT in response.get_json()["error"]
    browser.sign_in(COUNTY)
    browser.get("/cases/new?process=report_timers")
    page = browser.post("/cases/new?process=report_timers", {
        "region": "430104001001", "child.name": "小明", "child.id_number": START_DATA["child"]["id_number"],
        "child.birth_date": "2015-01-01", "child.gender": "male", "category": "de_facto_unsupported",
        "reason": "父母外出务工", "discovered_by": "monthly_contact"})
    assert page.status_code == 422 and BROKEN_DEPARTMENT in page.get_data(as_text=True)
    assert count(app, Case) == before and count(app, Child) == children  # nothing of the refused start kept


def count(app, model, *where) -> int:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


# -- cancelling ---------------------------------------------------------------------------------------------
def test_an_admin_cancels_an_agreement_with_a_reason_and_its_monitoring_stops(app, clock, admin, api):
    pin(clock, "2026-11-20")
    case_id = admit(app)
    travel(clock, "2027-05-01")
    run_due(app)  # the first return visit opens
    visit_case = only(app, select(MonitoringVisit.case_id))
    tasks_before, entries_before = count(app, HumanTask), count(app, CaseFileEntry)

    refused = admin.post(f"/admin/cases/{case_id}/cancel", {"reason": "   "})
    assert refused.status_code == 422 and "请填写取消原因" in refused.get_data(as_text=True)
    assert case_row(app, case_id).status == "running"

    done = admin.post(f"/admin/cases/{case_id}/cancel", {"reason": "协议系重复录入"}, follow_redirects=True)
    assert f"第 {case_id} 号案件已取消" in done.get_data(as_text=True)
    assert case_row(app, case_id).status == "cancelled" and case_row(app, visit_case).status == "cancelled"
    assert count(app, HumanTask, HumanTask.case_id.in_([case_id, visit_case]), HumanTask.state == "open") == 0
    assert [t for t in api(CIVIL_AFFAIRS).get("/tasks").get_json() if t["instance_id"] in (case_id, visit_case)] == []
    with app.extensions["tonghu.sessionmaker"]() as s:
        plans = s.scalars(select(MonitoringPlan).where(MonitoringPlan.case_id == case_id)).all()
        assert plans and all(p.status == "closed" and "协议系重复录入" in p.closed_reason for p in plans)
        entry = s.scalars(select(CaseFileEntry).where(CaseFileEntry.case_id == case_id,
                                                      CaseFileEntry.title.like("流程取消%"))).one()
        assert "协议系重复录入" in entry.title and entry.author.username == "admin"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "case.cancel")).one()
        assert (audit.username, audit.target, audit.detail["reason"]) == ("admin", f"case:{case_id}", "协议系重复录入")
        assert audit.detail["plans_closed"] == len(plans)
    assert count(app, HumanTask) == tasks_before and count(app, CaseFileEntry) > entries_before  # nothing deleted
    travel(clock, "2028-06-01")
    run_due(app)
    assert count(app, MonitoringVisit) == 1  # no more visits
    assert admin.post(f"/admin/cases/{case_id}/cancel", {"reason": "再次"}).status_code == 409


def test_an_admin_cancels_one_generated_visit_and_the_plan_goes_on(app, clock, admin):
    pin(clock, "2026-11-20")
    case_id = admit(app)
    travel(clock, "2027-05-01")
    run_due(app)
    visit = only(app, select(MonitoringVisit.case_id))
    page = admin.get(f"/admin/cases/{visit}").get_data(as_text=True)
    assert "第 1 次走访" in page or "第 1 次" in page
    admin.post(f"/admin/cases/{visit}/cancel", {"reason": "误生成的走访"})
    assert case_row(app, visit).status == "cancelled" and case_row(app, case_id).status == "running"
    with app.extensions["tonghu.sessionmaker"]() as s:
        plan = s.scalars(select(MonitoringPlan).where(MonitoringPlan.case_id == case_id,
                                                      MonitoringPlan.kind == "supervisor_return_visit")).one()
        assert plan.status == "active"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "case.cancel")).one()
        assert audit.detail["visit"]["cycle"] == 1 and audit.detail["reason"] == "误生成的走访"
    travel(clock, "2027-11-01")
    run_due(app)
    assert count(app, MonitoringVisit, MonitoringVisit.cycle == 2) >= 1  # the next cycle still opens


def only(app, query):
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.scalars(query).one()


def test_repair_pages_are_for_admins_only(browser):
    browser.sign_in("supervisor.civil_affairs.430104000000")
    assert browser.get("/admin/cases/").status_code == 403
    assert browser.post("/admin/cases/1/cancel", {"reason": "x"}).status_code == 403


def test_the_failing_list_opens_a_case_by_number_and_refuses_anything_else(admin):
    assert admin.get("/admin/cases/?case=99999").status_code == 302
    assert admin.get("/admin/cases/99999").status_code == 404
    assert "案件编号只能是数字" in admin.get("/admin/cases/?case=1e9", follow_redirects=True).get_data(as_text=True)
    assert admin.get(f"/admin/cases/{2**70}").status_code == 404

