"""Shortcuts for the entrustment scenarios: well-known stretches of the procedure.

Each is only a named sequence of the generic "办理任务" step with typical data, so the
scenarios can dwell on the step they are about.
"""
from sqlalchemy import select

from ....models import Case, Child, ProcessDefinition, Unit
from ... import cases
from ...registry.children import risk_setting

from ..vocabulary import then, when
from .filled import GUARDIAN, agreement_draft, capacity_assessment
from .generic import complete_with_table, table

CIVIL_AFFAIRS = "civil_affairs.430104000000"
VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
INSTITUTION = "unit.cs-welfare"  # the care institution chosen below (hunan §三.2) signs and admits

SIGNERS = {
    "sign_guardian": (VILLAGE, "王秀英"),
    "sign_village": (VILLAGE, "张儿童主任"),
    "sign_township": (TOWNSHIP, "李督导员"),
    "sign_institution": (INSTITUTION, "长沙市儿童福利院 赵院长"),
    "sign_civil_affairs": (CIVIL_AFFAIRS, "岳麓区民政局 刘科长"),
}


@when("乡镇完成入户调查")
def investigation_done(story):
    complete_with_table(story, TOWNSHIP, "township_home_investigation", table(
        guardian_name="王秀英", guardian_relation="grandparent", health="年迈多病",
        income="低保", living_conditions="祖孙二人同住"))


@when("县民政局评估监护能力不足")
def assessed_insufficient(story):
    complete_with_table(story, CIVIL_AFFAIRS, "assess_capacity", table(
        **capacity_assessment("insufficient", "监护人无力履行照料职责")))


@when("监护人同意委托且民政局拟定协议")
def consent_and_draft(story):
    complete_with_table(story, VILLAGE, "record_guardian_consent", table(guardian_consents="true", **GUARDIAN, consent_note="同意委托"))
    story.attempt(lambda s: cases.complete_task(s, story.engine, story.open_task("choose_institution").id,
                                                {"care_institution_unit": unit_id_by_code(story, "cs-welfare")}, story.user(CIVIL_AFFAIRS), story.engine.clock.now()))
    assert story.error is None, f"办理失败：{story.error.message} {getattr(story.error, 'errors', '')}"
    complete_with_table(story, CIVIL_AFFAIRS, "draft_agreement", table(**agreement_draft(
        rights_and_duties="机构负责日常照料；监护人保留探视权", service_standards="按湖南 §三.2 提供照料、康复、心理疏导、学业辅导",
        dispute_resolution="由县级民政局协调，协调不成可依法诉讼", keeps_household_registration="true", term_until="2033-06-01")))


def _sign(story, names):
    for name in names:
        username, signatory = SIGNERS[name]
        complete_with_table(story, username, name, table(signed="true", signatory=signatory, signed_on="2026-11-20"))


@when("五方均签署协议")
def all_sign(story):
    _sign(story, SIGNERS)


@when("其余四方签署协议")
def others_sign(story):
    open_names = {t.name for t in cases.open_tasks(story.session(), story.case())}
    _sign(story, [n for n in SIGNERS if n in open_names])


@then('没有为同一儿童转入"{process_id}"流程')
def not_handed_over(story, process_id):
    with story.reading():
        others = story.session().scalars(select(Case).join(ProcessDefinition).where(
            Case.child_id == story.case().child_id, ProcessDefinition.process_id == process_id)).all()
        assert others == [], f"不应为该儿童发起 {process_id}，却有案件 {[c.id for c in others]}"


@then('儿童名册中的监护风险等级为"{grade}"')
def risk_grade_is(story, grade):
    with story.reading():
        child = story.session().get(Child, story.case().child_id)
        assert child.risk_grade == grade, f"监护风险等级为 {child.risk_grade}"


@then('儿童名册中的监护风险等级由"{office}"评定，理由包含"{text}"')
def risk_grade_set_by(story, office, text):
    """名册的变更记录说明当前风险等级由谁评定、理由为何（registry/grading.py）。"""
    with story.reading():
        setting = risk_setting(story.session(), story.session().get(Child, story.case().child_id))
        assert setting is not None, "名册中没有评定当前风险等级的记录"
        shown = (setting.office.name if setting.office else None, setting.reason)
        assert shown[0] == office and text in (setting.reason or ""), f"评定记录为 {shown}"


def unit_id_by_code(story, code: str) -> int:
    """A unit's id from its code (the demo's `cs-welfare`), as the form's select sends it."""
    with story.reading():
        unit = story.session().scalars(select(Unit).where(Unit.code == code)).first()
        assert unit is not None, f"没有单位“{code}”"
        return unit.id
