"""Steps about units: choosing one in a form by its name, and the route explanation of a task."""
from sqlalchemy import select

from ....models import AuditEntry, HumanTask, Unit
from ... import cases, deadlines, moves, units

from .entrustment import CIVIL_AFFAIRS, SIGNERS, VILLAGE, _sign
from ..vocabulary import then, when
from .filled import GUARDIAN, agreement_draft
from .generic import complete_with_table, table


def _choose(story, username, name):
    """Complete "choose_institution" naming the unit `name` (its id, as the form's select sends it)."""
    data = {"care_institution_unit": unit_id(story, name)}
    story.attempt(lambda s: cases.complete_task(s, story.engine, story.open_task("choose_institution").id, data,
                                                story.user(username), story.engine.clock.now()))


def unit_id(story, name: str) -> int:
    with story.reading():
        unit = story.session().scalars(select(Unit).where(Unit.name == name)).first()
        assert unit is not None, f"没有单位“{name}”"
        return unit.id


@when('监护人同意委托且民政局选定照护机构"{name}"并拟定协议')
def consent_choose_and_draft(story, name):
    complete_with_table(story, VILLAGE, "record_guardian_consent", table(guardian_consents="true", **GUARDIAN, consent_note="同意委托"))
    _choose(story, CIVIL_AFFAIRS, name)
    assert story.error is None, f"办理失败：{story.error.message} {getattr(story.error, 'errors', '')}"
    complete_with_table(story, CIVIL_AFFAIRS, "draft_agreement", table(**agreement_draft(
        rights_and_duties="机构负责日常照料；监护人保留探视权", service_standards="按湖南 §三.2 提供照料",
        dispute_resolution="由县级民政局协调", keeps_household_registration="true", term_until="2033-06-01")))


@when('"{username}" 尝试选定照护机构"{name}"')
def try_choose(story, username, name):
    _choose(story, username, name)


@then('任务"{task_name}"的办理说明包含"{text}"')
def why_says(story, task_name, text):
    with story.reading():
        why = cases.why_routed(story.session(), story.open_task(task_name))
    assert text in why, why


@when("除照护机构外的四方签署协议")
def four_sign(story):
    _sign(story, [name for name in SIGNERS if name != "sign_institution"])


# -- the psychological referral: the chosen hospital, the child's school -----------------------
@when('社会心理服务机构评估为危机并拟转介"{hospital}"')
def assessed_crisis_with_hospital(story, hospital):
    data = {"assessed_on": "2026-11-06", "assessment_method": "儿童长处和困难问卷（SDQ）及访谈",
            "self_harm_risk": "plan_or_attempt", "harm_to_others": False, "symptom_severity": "severe",
            "functional_impairment": True, "assessment_summary": "有自伤计划，需立即送医",
            "hospital_unit": unit_id(story, hospital)}
    story.attempt(lambda s: cases.complete_task(s, story.engine, story.open_task("assess_by_service").id, data,
                                                story.user("psych_service.430104000000"), story.engine.clock.now()))
    assert story.error is None, f"办理失败：{story.error.message} {getattr(story.error, 'errors', '')}"


@when('"{username}" 将儿童的就读学校登记为"{school}"')
def school_registered(story, username, school):
    def change(s):
        return units.change_school(s, story.case().child, units.get(s, unit_id(story, school)), story.user(username),
                                   story.engine.clock.now())
    story.attempt(change)
    assert story.error is None, f"办理失败：{story.error.message} {getattr(story.error, 'errors', '')}"


# -- supervisors ---------------------------------------------------------------------------------
@when('"{supervisor}" 将任务"{task_name}"改派给"{assignee}"')
def reassigned(story, supervisor, task_name, assignee):
    story.attempt(lambda s: cases.reassign(s, story.open_task(task_name).id, story.user(supervisor),
                                           story.user(assignee).id, story.engine.clock.now()))


@then('"{username}"可以打开任务"{task_name}"')
def may_open(story, username, task_name):
    task = story.attempt(lambda s: cases.task_for_actor(s, story.open_task(task_name).id, story.user(username)))
    assert task is not None, f"{username} 打不开任务：{story.error and story.error.message}"


@then('审计日志记有"{username}"改派任务"{task_name}"')
def reassign_audited(story, username, task_name):
    with story.reading():
        task = story.open_task(task_name)
        entries = story.session().scalars(select(AuditEntry).where(
            AuditEntry.action == "task.reassign", AuditEntry.username == username,
            AuditEntry.target == f"task:{task.id}")).all()
        assert entries and entries[-1].detail["from_office"] != entries[-1].detail["to_office"], entries


# -- a move -------------------------------------------------------------------------------------
@when('"{username}" 登记儿童迁居至 "{region}"')
def moved(story, username, region):
    story.attempt(lambda s: moves.record_move(s, story.case().child, region, story.user(username),
                                              story.engine.clock.now()))


@then('案件所在地为 "{region}"')
def case_region(story, region):
    with story.reading():
        assert story.case().region_code == region
        assert {t.case_region for t in story.session().scalars(
            select(HumanTask).where(HumanTask.case_id == story.case_id))} == {region}


@then('"{username}"收到迁居通知')
def move_notice(story, username):
    with story.reading():
        notices = story.session().scalars(deadlines.notifications_query(story.user(username))).all()
        assert any(n.kind == "move" and story.case().child.name in n.message for n in notices), \
            f"{username} 没有收到迁居通知"


@then('"{username}"仍可查阅本案件')
def still_reads(story, username):
    case = story.attempt(lambda s: cases.case_for(s, story.case_id, story.user(username), story.engine.clock.now()))
    assert case is not None, f"{username} 被拒绝：{story.error and story.error.message}"


# -- revocation: the placement institution -------------------------------------------------------
PLACEMENT_FIELDS = {"protection_center": "placement_center_unit", "welfare_institution": "placement_welfare_unit"}


def _decide_placement(story, placement: str, unit: int | None):
    data = {"temporary_guardianship": True, "guardianship_trigger": "abuse_removed", "placement": placement,
            "protection_order": False, "decision_note": "儿童遭受监护人殴打，立即临时监护"}
    if unit is not None:
        data[PLACEMENT_FIELDS[placement]] = unit
    if placement != "protection_center":  # the check before any placement: the district's protection centre
        data["placement_center_unit"] = unit_id(story, "岳麓区未成年人救助保护中心")
    story.attempt(lambda s: cases.complete_task(s, story.engine, story.open_task("decide_temporary_guardianship").id,
                                                data, story.user(CIVIL_AFFAIRS), story.engine.clock.now()))


@when('县民政局决定临时监护，由"{name}"收留抚养')
def placed_with_unit(story, name):
    with story.reading():
        unit = story.session().get(Unit, unit_id(story, name))
        placement = unit.department_code
    _decide_placement(story, placement, unit.id)
    assert story.error is None, f"办理失败：{story.error.message} {getattr(story.error, 'errors', '')}"

