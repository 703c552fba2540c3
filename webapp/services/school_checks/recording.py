"""Reading and recording a school check: the school records, the education bureau over it reads.

The child's school's officials (`User.unit_id` = the check's school) record the result. A
`concern` starts `psych_referral` for the child as the school official (so `unit_forms.own_unit_start`
and the start rules apply as to a start by hand), with the school as the school unit and the
observation as the reason, and answers its first step, 学校年度心理健康监测, with this record
(the diagram's signs then send it to the township's screening). All in the caller's transaction:
if the start is refused nothing of the record is kept. The write is a conditional UPDATE, so two
officials submitting at once cannot both record.
"""
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ...engine import Engine
from ...models import CaseFileEntry, Child, HumanTask, SchoolCheck, Unit, User
from ...models.org import jurisdiction_prefix
from .. import audit, cases, forms, routing
from ..errors import Forbidden, Invalid, NotFound
from ..registry.paging import CappedPage, capped_count
from ..roster import light_tasks
from .opening import PROCESS_ID, title_of

FIRST_STEP = "school_check"  # psych_referral's step the record answers
METHODS = {"scale": "心理健康测评量表", "talk": "个别谈话", "observation": "日常观察", "class": "心理健康课"}
RESULTS = {"normal": "未见异常", "concern": "发现苗头"}
SIGNS = {"study_pressure": "学业压力明显", "family_change": "家庭变故", "economic_hardship": "家庭经济困难",
         "behaviour": "情绪或行为异常"}
RECORD_FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "tonghu:school_checks/record",
    "title": "学校年度心理健康监测记录",
    "type": "object",
    "properties": {
        # Not `x-not-before-birth`: the school sees the age, not the birth date, and that rule's answer would
        # name it; the date is bounded by the school year instead (`_check_values`).
        "checked_on": {"type": "string", "format": "date", "title": "监测日期", "x-not-future": 0},
        "method": {"type": "string", "title": "方式", "enum": list(METHODS), "x-enum-titles": list(METHODS.values())},
        "result": {"type": "string", "title": "监测结果", "enum": list(RESULTS), "x-enum-titles": list(RESULTS.values())},
        "signs": {"type": "array", "title": "发现的迹象（发现苗头时至少选一项）", "uniqueItems": True, "maxItems": len(SIGNS),
                  "items": {"type": "string", "enum": list(SIGNS)}, "x-enum-titles": list(SIGNS.values())},
        "observation": {"type": "string", "title": "观察与谈话记录", "minLength": 1, "maxLength": 4000,
                        "pattern": "[^\\s\u3000]", "x-widget": "textarea"},
    },
    "required": ["checked_on", "method", "result", "observation"],
    "additionalProperties": False,
}


def may_record(user: User, check: SchoolCheck) -> bool:
    return user.unit_id is not None and user.unit_id == check.unit_id


def _reads_units(user: User):
    """The schools whose checks `user` sees: their own school, or an education office's schools."""
    office = user.office
    if user.unit_id is not None:
        return select(Unit.id).where(Unit.id == user.unit_id)
    if office is not None and office.department_code == "education":
        prefix = jurisdiction_prefix(office.region_code, office.level)
        return select(Unit.id).where(Unit.department_code == "education", routing.within(Unit.region_code, prefix))
    raise Forbidden("只有学校和教育部门可以查看学校年度心理健康监测")


def check_for(session: Session, check_id, user: User) -> SchoolCheck:
    check = session.get(SchoolCheck, check_id) if isinstance(check_id, int) and not isinstance(check_id, bool) else None
    if check is None:
        raise NotFound("监测任务不存在")
    if session.scalar(_reads_units(user).where(Unit.id == check.unit_id)) is None:
        raise Forbidden("该学生不在您的学校或辖区内")
    return check


def checks_page(session: Session, user: User, now, *, state: str = "open", overdue: bool = False,
                page: int = 1, per_page: int = 50) -> CappedPage:
    """The checks `user` sees, a page at a time, soonest due first (ids through the index, then rows)."""
    if state not in ("open", "completed", "cancelled"):
        raise Invalid({"state": "应为 open、completed 或 cancelled"})
    query = select(SchoolCheck.id).where(SchoolCheck.state == state, SchoolCheck.unit_id.in_(_reads_units(user)))
    if overdue:
        query = query.where(SchoolCheck.due < now)
    total, capped = capped_count(session, query)
    ids = session.scalars(query.order_by(SchoolCheck.due, SchoolCheck.id).limit(per_page)
                          .offset((page - 1) * per_page)).all()
    rows = {c.id: c for c in session.scalars(select(SchoolCheck).where(SchoolCheck.id.in_(ids)).options(
        joinedload(SchoolCheck.child).load_only(Child.id, Child.name, Child.region_code, Child.birth_date)))}
    return CappedPage([rows[i] for i in ids], page, per_page, total, capped)


def school_counts(session: Session, user: User, now) -> dict | None:
    """A school official's headline on the task list: their pupils' open checks and how many are overdue."""
    if user.unit_id is None:
        return None
    mine = (SchoolCheck.state == "open", SchoolCheck.unit_id == user.unit_id)
    count = lambda *extra: session.scalar(select(func.count()).select_from(SchoolCheck).where(*mine, *extra))  # noqa: E731
    return {"open": count(), "overdue": count(SchoolCheck.due < now)}


def summary(findings: dict) -> str:
    signs = "、".join(SIGNS[s] for s in findings.get("signs") or []) or "未发现异常迹象"
    return (f"{findings['checked_on']} {METHODS[findings['method']]}：{RESULTS[findings['result']]}；迹象：{signs}。"
            f"{findings['observation']}")


def _check_values(check: SchoolCheck, findings: dict) -> None:
    errors = {}
    if findings["result"] == "concern" and not findings.get("signs"):
        errors["signs"] = "发现苗头的，请至少选择一项发现的迹象"
    if findings["result"] == "normal" and findings.get("signs"):
        errors["signs"] = "监测结果为未见异常的，不能勾选迹象；发现迹象的请选“发现苗头”"
    if findings["checked_on"] < check.starts_on.isoformat():
        errors["checked_on"] = f"本学年自 {check.starts_on.isoformat()} 起，此前的监测不能计入本学年"
    if errors:
        raise Invalid(errors)


def record(session: Session, engine: Engine, check_id, findings, user: User, now,
           remote_addr: str | None = None) -> SchoolCheck:
    """Record the school's check; a concern starts the psychological referral with it."""
    check = check_for(session, check_id, user)
    if not may_record(user, check):
        raise Forbidden("只有儿童就读学校的工作人员可以登记本校学生的心理健康监测")
    light_tasks.ensure_open(check, "监测", "该监测已取消（学生已满十八周岁或已不在该校就读）")
    forms.validate(RECORD_FORM, findings, context=forms.Context.at(now, None))  # no rule reads the birth date
    _check_values(check, findings)
    kept = dict(findings)
    light_tasks.mark_completed(session, check, kept, user, now, "监测")
    title = title_of(check.school_year)
    # The child's file (read by the village, township and civil affairs) says that the check was done and
    # its result, not what was observed: that is psychological data, kept on the check (the school) and,
    # on a concern, in the referral, which only its handlers and county civil affairs read.
    session.add(CaseFileEntry(child_id=check.child_id, case_id=None, kind="event",
                              title=f"{title}：{RESULTS[findings['result']]}",
                              data={"school_check": check.id, "school": check.unit.name,
                                    "checked_on": findings["checked_on"], "result": findings["result"]},
                              author_id=user.id, office_id=user.office_id, created_at=now))
    if findings["result"] == "concern":
        check.started_case_id = start_referral(session, engine, check, findings, user, now, remote_addr).id
    audit.record(session, now, user, "school_check.record", f"school_check:{check.id}",
                 {"child": check.child_id, "result": findings["result"], "started": check.started_case_id}, remote_addr)
    session.flush()
    return check


def start_referral(session: Session, engine: Engine, check: SchoolCheck, findings: dict, user: User, now,
                   remote_addr: str | None = None):
    """psych_referral for the child, started by the school, its first step answered by the record."""
    child = check.child
    if not (child.id_number and child.birth_date and child.gender):
        raise Invalid({"result": "该学生的公民身份号码、出生日期或性别尚未登记，不能据此发起心理健康转介；"
                                 "请先由民政部门在儿童档案中补全身份信息（本次记录未保存）"})
    data = {"child": {"name": child.name, "id_number": child.id_number, "birth_date": child.birth_date.isoformat(),
                      "gender": child.gender},
            "monitoring_source": "school_yearly_check", "school_unit": check.unit_id,
            "reason": f"{title_of(check.school_year)}发现：{summary(findings)}"[:4000]}
    case = cases.start_case(session, engine, PROCESS_ID, child.region_code, data, user, now, remote_addr)
    step = session.scalar(select(HumanTask.id).where(HumanTask.case_id == case.id, HumanTask.name == FIRST_STEP,
                                                     HumanTask.state == "open"))
    if step is not None:  # the diagram's first step is the school's record: answer it with this one
        signs = set(findings.get("signs") or [])
        cases.complete_task(session, engine, step, {
            "contact_date": findings["checked_on"], **{f"sign_{s}": s in signs for s in SIGNS},
            "observations": findings["observation"]}, user, now, remote_addr)
    return case
