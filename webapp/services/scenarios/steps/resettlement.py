"""Steps of the resettlement scenarios: children in the institution's care, automatic starts,
waiting timers and deadlines, and named stretches of the procedure.

The stretches are only sequences of the generic "办理任务" step with typical data, so the
scenarios can dwell on the branch they are about.
"""
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ....models import Case, Child, ProcessDefinition, WaitingTimer
from ....models.org import region_at_level
from ... import cases, resettlement
from ..vocabulary import given, then, when
from .generic import child_for, complete_with_table, table, time_reaches

from ....engine.clock import LOCAL_TZ as CHINA
WELFARE_INSTITUTION = "welfare_institution.310100000000"
CIVIL_AFFAIRS = "civil_affairs.310100000000"
DISTRICT = "district_government.310104000000"
HOUSING = "housing.310104000000"
POLICE = "police.310104000000"
HR = "hr_social_security.310104000000"
STREET = "township.310104001000"


def _register(story, name, birth, region, in_care):
    info = child_for(name, birth)
    story.attempt(lambda s: resettlement.register_in_care(
        s, info, region, in_care, story.engine.clock.now(), story.user(WELFARE_INSTITUTION)))
    assert story.error is None, f"登记失败：{story.error.message} {getattr(story.error, 'errors', '')}"


def _child(story, name) -> Child:
    child = story.session().scalars(select(Child).where(Child.name == name)).first()
    assert child is not None, f"没有儿童“{name}”"
    return child


def _resettlement_cases(story, name) -> list[Case]:
    child = _child(story, name)
    return list(story.session().scalars(
        select(Case).join(ProcessDefinition, Case.definition_id == ProcessDefinition.id)
        .where(Case.child_id == child.id, ProcessDefinition.process_id == "orphan_resettlement")))


# -- who is in care, automatic start ------------------------------------------------------------
# The plan is approved together with the housing, household-registration and employment departments (shanghai (四)).
CONSULTED = dict(housing_opinion="同意安排公共租赁住房", household_registration_opinion="同意迁入新住所",
                 employment_opinion="同意推荐就业援助基地")


@given('儿童"{name}"（出生日期 {birth}）由市儿童福利机构集中养育，住所地为 "{region}"')
@when('儿童"{name}"（出生日期 {birth}）由市儿童福利机构集中养育，住所地为 "{region}"')
def in_care(story, name, birth, region):
    _register(story, name, birth, region, True)


@when('儿童"{name}"（出生日期 {birth}）离开市儿童福利机构，住所地为 "{region}"')
def left_care(story, name, birth, region):
    _register(story, name, birth, region, False)


@given('系统于 {day} 为集中养育的儿童"{name}"（出生日期 {birth}）启动了回归社会安置程序')
def started_by_scheduler(story, day, name, birth):
    """The whole automatic start in one Given: register the day before, then let the day come."""
    before = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    time_reaches(story, before)
    _register(story, name, birth, "310104001001", True)
    time_reaches(story, day)
    started(story, name)


@then('系统已为儿童"{name}"启动回归社会安置程序')
@then('儿童"{name}"有且只有一个回归社会安置案件')
def started(story, name):
    found = _resettlement_cases(story, name)
    assert len(found) == 1, f"儿童“{name}”有 {len(found)} 个回归社会安置案件"
    story.case_id = found[0].id


@then('儿童"{name}"没有回归社会安置案件')
def not_started(story, name):
    assert _resettlement_cases(story, name) == []


# -- timers and deadlines ----------------------------------------------------------------------
@then('案件等待定时器"{timer}"，于 {day} 到期')
def waits_for(story, timer, day):
    rows = story.session().scalars(select(WaitingTimer).where(WaitingTimer.case_id == story.case_id)).all()
    waiting = {(t.name, t.fire_at.astimezone(CHINA).isoformat()) for t in rows}
    expected = datetime.fromisoformat(day).replace(tzinfo=CHINA).isoformat()
    assert (timer, expected) in waiting, f"案件等待的定时器：{waiting}"


@then("案件没有待办任务")
def no_open_tasks(story):
    assert cases.open_tasks(story.session(), story.case()) == []


@then('任务"{task_name}"须在 {day} 前办结')
def due_before(story, task_name, day):
    due = story.open_task(task_name).due
    assert due is not None and due.astimezone(CHINA).date() == date.fromisoformat(day), f"办理期限为 {due}"


# -- named stretches ---------------------------------------------------------------------------
def _today(story, days=0) -> str:
    return (story.engine.clock.now().astimezone(CHINA).date() + timedelta(days=days)).isoformat()


def _assess(story, task, result, on):
    level = "sufficient" if result == "able" else "insufficient"
    complete_with_table(story, CIVIL_AFFAIRS, task, table(
        independent_living=level, work_ability=level, self_care="sufficient",
        physical_mental_state="身体健康" if result == "able" else "轻度智力障碍，需持续康复",
        assessment_result=result,
        assessment_summary="具备独立生活和就业能力" if result == "able" else "尚不具备独立生活能力",
        assessed_on=on))


@when('市民政局在"{task}"中评估为具备回归社会生活能力')
def assessed_able(story, task):
    _assess(story, task, "able", _today(story))


@when('市民政局在"{task}"中评估为不具备回归社会生活能力')
def assessed_unable(story, task):
    _assess(story, task, "unable", _today(story))


@when("儿童福利机构拟定安置方案并经市民政局批准")
def plan_approved(story):
    """The new residence is in the street of the child's place (a scenario of its own chooses another)."""
    street = region_at_level(story.case().region_code, "township")
    complete_with_table(story, WELFARE_INSTITUTION, "draft_resettlement_plan", table(
        housing_plan="申请徐汇区公共租赁住房", new_residence_street=street, household_registration_plan="户口由福利院集体户迁入新住所",
        employment_plan="推荐至区就业援助基地", care_plan="街道落实结对关爱", planned_move_date=_today(story, 30)))
    complete_with_table(story, CIVIL_AFFAIRS, "approve_resettlement_plan", table(
        plan_approved="true", approval_opinion="同意，请徐汇区政府落实", **CONSULTED))


@when("区政府接收安置，住房、户口、就业均已落实")
def arrangements_done(story):
    complete_with_table(story, DISTRICT, "accept_resettlement", table(
        accepted_on=_today(story), coordinator="徐汇区民政局 王科长", instructions="住房、户口、就业同步落实，街道做好关爱"))
    complete_with_table(story, HOUSING, "arrange_housing", table(
        housing_type="public_rental", address="徐汇区某路 100 弄 1 号 101 室", move_in_date=_today(story, 20)))
    complete_with_table(story, POLICE, "arrange_household_registration", table(
        registered_address="徐汇区某路 100 弄 1 号", registered_on=_today(story, 20)))
    complete_with_table(story, HR, "arrange_employment", table(
        employment_status="employed", employer="徐汇区某物业公司", employment_support="岗前培训并给予就业补贴"))


@when("街道落实长期关爱措施，每季度回访一次")
def care_measures(story):
    complete_with_table(story, STREET, "long_term_care_measures", table(
        care_measures="社区结对关爱、节假日走访、心理支持", contact_person="湖南路街道 李社工", follow_up_interval="P3M"))
