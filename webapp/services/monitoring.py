"""Recurring monitoring visits for years: a plan per child and kind, a short case per cycle.

Why not a loop in the agreement's diagram: SpiffWorkflow 3.2 reports a looping instance whose
task tree passes depth 1000 as completed, and every step of such an instance costs more as its
history grows (DESIGN.md "Known engine limit"). So the agreement's diagram only *opens* plans
(service task `open_monitoring`) and *closes* them (`close_monitoring`); the rhythm lives in a
`monitoring_plans` row, and the scheduler job below starts one short visit case per cycle
(`monitoring_visit`, or the procedure the kind names in webapp/settings.py, e.g.
`left_behind_visit` for the village's watch over a left-behind child's carer). The 200th visit is a fresh two-step instance like the first, and the agreement's
own workflow does not grow at all.

Timing. Visit k of a plan is due on `anchor + k x cadence` (calendar arithmetic from the
anchor, so six-monthly visits from 1 December stay on 1 June / 1 December and never drift)
by the end of that day, local time; its task opens `lead` earlier. A visit due on or after
`until` (the child's 18th birthday) is not started: the plan ends that day. A plan's case
closing (agreement terminated: capacity restored, guardianship revoked, 18) closes it and
cancels its visit still open.

Once only. `(plan_id, cycle)` is unique and the plan row carries an optimistic version, so
two schedulers racing for the same cycle start it once (the loser's transaction fails and
is rolled back; the lease in webapp/worker.py usually keeps them from racing at all).
Catching up after downtime starts only the latest missed cycle of a plan, due on its own
date, so it shows as overdue and is escalated; the earlier missed cycles are noted on the
file, not opened (a scheduler down for months, or an admission dated years back, must not
flood the offices with dozens of overdue visits and notices at once). A plan never opens a
visit due before the plan itself was opened: its first cycle is the first due from that day.
"""
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import PlanRequest
from ..engine import Engine
from ..engine.clock import add_months, end_of_day, local_date, start_of_day
from ..models import Case, Child, MonitoringPlan, MonitoringVisit
from ..settings import parse_cadence
from . import cases

END_AT_18 = "儿童年满十八周岁"


# -- calendar -------------------------------------------------------------------------------
def shift(day: date, duration: str, times: int = 1) -> date:
    """`day` moved by `times` x `duration` (negative to go back), whole months first."""
    months, days = parse_cadence(duration)
    return date.fromordinal(add_months(day, times * months).toordinal() + times * days)


def due_date(plan: MonitoringPlan, cycle: int) -> date:
    return shift(local_date(plan.anchor), plan.cadence, cycle)


def first_cycle_due_from(plan: MonitoringPlan, day: date, cycle: int = 1) -> int:
    """The first cycle from `cycle` on that is due on or after `day` (or reaches `until`)."""
    last_day = local_date(plan.until) if plan.until is not None else None
    while due_date(plan, cycle) < day and (last_day is None or due_date(plan, cycle) < last_day):
        cycle += 1
    return cycle


def _schedule(plan: MonitoringPlan, cycle: int) -> None:
    """Point the plan at `cycle`: when it is due, and when its task opens (never after `until`)."""
    due = due_date(plan, cycle)
    plan.next_due = end_of_day(due)
    plan.next_open_at = start_of_day(shift(due, plan.lead, -1))
    if plan.until is not None and plan.next_open_at > plan.until:
        plan.next_open_at = plan.until


# -- plans opened and closed by the diagrams -------------------------------------------------
def apply_requests(session: Session, engine: Engine, case: Case, requests: list[PlanRequest], now) -> None:
    """What `open_monitoring` / `close_monitoring` / `update_monitoring_carer` asked, as rows."""
    for request in requests:
        fields = request.fields
        if request.action == "open":
            anchor = date.fromisoformat(fields["anchor"]) if fields.get("anchor") else local_date(now)
            until = date.fromisoformat(fields["until"]) if fields.get("until") else None
            open_plans(session, engine, case, fields["kinds"], anchor, until, fields.get("carer"), now,
                       fields.get("carer_unit"))
        elif request.action == "close":
            close_plans(session, case, fields.get("reason") or "协议终止", now)
        elif request.action == "update":
            update_carer(session, case, fields.get("plan_id"), fields["carer"], now,
                         fields.get("chosen_by"), fields.get("carer_unit"))
        else:
            raise ValueError(f"unknown monitoring request {request.action}")


def open_plans(session: Session, engine: Engine, case: Case, kinds: list[str], anchor: date, until: date | None,
               carer: str | None, now, carer_unit: int | None = None) -> list[MonitoringPlan]:
    """One active plan per kind for the case (opening twice keeps the first)."""
    opened = []
    for name in kinds:
        kind = engine.settings.kind(name)
        existing = session.scalars(select(MonitoringPlan).where(
            MonitoringPlan.case_id == case.id, MonitoringPlan.kind == name, MonitoringPlan.status == "active")).first()
        if existing is not None:
            continue
        plan = MonitoringPlan(
            child=case.child, case=case, region_code=case.region_code, kind=name, title=kind.title,
            process_id=kind.process, cadence=kind.cadence, lead=kind.lead, anchor=start_of_day(anchor),
            until=start_of_day(until) if until else None, cycle=0, carer=carer, carer_unit_id=carer_unit, status="active",
            opened_at=now,
        )
        first = first_cycle_due_from(plan, local_date(now))
        plan.cycle = first - 1  # the cycles due before the plan existed are never opened
        _schedule(plan, first)
        session.add(plan)
        opened.append(plan)
        cases.note_on_file(session, case, f"开启定期走访：{kind.title}", now, data={
            "cadence": kind.cadence, "first_due": local_date(plan.next_due).isoformat(),
            "until": until.isoformat() if until else None, "carer": carer, "basis": kind.source})
    session.flush()
    return opened


def close_plans(session: Session, case: Case, reason: str, now) -> int:
    """Close the case's active plans and cancel their visits still open."""
    plans = session.scalars(select(MonitoringPlan).where(
        MonitoringPlan.case_id == case.id, MonitoringPlan.status == "active")).all()
    for plan in plans:
        _stop(session, plan, "closed", reason, now)
    return len(plans)


def _stop(session: Session, plan: MonitoringPlan, status: str, reason: str, now) -> None:
    plan.status = status
    plan.closed_at = now
    plan.closed_reason = reason
    running = session.scalars(select(Case).join(MonitoringVisit, MonitoringVisit.case_id == Case.id).where(
        MonitoringVisit.plan_id == plan.id, Case.status == "running")).all()
    for visit_case in running:
        cases.cancel_case(session, visit_case, f"{plan.title}已结束（{reason}）", now)
    cases.note_on_file(session, plan.case, f"定期走访结束：{plan.title}（{reason}）", now,
                       data={"cycles": plan.cycle, "reason": reason})


def update_carer(session: Session, case: Case, plan_id, carer: str, now,
                 chosen_by: str | None = None, carer_unit: int | None = None) -> None:
    """A re-selected carer (湖北 二.5) on every active plan of the agreement this visit belongs
    to (a visit started by hand: every active plan of the child). The parents' choice amends
    the agreement: an entry on each agreement's case (and so on the child's file) names the
    old carer, the new one and who chose."""
    plan = session.get(MonitoringPlan, plan_id) if isinstance(plan_id, int) else None
    query = select(MonitoringPlan).where(MonitoringPlan.status == "active")
    if plan is not None:
        query = query.where(MonitoringPlan.case_id == plan.case_id)
    else:
        query = query.where(MonitoringPlan.child_id == case.child_id)
    agreements: dict[int, tuple[Case, str | None]] = {}
    for each in session.scalars(query.order_by(MonitoringPlan.id)):
        agreements.setdefault(each.case_id, (each.case, each.carer))
        each.carer = carer
        if carer_unit is not None:
            each.carer_unit_id = carer_unit
    cases.note_on_file(session, case, f"重新选择被委托照护人：{carer}", now, data={"carer": carer})
    for agreement, previous in agreements.values():
        cases.note_on_file(session, agreement, f"委托照护协议变更：被委托照护人改为{carer}", now, data={
            "previous_carer": previous, "carer": carer, "chosen_by": chosen_by, "carer_unit": carer_unit,
            "visit_case": case.id, "basis": "湖北 二.5"})


# -- the scheduler job ---------------------------------------------------------------------
def start_due_visits(session: Session, engine: Engine, now) -> int:
    """Start every visit whose task is due to open by `now`; end plans whose child turned 18."""
    plans = session.scalars(select(MonitoringPlan).where(
        MonitoringPlan.status == "active", MonitoringPlan.next_open_at <= now).order_by(MonitoringPlan.id)).all()
    started = 0
    for plan in plans:
        skipped = []
        while plan.status == "active" and plan.next_open_at <= now:
            cycle = plan.cycle + 1
            due = due_date(plan, cycle)
            if plan.until is not None and start_of_day(due) >= plan.until:
                _stop(session, plan, "ended", END_AT_18, plan.until)
                break
            if due < local_date(plan.opened_at) or _missed(plan, cycle + 1, now):
                skipped.append(cycle)  # before the plan began, or a later cycle is missed too
                plan.cycle = cycle
                _schedule(plan, cycle + 1)
                continue
            if not cases.contained(session, now, f"监护计划 {plan.id} 开启第 {cycle} 次走访",
                                   lambda: start_visit(session, engine, plan, cycle, now)):
                break  # the procedure's design fails: recorded once; the other plans go on
            started += 1
        if skipped:
            _note_skipped(session, plan, skipped, now)
    session.flush()
    return started


def _missed(plan: MonitoringPlan, cycle: int, now) -> bool:
    """Whether `cycle` was due before `now` and would still have been a visit (before `until`)."""
    due = due_date(plan, cycle)
    return end_of_day(due) < now and (plan.until is None or start_of_day(due) < plan.until)


def _note_skipped(session: Session, plan: MonitoringPlan, skipped: list[int], now) -> None:
    first, last = skipped[0], skipped[-1]
    span = f"第 {first} 次" if first == last else f"第 {first}–{last} 次"
    cases.note_on_file(session, plan.case, f"{plan.title}：{span}走访已错过，未补开（只补开最近一次）", now, data={
        "skipped_cycles": len(skipped), "first": first, "last": last,
        "first_due": due_date(plan, first).isoformat(), "last_due": due_date(plan, last).isoformat()})


def start_visit(session: Session, engine: Engine, plan: MonitoringPlan, cycle: int, now) -> Case:
    due = end_of_day(due_date(plan, cycle))
    child: Child = plan.child
    data = {
        "child": {"name": child.name, "id_number": child.id_number, "birth_date": child.birth_date.isoformat() if child.birth_date else None,
                  "gender": child.gender},
        "kind": plan.kind, "visit_title": plan.title, "plan_id": plan.id, "cycle": cycle,
        "visit_due": due.isoformat(), "carer": plan.carer or "", "monitored_case": plan.case_id,
        "opening_title": f"{plan.title}（第 {cycle} 次，{local_date(due).isoformat()} 前）",
    }
    if plan.carer_unit_id is not None:
        data["care_institution_unit"] = plan.carer_unit_id  # the institution's visit goes to it
    visit_case = cases.start_scheduled(session, engine, plan.process_id, plan.region_code, data, now, child)
    session.add(MonitoringVisit(plan=plan, cycle=cycle, due=due, case=visit_case, started_at=now))
    plan.cycle = cycle
    _schedule(plan, cycle + 1)
    session.flush()
    return visit_case


# -- reading ----------------------------------------------------------------------------------
def plans_of_child(session: Session, child_id: int) -> list[MonitoringPlan]:
    return list(session.scalars(select(MonitoringPlan).where(MonitoringPlan.child_id == child_id)
                                .order_by(MonitoringPlan.opened_at, MonitoringPlan.id)))


def visits_of(session: Session, plan: MonitoringPlan) -> list[MonitoringVisit]:
    return list(session.scalars(select(MonitoringVisit).where(MonitoringVisit.plan_id == plan.id)
                                .order_by(MonitoringVisit.cycle)))


def plans_of_case(session: Session, case: Case) -> list[MonitoringPlan]:
    return list(session.scalars(select(MonitoringPlan).where(MonitoringPlan.case_id == case.id)
                                .order_by(MonitoringPlan.id)))
