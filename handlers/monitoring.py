"""Recurring monitoring for the life of an agreement (湖南 §三.2; 湖北 二.5).

The handlers only ask; the case service turns the asks into monitoring-plan rows in the
same transaction as the step (like `start_procedure`), and the scheduler starts one short
`monitoring_visit` case per cycle. See webapp/services/monitoring.py.
"""
from datetime import date

from .registry import HandlerContext, HandlerError, operator

ADULT_AGE = 18  # 民法典 art. 17: guardianship, and with it the agreement, ends at 18


def eighteenth_birthday(birth_date: str) -> date:
    born = date.fromisoformat(birth_date)
    try:
        return born.replace(year=born.year + ADULT_AGE)
    except ValueError:  # born on 29 February: of age on 1 March
        return date(born.year + ADULT_AGE, 3, 1)


def _kinds(kinds: str) -> list[str]:
    names = [k.strip() for k in kinds.split(",") if k.strip()]
    if not names:
        raise HandlerError("bad_parameters", "未指定走访类型（kinds）")
    return names


@operator("open_monitoring", "开启定期走访监测")
def open_monitoring(ctx: HandlerContext, kinds: str, anchor: str = "", carer: str = "", carer_unit: str = "") -> dict:
    """Open a plan per kind (comma-separated, see webapp/settings.py), counting from `anchor`
    (an ISO date, e.g. the admission date; today by default) until the child turns 18.
    `carer_unit`: the id (digits) of the chosen care institution, whose officials make its visits."""
    child = ctx.data.get("child") or {}
    if not child.get("birth_date"):
        raise HandlerError("no_child", "任务数据中没有儿童出生日期，无法确定监测期限")
    try:
        start = date.fromisoformat(anchor) if anchor else None
    except ValueError:
        raise HandlerError("bad_parameters", f"起算日期不是 ISO 日期：{anchor}") from None
    until = eighteenth_birthday(child["birth_date"])
    names = _kinds(kinds)
    ctx.monitoring("open", kinds=names, anchor=start.isoformat() if start else None, until=until.isoformat(),
                   carer=carer or None,
                   carer_unit=int(carer_unit) if carer_unit.isascii() and carer_unit.isdigit() else None)
    return {"kinds": names, "anchor": start.isoformat() if start else None, "until": until.isoformat()}


@operator("close_monitoring", "结束定期走访监测")
def close_monitoring(ctx: HandlerContext, reason: str = "") -> dict:
    """Close the plans this case opened; visits still open are cancelled."""
    ctx.monitoring("close", reason=reason or "协议终止")
    return {"closed": True, "reason": reason or "协议终止"}


@operator("update_monitoring_carer", "更新被委托照护人")
def update_monitoring_carer(ctx: HandlerContext, carer: str, chosen_by: str = "", carer_unit: str = "") -> dict:
    """Record a re-selected carer on the plan of this visit (or on all the child's plans); a
    carer the parents chose amends the agreement (湖北 二.5), recorded on the agreement's case.
    `carer_unit`: the id (digits) of a care institution chosen as the new carer."""
    if not carer:
        raise HandlerError("bad_parameters", "未填写新的被委托照护人")
    unit = int(carer_unit) if carer_unit.isascii() and carer_unit.isdigit() else None
    ctx.monitoring("update", plan_id=ctx.data.get("plan_id"), carer=carer, chosen_by=chosen_by or None, carer_unit=unit)
    return {"carer": carer, "chosen_by": chosen_by or None}
