"""The psychological health referral driven through the services, beside its scenarios.

Every row of the risk-level table leads to its tier's first step in the running procedure,
and a guardian's refusal that endangers the child starts the revocation procedure.
"""
import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.helpers import resident_id
from webapp.models import Case, CaseFileEntry, User
from webapp.services import cases, scheduler
from webapp.services.errors import Invalid

from .test_psych_risk_level import ROWS

VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
SCHOOL = "education.430104000000"
_ids = itertools.count(1)

# The first step of each tier (risk_level -> open tasks after grading).
TIER_TASKS = {
    "low": ["care_at_school"],
    "medium": ["counselling"],
    "high": ["guardian_consent"],
    "crisis": ["crisis_admission", "inform_guardian_crisis"],
}


def user(session, username) -> User:
    return session.scalars(select(User).where(User.username == username)).one()


def complete(session, engine, case, username, name, data):
    task = next(t for t in cases.open_tasks(session, case) if t.name == name)
    cases.complete_task(session, engine, task.id, data, user(session, username), engine.clock.now())
    session.commit()


def referred_case(session, app) -> Case:
    """A case at its assessment: signs found on a visit, screening asks the school to assess."""
    engine = app.extensions["tonghu.engine"]
    child = {"name": "小禾", "id_number": resident_id("430104", "2012-01-01", 2 * next(_ids) + 1), "birth_date": "2012-01-01", "gender": "male"}
    case = cases.start_case(session, engine, "psych_referral", "430104001001",
                            {"child": child, "monitoring_source": "monthly_contact", "reason": "月度联系"},
                            user(session, VILLAGE), engine.clock.now())
    session.commit()
    complete(session, engine, case, VILLAGE, "record_contact", {
        "contact_date": "2026-11-02", "sign_study_pressure": True, "sign_family_change": False,
        "sign_economic_hardship": False, "sign_behaviour": True, "observations": "成绩下滑，常独处"})
    complete(session, engine, case, TOWNSHIP, "screen_psych", {
        "screening_result": "concern", "assessor": "school", "screening_note": "需要评估"})
    return case


def assess_new_case(session, app, answers: dict) -> list[str]:
    """Open a new case, assess it with `answers`; the names of the tasks that follow."""
    case = referred_case(session, app)
    complete(session, app.extensions["tonghu.engine"], case, SCHOOL, "assess_at_school", {
        "assessed_on": "2026-11-06", "assessment_method": "SDQ", "assessment_summary": "见各项", **answers})
    return sorted(t.name for t in cases.open_tasks(session, case))


@pytest.mark.parametrize("rule_id, answers, level", ROWS, ids=[r[0] for r in ROWS])
def test_each_row_of_the_table_leads_to_its_tier(app, db_session, rule_id, answers, level):
    assert assess_new_case(db_session, app, answers) == TIER_TASKS[level]
    ledger = db_session.scalars(select(CaseFileEntry).where(CaseFileEntry.title.like("心理健康评估分类台账%"))).all()
    assert len(ledger) == 1
    assert {"low": "低风险", "medium": "中风险", "high": "高风险", "crisis": "危机"}[level] in ledger[0].title


def test_a_dangerous_refusal_starts_the_revocation_procedure(app, db_session):
    engine = app.extensions["tonghu.engine"]
    case = referred_case(db_session, app)
    complete(db_session, engine, case, SCHOOL, "assess_at_school", {
        "assessed_on": "2026-11-06", "assessment_method": "SDQ", "assessment_summary": "有轻生念头，监护人限制就医",
        "self_harm_risk": "ideation", "harm_to_others": False, "symptom_severity": "severe", "functional_impairment": True})
    complete(db_session, engine, case, VILLAGE, "guardian_consent", {
        "informed_on": "2026-11-07", "guardian_consents": False, "guardian_opinion": "拒绝"})
    complete(db_session, engine, case, TOWNSHIP, "guide_guardian", {
        "guidance_outcome": "refuses", "child_endangered": True, "guidance_note": "劝导无效"})
    assert (case.status, case.end_event) == ("completed", "end_handover_revocation")
    revocation = db_session.scalars(select(Case).where(Case.child_id == case.child_id, Case.id != case.id)).one()
    assert revocation.definition.process_id == "guardianship_revocation"
    assert revocation.status == "running"
    carried = [t.data for t in engine.loads(revocation.workflow_json).get_tasks() if t.data.get("handed_over_case") == case.id]
    assert carried and carried[0]["assessment_summary"] == "有轻生念头，监护人限制就医"
    assert carried[0]["handed_over_from"] == "psych_referral" and carried[0]["risk_level"] == "high"


def test_a_refusal_that_does_not_endanger_the_child_needs_no_report(app, db_session):
    engine = app.extensions["tonghu.engine"]
    case = referred_case(db_session, app)
    complete(db_session, engine, case, SCHOOL, "assess_at_school", {
        "assessed_on": "2026-11-06", "assessment_method": "SDQ", "assessment_summary": "重度",
        "self_harm_risk": "none", "harm_to_others": False, "symptom_severity": "severe", "functional_impairment": False})
    complete(db_session, engine, case, VILLAGE, "guardian_consent", {
        "informed_on": "2026-11-07", "guardian_consents": False, "guardian_opinion": "拒绝"})
    with pytest.raises(Invalid) as refused:  # a refusal must say whether it endangers the child
        complete(db_session, engine, case, TOWNSHIP, "guide_guardian", {"guidance_outcome": "refuses", "guidance_note": "仍拒绝"})
    assert "child_endangered" in refused.value.errors
    db_session.rollback()
    complete(db_session, engine, case, TOWNSHIP, "guide_guardian", {
        "guidance_outcome": "refuses", "child_endangered": False, "guidance_note": "仍拒绝，同意心理疏导"})
    assert [t.name for t in cases.open_tasks(db_session, case)] == ["counselling"]
    assert db_session.scalars(select(Case).where(Case.child_id == case.child_id)).all() == [case]


@pytest.mark.slow
def test_follow_up_is_bounded_and_ends_in_a_case_conference(app, db_session, clock):
    """Monthly rounds repeat while the child is unstable, up to 24 (two years): then county civil
    affairs reviews the case and it closes, so one instance never grows towards the engine's limit."""
    engine = app.extensions["tonghu.engine"]
    case = referred_case(db_session, app)
    complete(db_session, engine, case, SCHOOL, "assess_at_school", {
        "assessed_on": "2026-11-06", "assessment_method": "SDQ", "assessment_summary": "轻度",
        "self_harm_risk": "none", "harm_to_others": False, "symptom_severity": "mild", "functional_impairment": False})
    complete(db_session, engine, case, SCHOOL, "care_at_school", {"carer": "王老师", "care_started_on": "2026-11-10",
                                                                  "care_measures": "每周谈心"})
    visit = {"visited_on": "2026-12-12", "mental_state": "fluctuating", "observations": "时好时坏"}
    for round_ in range(1, 25):
        clock.advance(timedelta(days=31))
        scheduler.run_due_work(db_session, engine, clock.now())
        db_session.commit()
        assert sorted(t.name for t in cases.open_tasks(db_session, case)) == [
            "follow_up_social_worker", "follow_up_teacher", "follow_up_village"], round_
        for username, name in ((SCHOOL, "follow_up_teacher"), (VILLAGE, "follow_up_village"),
                               ("psych_service.430104000000", "follow_up_social_worker")):
            complete(db_session, engine, case, username, name, visit)
        complete(db_session, engine, case, TOWNSHIP, "review_follow_up", {
            "stable": False, "needs_reassessment": False, "review_note": f"第 {round_} 轮：尚不稳定"})
    assert [t.name for t in cases.open_tasks(db_session, case)] == ["case_conference"]
    complete(db_session, engine, case, "civil_affairs.430104000000", "case_conference", {
        "conference_on": "2029-01-10", "next_step": "routine_monitoring", "conference_note": "转入常规监测，社工继续结对"})
    assert (case.status, case.end_event) == ("completed", "end_case_conference")
