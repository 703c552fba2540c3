"""Steps for the revocation and restoration scenarios (features/guardianship_revocation.feature).

Shortcuts are named sequences of the generic "办理任务" step with typical data, so that a
scenario dwells on the step it is about; the checks look at hand-overs, at who may see a
court task, and at what each department sees of a confidential reporter.
"""
import json

from sqlalchemy import select

from ....models import AuditEntry, Case, Child, HumanTask, ProcessDefinition, Region, User
from ... import cases, organisation, routing
from ...errors import Forbidden
from ...registry import search
from ..vocabulary import then, when
from .filled import capacity_assessment
from .generic import complete_with_table, table

CIVIL_AFFAIRS = "civil_affairs.430104000000"
POLICE = "police.430104001000"
TOWNSHIP = "township.430104001000"
VILLAGE = "village.430104001001"
COURT = "court.430104000000"
# The demo district's placement units (webapp/demo.py): the decision chooses them, their officials act.
CENTER = "unit.yl-protection"
CENTER_NAME = "岳麓区未成年人救助保护中心"
WELFARE = "unit.cs-welfare"
WELFARE_NAME = "长沙市儿童福利院"


# -- shortcuts --------------------------------------------------------------------------------
@when("派出所受理处置报告，儿童仍处于危险之中")
def police_handled(story):
    complete_with_table(story, POLICE, "police_handle_report", table(
        accepted_at="2026-11-20T10:30:00+08:00", police_measures="removed_child", criminal_case="false", child_in_danger="true",
        handling_note="出警核实，儿童身上多处伤痕，已带离现场"))


@when('县民政局决定临时监护，安置于"{placement}"')
def temporary_guardianship(story, placement):
    """The district's protection centre checks the child; a welfare placement names the city's institution."""
    units = {"placement_center_unit": CENTER_NAME}
    if placement == "welfare_institution":
        units["placement_welfare_unit"] = WELFARE_NAME
    complete_with_table(story, CIVIL_AFFAIRS, "decide_temporary_guardianship", table(
        temporary_guardianship="true", guardianship_trigger="abuse_removed", placement=placement,
        protection_order="false", decision_note="儿童遭受监护人殴打，立即临时监护", **units))


@when("县民政局决定不临时监护")
def no_temporary_guardianship(story):
    complete_with_table(story, CIVIL_AFFAIRS, "decide_temporary_guardianship", table(
        temporary_guardianship="false", protection_order="false", decision_note="儿童暂无人身危险，由祖母照料"))


@when("救助保护机构完成体检并接收儿童")
def checked_and_admitted(story):
    complete_with_table(story, CENTER, "medical_check", table(
        checked_on="2026-11-21", hospital="岳麓区人民医院", health_findings="软组织挫伤", injuries_documented="true"))
    complete_with_table(story, CENTER, "admit_protection_center", table(
        placed_on="2026-11-21", carer=CENTER_NAME, arrangements="生活照料，原校就读"))


@when('家庭监护能力评估结论为"{capacity}"')
def assessed(story, capacity):
    complete_with_table(story, TOWNSHIP, "township_home_investigation", table(
        guardian_name="刘某", guardian_relation="parent", health="有吸毒史", income="无稳定收入",
        living_conditions="父子二人同住，家中脏乱"))
    complete_with_table(story, CIVIL_AFFAIRS, "assess_capacity", table(
        **capacity_assessment(capacity, f"评估结论：{capacity}")))


@when('县民政局调查评估，决定"{intervention}"')
def investigated(story, intervention):
    complete_with_table(story, CIVIL_AFFAIRS, "investigate", table(
        findings="监护人长期吸毒，多次殴打儿童", grounds="drug_use", entrustment_attempted="true",
        guardian_refuses_entrustment="true", intervention=intervention, measure_note="依法处理"))


@when("县民政局作为申请人申请撤销")
def civil_affairs_applies(story):
    complete_with_table(story, CIVIL_AFFAIRS, "choose_applicant", table(
        other_applicant="none", procuratorate_review="false", application_grounds="监护人吸毒并多次殴打儿童，拒绝委托他人照护"))


@when("法院受理申请")
def court_accepts(story):
    complete_with_table(story, COURT, "court_accept", table(court_case_number="（2026）湘0104民特1号", accepted_on="2026-12-01"))


DESIGNATED_NAMES = {"relative": "刘奶奶（祖母）", "village_committee": "望月湖社区居民委员会",
                    "willing_person": "张某（邻居，曾长期照料儿童）"}


@when('法院判决撤销监护人资格，指定"{guardian}"担任监护人')
def court_revokes(story, guardian):
    fields = dict(hearing_date="2026-12-20", child_can_express_view="true", child_view="不想回家", court_ruling="revoked",
                  designated_guardian=guardian, maintenance_ordered="true", ruling_reasons="监护人严重侵害被监护人合法权益")
    # Who the designated guardian is (民法典 art. 27, 32); a willing person needs a consenting body.
    fields["designated_relative_name"] = DESIGNATED_NAMES.get(guardian)
    if guardian == "willing_person":
        fields["guardian_consent_by"] = "village_committee"
    if guardian == "civil_affairs":  # long-term care: the city's welfare institution raises the child
        fields["placement_welfare_unit"] = WELFARE_NAME
    fields = {key: value for key, value in fields.items() if value is not None}
    complete_with_table(story, COURT, "court_rule", table(**fields))


@when("村委会回访，情况稳定")
def village_visit_stable(story):
    complete_with_table(story, VILLAGE, "return_visit", table(
        visited_on="2027-01-10", visit_findings="照料良好，按时上学", further_visits_needed="false"))


# -- checks ------------------------------------------------------------------------------------
@then('已为同一儿童转入"{process_id}"流程')
@when('转到为同一儿童发起的"{process_id}"流程')
def handed_over(story, process_id):
    with story.reading():
        child_id = story.case().child_id
        case = story.session().scalars(
            select(Case).join(ProcessDefinition).where(Case.child_id == child_id, ProcessDefinition.process_id == process_id)
            .order_by(Case.id.desc())).first()
        assert case is not None, f"没有为该儿童发起 {process_id}"
        assert case.id != story.case_id
        story.case_id = case.id


@then('任务"{task_name}"只在"{department}"部门的任务列表中')
def only_department_sees(story, task_name, department):
    with story.reading():
        task = story.open_task(task_name)
        seen_by = [u for u in story.session().scalars(select(User))
                   if task.id in story.session().scalars(routing.visible_tasks(u).with_only_columns(HumanTask.id)).all()]
        assert seen_by, f"没有人能看到“{task_name}”"
        others = [u.username for u in seen_by if u.office.department_code != department]
        assert not others, f"“{task_name}”出现在其他部门的任务列表中：{others}"


def _shown(story, username, task_name) -> str:
    with story.reading():
        task = story.open_task(task_name)
        data = cases.shown_data(story.user(username), task.case, cases.task_data(story.engine, task))
        return json.dumps(data, ensure_ascii=False)


@then('"{username}"查看任务"{task_name}"时看不到报告人"{name}"')
def reporter_hidden(story, username, task_name, name):
    shown = _shown(story, username, task_name)
    assert name not in shown, f"{username} 看到了报告人：{shown}"
    assert cases.CONFIDENTIAL_MASK in shown


@then('"{username}"查看任务"{task_name}"时可以看到报告人"{name}"')
def reporter_shown(story, username, task_name, name):
    assert name in _shown(story, username, task_name)


@then('儿童档案中的"{title}"不包含"{text}"')
def file_entry_lacks(story, title, text):
    with story.reading():
        entries = [e for e in cases.file_entries(story.session(), story.case().child) if title in e.title]
        assert entries, f"档案中没有“{title}”"
        assert not any(text in (e.body or "") + json.dumps(e.data or {}, ensure_ascii=False) for e in entries)


@then('任务"{task_name}"须在一个月内办理')
def due_in_a_month(story, task_name):
    with story.reading():
        task = story.open_task(task_name)
        start, due = task.created_at, task.due
        month = start.month % 12 + 1
        expected = start.replace(year=start.year + (start.month == 12), month=month) if start.day <= 28 else None
        assert expected is None or due == expected, f"期限为 {due}，应为 {expected}"
        assert 28 <= (due - start).days <= 31


@when("经派出所处置、临时监护、调查评估，县民政局申请撤销，法院已受理")
def up_to_court(story):
    police_handled(story)
    temporary_guardianship(story, "protection_center")
    checked_and_admitted(story)
    assessed(story, "severe_risk")
    investigated(story, "revocation")
    civil_affairs_applies(story)
    court_accepts(story)


@then('儿童档案中没有"{title}"')
def file_lacks(story, title):
    with story.reading():
        titles = [e.title for e in cases.file_entries(story.session(), story.case().child)]
        assert not any(title in t for t in titles), f"档案中不应有“{title}”：{titles}"


# -- who may read a revocation case (a private procedure, services/cases/access.py) ------------
@when('"{department}"在"{region}"设有主管"{username}"')
def supervisor_exists(story, department, region, username):
    """An extra supervisor account, e.g. of the city's police over the county's stations."""
    with story.reading() as session:
        office = organisation.ensure_office(session, department, session.get(Region, region))
        organisation.ensure_user(session, username, "tonghu-demo-supervisor", story.engine.clock.now(),
                                 f"{office.name}主管", "supervisor", office)
        session.commit()


def _read_case(story, username):
    return story.attempt(lambda s: cases.case_for(s, story.case_id, story.user(username), story.engine.clock.now()))


@then('"{username}"可以查阅本撤销案件')
def may_read_revocation(story, username):
    assert _read_case(story, username) is not None, f"{username} 被拒绝：{story.error and story.error.message}"
    with story.reading() as session:
        found = search.find_cases(session, story.user(username), child_id=story.case().child_id, per_page=100).items
        assert story.case_id in [i.case.id for i in found], f"{username} 的案件查询中没有本案件"


@then('"{username}"不能查阅本撤销案件，儿童档案和案件查询中也看不到它')
def may_not_read_revocation(story, username):
    assert _read_case(story, username) is None and isinstance(story.error, Forbidden), f"{username} 本不应能查阅"
    with story.reading() as session:
        user, case = story.user(username), story.case()
        found = search.find_cases(session, user, child_id=case.child_id, per_page=100).items
        assert case.id not in [i.case.id for i in found], \
            f"{username} 的案件查询中有本案件"
        entries = cases.file_entries(session, session.get(Child, case.child_id), user, story.engine.clock.now())
        assert all(e.case_id != case.id for e in entries), f"{username} 在儿童档案中看到了本案件的记录"


@then('审计日志记有"{username}"查阅本撤销案件')
def revocation_read_audited(story, username):
    with story.reading() as session:
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.action == cases.REVOCATION_READ, AuditEntry.username == username,
            AuditEntry.target == f"case:{story.case_id}")).all()
        assert entries, f"审计日志中没有 {username} 查阅撤销案件 {story.case_id} 的记录"
