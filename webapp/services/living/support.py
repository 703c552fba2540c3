"""A case's living support as a row: granted, updated (review, study past 18) and stopped by its steps.

The `basic_living_support` diagram's handlers ask for these changes (`handlers.living.SupportRequest`);
`apply_requests` makes them in the same transaction as the step. Benefits do not stack
(shanghai (二)): a child has at most one running support, so a second grant is refused with a
clear message and nothing of the step is saved.

When an orphan's allowance ends at 18 or at the end of study (shanghai (一)), the resettlement
procedure takes over (shanghai (四)): a child in the city welfare institution's care who has no
`orphan_resettlement` case yet gets one, started the way the scheduler starts it
(`services/resettlement.py`); one who has a case is noted on the file.
"""
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.living import CATEGORY_TITLES, STOP_REASONS, SupportRequest
from ...engine import Engine
from ...models import Case, LivingSupport, Region
from ...models.org import LEVELS
from .. import definitions, forms, resettlement
from ..cases import lifecycle
from ..cases.casefile import note_on_file
from ..errors import Unprocessable

HANDOVER_REASONS = {"adulthood", "study_ended", "study_not_covered"}


def support_of_case(session: Session, case_id: int) -> LivingSupport | None:
    return session.scalars(select(LivingSupport).where(LivingSupport.case_id == case_id)).first()


def active_support(session: Session, child_id: int) -> LivingSupport | None:
    return session.scalars(select(LivingSupport).where(
        LivingSupport.child_id == child_id, LivingSupport.status == "active")).first()


def _day(value) -> date | None:
    return date.fromisoformat(value) if value else None


def _grant(session: Session, case: Case, fields: dict, now) -> None:
    running = active_support(session, case.child_id)
    if running is not None and running.case_id != case.id:
        raise Unprocessable(f"该儿童已在享受基本生活保障（案件 #{running.case_id}），待遇不叠加享受，"
                            "须先终止原保障后再批准")
    support = support_of_case(session, case.id) or LivingSupport(case=case, child_id=case.child_id)
    support.region_code = case.region_code
    support.category = fields["category"]
    support.monthly_amount_fen = fields["monthly_amount_fen"]
    support.standard = fields["standard"][:100]
    support.medical_aid_percent = fields.get("medical_aid_percent")
    support.start_month = _day(fields["start_month"])
    support.ends_on = _day(fields["ends_on"])
    support.next_review = _day(fields["next_review"])
    support.granted_at = now
    support.stop_reason = fields.get("stop_reason")
    support.stopped_on = _day(fields.get("stopped_on"))
    support.status = "stopped" if support.stopped_on else "active"
    session.add(support)
    note_on_file(session, case, f"基本生活保障：{CATEGORY_TITLES[support.category]}", now,
                 {"monthly_amount": f"{support.monthly_amount_fen / 100:.2f}", "start_month": fields["start_month"][:7],
                  "standard": support.standard})


def _update(session: Session, case: Case, fields: dict, now) -> None:
    support = _require(session, case)
    if "monthly_amount_fen" in fields:
        support.monthly_amount_fen = fields["monthly_amount_fen"]
        support.standard = fields["standard"][:100]
        support.medical_aid_percent = fields.get("medical_aid_percent")
    for key in ("ends_on", "in_school_until", "next_review"):
        if key in fields:
            setattr(support, key, _day(fields[key]))


def _stop(session: Session, engine: Engine, case: Case, fields: dict, now) -> None:
    support = _require(session, case)
    if support.status == "stopped":
        return
    support.status = "stopped"
    support.stop_reason = fields["reason"]
    support.stopped_on = _day(fields["stopped_on"])
    note_on_file(session, case, f"基本生活保障终止：{STOP_REASONS[support.stop_reason]}", now,
                 {"stopped_on": fields["stopped_on"]})
    if support.category == "orphan_allowance" and support.stop_reason in HANDOVER_REASONS:
        _hand_over_to_resettlement(session, engine, case, now)


def _require(session: Session, case: Case) -> LivingSupport:
    support = support_of_case(session, case.id)
    if support is None:
        raise Unprocessable("本案件尚未批准基本生活保障")
    return support


def _hand_over_to_resettlement(session: Session, engine: Engine, case: Case, now) -> None:
    child = case.child
    if resettlement.has_resettlement_case(session, [child.id]):
        note_on_file(session, case, "基本生活费停发，由回归社会安置程序接续", now)
        return
    basis = resettlement.care_bases(session, [child.id]).get(child.id)
    definition = definitions.latest(session, resettlement.PROCESS_ID)
    region = session.get(Region, child.region_code)
    if basis is None or definition is None or region is None or LEVELS.index(region.level) < LEVELS.index("township"):
        return  # not raised in the institution: resettlement does not apply (shanghai (四))
    data = resettlement.start_data(child, basis, resettlement.raising_institution(session, child))
    data["reason"] = "孤儿基本生活费停发（年满十八周岁或学业结束），转入回归社会安置程序。"
    forms.validate(definitions.form_of(definition, definition.start_form), data)
    lifecycle.open_case(session, engine, definition, region.code, data, None, now)


def apply_requests(session: Session, engine: Engine, case: Case, requests: list[SupportRequest], now) -> None:
    """The consumer of `SupportRequest` effects (registered in `services/wiring.py`)."""
    for request in requests:
        if request.action == "grant":
            _grant(session, case, request.fields, now)
        elif request.action == "update":
            _update(session, case, request.fields, now)
        elif request.action == "stop":
            _stop(session, engine, case, request.fields, now)
        else:
            raise ValueError(f"unknown living support action {request.action}")
        session.flush()
