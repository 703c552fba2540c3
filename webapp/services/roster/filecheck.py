"""County civil affairs checks the files every six months (湖北 二.16): one check per township.

At the start of each half-year (`file_check` in the settings, P6M: January and July) the job
opens, for every township with children on a roster, a check for its county's civil affairs
listing the files found wanting: contacts missed (contact tasks still open past due),
visits overdue, and stale grades (no grade, or not reviewed by a completed home visit in the
last six months). The county records its findings; they go to the township as a notice and
stay on the check. `(township, period)` is unique and the run is marked, so nothing opens
twice. A check is a light task, not a BPMN case: a case belongs to one child (see
`models.roster.RosterFileCheck`).
"""
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...engine import Engine
from ...engine.clock import add_months, end_of_day, local_date, start_of_day
from ...models import Child, Notification, RosterFileCheck, RosterRun, RosterTask, User, region_at_level
from ...models.org import jurisdiction_prefix
from .. import audit, forms, organisation, routing
from ..errors import Conflict, Forbidden, NotFound
from .opening import on_roster
from .periods import GRADES, period_of

SETTING = "file_check"
MAX_ITEMS = 1000  # listed per check; the totals count them all
FINDINGS_FORM = {
    "type": "object", "title": "档案检查意见",
    "properties": {"summary": {"type": "string", "title": "检查意见及整改要求", "minLength": 1, "maxLength": 4000,
                               "pattern": "[^\\s\u3000]"},
                   "rectify_by": {"type": "string", "format": "date", "title": "整改期限", "x-not-past": True}},
    "required": ["summary"], "additionalProperties": False,
}


def open_file_checks(session: Session, engine: Engine, now) -> int:
    """At the start of each half-year, a check per township with roster children; once per period."""
    today = local_date(now)
    period = period_of("contact", engine.settings.kind(SETTING).cadence, today)
    key = f"file_check:{period.key}"
    if session.get(RosterRun, key) is not None:
        return 0
    villages = session.scalars(select(Child.region_code).where(on_roster(today)).distinct()).all()
    townships = sorted({region_at_level(v, "township") for v in villages if v[6:9] != "000"})
    opened = 0
    due = end_of_day(add_months(today, 1))
    label = period.starts_on.isoformat()[:7]
    for township in townships:
        if session.scalar(select(RosterFileCheck.id).where(RosterFileCheck.township_code == township,
                                                           RosterFileCheck.period == label)) is not None:
            continue
        session.add(RosterFileCheck(township_code=township, county_code=region_at_level(township, "county"),
                                    period=label, due=due, state="open",
                                    items=wanting(session, township, now), created_at=now))
        opened += 1
    session.add(RosterRun(key=key, ran_at=now, count=opened))
    session.flush()
    return opened


def wanting(session: Session, township: str, now) -> list[dict]:
    """The township's roster files with missed contacts, overdue visits or a stale grade."""
    today = local_date(now)
    prefix = jurisdiction_prefix(township, "township")
    late = dict.fromkeys(("contact", "visit"))
    for kind in late:
        late[kind] = dict(session.execute(
            select(RosterTask.child_id, func.count()).where(
                RosterTask.state == "open", RosterTask.kind == kind, RosterTask.due < now,
                routing.within(RosterTask.office_region, prefix)).group_by(RosterTask.child_id)).all())
    since = start_of_day(add_months(today, -6))
    reviewed = set(session.scalars(select(RosterTask.child_id).where(
        RosterTask.state == "completed", RosterTask.kind == "visit", RosterTask.completed_at >= since,
        routing.within(RosterTask.office_region, prefix)).distinct()))
    children = session.execute(select(Child.id, Child.name, Child.region_code, Child.risk_grade).where(
        routing.within(Child.region_code, prefix), on_roster(today)).order_by(Child.region_code, Child.id)).all()
    items = []
    for child_id, name, village, grade in children:
        problems = []
        if late["contact"].get(child_id):
            problems.append(f"联系逾期 {late['contact'][child_id]} 次")
        if late["visit"].get(child_id):
            problems.append(f"入户走访逾期 {late['visit'][child_id]} 次")
        if grade not in GRADES:
            problems.append("风险等级未评定")
        elif child_id not in reviewed:
            problems.append("风险等级半年内未经入户走访复核")
        if problems:
            items.append({"child_id": child_id, "name": name, "village": village, "problems": problems})
    return items[:MAX_ITEMS] + ([{"more": len(items) - MAX_ITEMS}] if len(items) > MAX_ITEMS else [])


# -- reading and recording ---------------------------------------------------------------------
def checks_query(user: User, state: str | None = "open"):
    """The checks `user` sees: county civil affairs (and above) its counties', a township its own."""
    office = user.office
    if office is None or office.department_code not in ("civil_affairs", "township"):
        raise Forbidden("只有民政部门和乡镇（街道）可以查看档案检查")
    prefix = jurisdiction_prefix(office.region_code, office.level)
    query = select(RosterFileCheck).where(routing.within(RosterFileCheck.township_code, prefix))
    if state:
        query = query.where(RosterFileCheck.state == state)
    return query.order_by(RosterFileCheck.due, RosterFileCheck.id)


def check_for(session: Session, check_id, user: User) -> RosterFileCheck:
    check = session.get(RosterFileCheck, check_id) if isinstance(check_id, int) else None
    if check is None:
        raise NotFound("档案检查任务不存在")
    if session.scalar(checks_query(user, None).where(RosterFileCheck.id == check.id)) is None:
        raise Forbidden("该档案检查不在您的辖区内")
    return check


def complete_check(session: Session, check_id, findings, user: User, now) -> RosterFileCheck:
    """County civil affairs records the check's findings; the township is told."""
    check = check_for(session, check_id, user)
    if user.office.department_code != "civil_affairs":
        raise Forbidden("档案检查由县级民政部门办理")
    if check.state != "open":
        raise Conflict("该档案检查已办结")
    forms.validate(FINDINGS_FORM, findings, context=forms.Context.at(now))
    check.state, check.findings, check.completed_by_id, check.completed_at = "completed", dict(findings), user.id, now
    names = organisation.region_names(session, {check.township_code, check.county_code})
    listed = sum(1 for item in check.items if "child_id" in item)
    deadline = f"，请于 {findings['rectify_by']} 前整改" if findings.get("rectify_by") else ""
    message = (f"档案检查意见（{names.get(check.county_code, '')}民政局，{half_year_label_of(check)}）："
               f"{names.get(check.township_code, check.township_code)}有 {listed} 份档案需整改{deadline}。{findings['summary']}")
    session.add(Notification(kind="file_check", recipient=None, department="township",
                             office_region=check.township_code, message=message[:2000], created_at=now))
    audit.record(session, now, user, "roster.file_check", f"file_check:{check.id}",
                 {"township": check.township_code, "listed": listed})
    session.flush()
    return check


def half_year_label_of(check: RosterFileCheck) -> str:
    year, month = check.period.split("-")
    return f"{year}年{'上' if int(month) <= 6 else '下'}半年"
