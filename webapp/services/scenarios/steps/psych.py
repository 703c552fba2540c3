"""Shortcuts and checks for the psychological health referral scenarios.

The shortcuts are named runs of the generic "办理任务" step with typical data, so that a
scenario can dwell on the step it is about; the checks look at deadlines, at who may read
the psychological health file and at the audit trail of those reads.
"""

from sqlalchemy import select

from ....models import AuditEntry, Case, Child, Unit, User
from ... import cases, units
from ...errors import Forbidden
from ..vocabulary import given, then, when
from .generic import complete_with_table, table, time_passes

VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
SCHOOL = "education.430104000000"
PSYCH_SERVICE = "psych_service.430104000000"
HEALTH = "health.430104000000"
ASSESSORS = {"学校": ("school", "assess_at_school", SCHOOL), "社会心理服务机构": ("psych_service", "assess_by_service", PSYCH_SERVICE)}


@when("儿童主任记录走访发现家庭变故和情绪行为异常")
def visit_finds_signs(story):
    complete_with_table(story, VILLAGE, "record_contact", table(
        contact_date="2026-11-02", sign_study_pressure="false", sign_family_change="true",
        sign_economic_hardship="false", sign_behaviour="true",
        observations="父母离异后沉默寡言，拒绝上学，手臂有划痕"))


@when('乡镇儿童督导员识别为需要由{assessor}评估')
def screened_concern(story, assessor):
    complete_with_table(story, TOWNSHIP, "screen_psych", table(
        screening_result="concern", assessor=ASSESSORS[assessor][0],
        screening_note="按识别工作指引：情绪低落持续两周以上，学业明显下滑"))


@when('{assessor}评估为"{answers}"')
def assessed(story, assessor, answers):
    """`answers`: self-harm risk / harm to others / severity / impairment, e.g. "none/否/mild/否"."""
    self_harm, others, severity, impaired = answers.split("/")
    _code, task_name, username = ASSESSORS[assessor]
    complete_with_table(story, username, task_name, table(
        assessed_on="2026-11-06", assessment_method="儿童长处和困难问卷（SDQ）及访谈",
        self_harm_risk=self_harm, harm_to_others=others, symptom_severity=severity,
        functional_impairment=impaired, assessment_summary="评估意见：见各项"))


@when("教师、儿童主任、社工完成本轮随访")
def visits_done(story):
    visit = table(visited_on="2027-01-05", mental_state="good", observations="情绪平稳，按时上学")
    for username, name in ((SCHOOL, "follow_up_teacher"), (VILLAGE, "follow_up_village"),
                           (PSYCH_SERVICE, "follow_up_social_worker")):
        complete_with_table(story, username, name, visit)


@when('乡镇儿童督导员评估心理状态{verdict}')
def reviewed(story, verdict):
    fields = {"稳定": dict(stable="true"), "尚不稳定": dict(stable="false", needs_reassessment="false"),
              "加重": dict(stable="false", needs_reassessment="true")}[verdict]
    complete_with_table(story, TOWNSHIP, "review_follow_up", table(**fields, review_note=f"综合三方随访：{verdict}"))


@when("每月随访 {rounds:d} 轮，督导员每轮均评估为尚不稳定")
def unstable_rounds(story, rounds):
    for _round in range(rounds):
        time_passes(story, 31)
        visits_done(story)
        reviewed(story, "尚不稳定")


@when("医疗机构记录诊疗结果：未确诊精神障碍")
def treated_without_disorder(story):
    """Recorded by the hospital that admitted the child (its officials), else the health commission."""
    with story.reading():
        unit = story.open_task("treatment_outcome").unit_id
        hospital = story.session().scalars(select(User.username).where(User.unit_id == unit)).first() if unit else None
    complete_with_table(story, hospital or HEALTH, "treatment_outcome", table(
        confirmed_disorder="false", treatment_summary="门诊心理治疗六次，情绪改善", returned_on="2026-12-10"))


# -- checks ---------------------------------------------------------------------------------
def _read(story, username):
    return story.attempt(lambda s: cases.case_for(s, story.case_id, story.user(username), story.engine.clock.now()))


@then('"{username}"可以查阅本案件的心理健康档案')
def may_read(story, username):
    assert _read(story, username) is not None, f"{username} 被拒绝：{story.error and story.error.message}"


@then('"{username}"不能查阅本案件的心理健康档案')
def may_not_read(story, username):
    assert _read(story, username) is None and isinstance(story.error, Forbidden), f"{username} 本不应能查阅"


@then('审计日志记有"{username}"查阅本案件')
def read_audited(story, username):
    with story.reading():
        entries = story.session().scalars(select(AuditEntry).where(
            AuditEntry.action == cases.PRIVATE_READ, AuditEntry.username == username,
            AuditEntry.target == f"case:{story.case_id}")).all()
        assert entries, f"审计日志中没有 {username} 查阅案件 {story.case_id} 的记录"


@then('已为该儿童发起"{process_id}"流程，并带上评估意见')
def follow_up_case_started(story, process_id):
    with story.reading():
        case = story.case()
        started = [c for c in story.session().scalars(select(Case).where(Case.child_id == case.child_id))
                   if c.definition.process_id == process_id]
        assert started, f"没有为该儿童发起 {process_id}"
        workflow = story.engine.loads(started[-1].workflow_json)
        carried = [t.data for t in workflow.get_tasks() if t.data.get("handed_over_case") == case.id]
        assert carried and carried[0].get("handed_over_from") == "psych_referral" and carried[0].get("assessment_summary")


# -- the school's yearly check and the school's own start --------------------------------------
@given('儿童"{name}"在"{school}"就读')
def child_at_school(story, name, school):
    """县民政局在儿童档案中登记儿童就读的学校。"""
    def change(s):
        child = s.scalars(select(Child).where(Child.name == name)).first()
        unit = s.scalars(select(Unit).where(Unit.name == school)).first()
        assert child is not None and unit is not None, f"没有儿童“{name}”或学校“{school}”"
        return units.change_school(s, child, unit, story.user("civil_affairs.430104000000"), story.engine.clock.now())
    story.attempt(change)
    assert story.error is None, f"登记失败：{story.error and story.error.message}"


@when('儿童"{name}"转学到"{school}"')
def child_changes_school(story, name, school):
    """县民政局在儿童档案中登记儿童转入的学校。"""
    child_at_school(story, name, school)


@then('儿童"{name}"的"{process_id}"案件共 {count:d} 件')
def case_count(story, name, process_id, count):
    with story.reading() as session:
        child = session.scalars(select(Child).where(Child.name == name)).first()
        found = [c for c in session.scalars(select(Case).where(Case.child_id == child.id))
                 if c.definition.process_id == process_id]
        assert len(found) == count, f"儿童“{name}”有 {len(found)} 件 {process_id} 案件"
