"""Basic living support (基本生活保障, POLICY.md §5): deadlines, the grant, review, stop and the decisions.

The amounts, ratios, notice and deadlines are the deployment's (`webapp/living_settings.py`),
handed to handlers as plain values in ``ctx.settings["living_support"]``. What a handler
changes in the ledger it asks for as a `SupportRequest`; `webapp/services/living/support.py`
applies it with the step.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from .dates import add_months, local_date
from .registry import HandlerContext, HandlerError, operator
from .rendering import render_for

CATEGORY_TITLES = {
    "orphan_allowance": "孤儿基本生活费",
    "de_facto_allowance": "事实无人抚养儿童基本生活费",
    "low_income": "最低生活保障（提高救助水平）",
    "extreme_poverty": "特困人员救助供养",
    "temporary_assistance": "临时救助",
    "not_eligible": "不符合保障条件",
}
STOP_REASONS = {
    "adulthood": "年满十八周岁且不在学",
    "study_ended": "年满十八周岁后学业结束",
    "study_not_covered": "年满十八周岁，就读阶段不在本地延续发放范围",
    "review_failed": "年度复核不再符合条件",
    "guardian_returned": "监护人恢复抚养能力或返回",
    "adopted": "被依法收养",
    "died": "儿童死亡",
    "moved_away": "迁离本地",
    "other": "其他情况变化",
    "one_off": "临时救助一次性发放",
}
STAGES = {  # who refused, for the decision's wording
    "review": "乡镇人民政府（街道办事处）审核",
    "not_eligible": "县级民政部门审批",
    "decision": "县级民政部门审批",
    "notice": "公示期间异议经核实成立，县级民政部门审批",
}


@dataclass(frozen=True)
class SupportRequest:
    """Grant, update or stop this case's living support when the step is saved."""

    action: str  # "grant" | "update" | "stop"
    fields: dict


def _settings(ctx: HandlerContext) -> dict:
    settings = ctx.settings.get("living_support")
    if not settings:
        raise HandlerError("no_settings", "未配置基本生活保障的部署设置")
    return settings


def _by_prefix(table: dict, region: str):
    """The row of the longest prefix of `region`, "" being the national fallback."""
    prefix = max((p for p in table if region.startswith(p)), key=len, default=None)
    return (prefix, table[prefix]) if prefix is not None else (None, None)


@lru_cache(maxsize=1)
def _calendar():
    return holidays.country_holidays("CN")


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (statutory holidays and make-up working days counted)."""
    return _calendar().get_nth_working_day(start, days)


def _birthday(birth: date, years: int) -> date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # born on 29 February
        return date(birth.year + years, 3, 1)


def _child_birth(ctx: HandlerContext) -> date:
    try:  # the start form validated it; only its date part is read
        return date.fromisoformat(str(ctx.data["child"]["birth_date"])[:10])
    except (KeyError, TypeError, ValueError):
        raise HandlerError("no_birth_date", "缺少儿童出生日期，无法计算保障期限") from None


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


@operator("living_support_deadline", "计算基本生活保障办理期限（工作日）")
def living_support_deadline(ctx: HandlerContext, stage: str) -> dict:
    """Due date of the township review (`stage="review"`) or the county decision (`"decision"`)."""
    key = {"review": "review_working_days", "decision": "decision_working_days"}.get(stage)
    if key is None:
        raise HandlerError("bad_parameters", f"未知的办理阶段：{stage}")
    days = _settings(ctx)[key]
    return {"due": add_working_days(local_date(ctx.now), days).isoformat(), "working_days": days}


@operator("living_support_notice", "查询公示要求")
def living_support_notice(ctx: HandlerContext) -> dict:
    """Whether the deployment posts a public notice before approval here, and for how many days."""
    _prefix, days = _by_prefix(_settings(ctx)["public_notice"], ctx.region_code)
    return {"required": bool(days), "days": days or 0}


def _terms(ctx: HandlerContext, category: str) -> dict:
    settings = _settings(ctx)
    prefix, standard = _by_prefix({p: row for p, row in settings["standards"].items() if category in row},
                                  ctx.region_code)
    if standard is None:
        raise HandlerError("no_standard", f"未配置“{CATEGORY_TITLES.get(category, category)}”的保障标准")
    return {"monthly_amount_fen": round(standard[category] * 100), "standard": standard.get("name") or prefix or "全国",
            **_medical_aid(ctx, settings, category)}


def _percent(value, what: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 100:
        raise HandlerError("bad_medical_aid", f"决策表 medical_aid 的{what}应为 1 至 100 的百分数或 None，实为 {value!r}")
    return value


def _medical_aid(ctx: HandlerContext, settings: dict, category: str) -> dict:
    """The ratios the version's `medical_aid` table decided (a regional variant's, e.g. chongqing (五));
    a deployment's `medical_aid` / `medical_expense_aid` settings row for the place, if any, wins."""
    _p, aid = _by_prefix({p: row for p, row in settings.get("medical_aid", {}).items() if category in row},
                         ctx.region_code)
    _p, costs = _by_prefix({p: row for p, row in settings.get("medical_expense_aid", {}).items() if category in row},
                           ctx.region_code)
    table = ctx.data.get("medical_aid_table")
    return {"medical_aid_percent": aid[category] if aid else _percent(ctx.data.get("medical_aid_percent"), "参保资助比例"),
            "medical_aid_table": aid.get("name") if aid else (str(table)[:100] if table else None),
            "medical_expense_percent": costs[category] if costs else
            _percent(ctx.data.get("medical_expense_percent"), "医疗费用救助比例")}


@operator("grant_living_support", "批准基本生活保障并生成审批决定书")
def grant_living_support(ctx: HandlerContext) -> dict:
    """Open the support at the regional standard from the month after approval, until the 18th birthday."""
    category = ctx.data.get("support_category")
    if category not in CATEGORY_TITLES or category == "not_eligible" or ctx.data.get("approved") is not True:
        raise HandlerError("not_approved", "未经县级民政部门批准，不能发放基本生活保障")
    today = local_date(ctx.now)
    terms = _terms(ctx, category)
    adult = _birthday(_child_birth(ctx), 18)
    if adult <= today:
        raise HandlerError("adult", "儿童已年满十八周岁，不能新批基本生活保障")
    one_off = category == "temporary_assistance"
    start = today.replace(day=1) if one_off else add_months(today.replace(day=1), 1)
    result = {**terms, "category": category, "start_month": start.isoformat(), "ends_on": adult.isoformat(),
              "next_review": _birthday(today, 1).isoformat(), "monthly_amount": _yuan(terms["monthly_amount_fen"]),
              "one_off": one_off}
    ctx.effects.append(SupportRequest("grant", {**result, "stopped_on": today.isoformat() if one_off else None,
                                                "stop_reason": "one_off" if one_off else None}))
    ctx.file_document("基本生活保障审批决定书", render_for(
        ctx, "living_support_approval.html", category_title=CATEGORY_TITLES[category], terms=result))
    return result


@operator("reject_living_support", "生成不予批准基本生活保障决定书")
def reject_living_support(ctx: HandlerContext, stage: str) -> dict:
    """A written refusal: who refused, why, and how to seek review or sue (行政复议法 第二十条, 行政诉讼法 第四十六条)."""
    if stage not in STAGES:
        raise HandlerError("bad_parameters", f"未知的办理阶段：{stage}")
    reason = str(ctx.data.get("rejection_reason") or "").strip()
    if not reason:
        raise HandlerError("no_reason", "不予批准须写明理由")
    ctx.file_document("不予批准基本生活保障决定书", render_for(
        ctx, "living_support_rejection.html", stage=STAGES[stage], reason=reason,
        category_title=CATEGORY_TITLES.get(ctx.data.get("support_category"), "")))
    return {"stage": stage, "reason": reason, "decided_on": local_date(ctx.now).isoformat()}


@operator("renew_living_support", "年度复核通过：按现行标准续期")
def renew_living_support(ctx: HandlerContext) -> dict:
    """After a passed yearly review: the current regional standard applies and the next review is in a year."""
    current = dict(ctx.data.get("living_support") or {})
    category = current.get("category") or ctx.data.get("support_category")
    terms = _terms(ctx, category)
    reviewed = local_date(ctx.now)
    base = date.fromisoformat(current.get("next_review") or reviewed.isoformat())
    next_review = _birthday(max(base, reviewed), 1)
    update = {**terms, "next_review": next_review.isoformat(), "monthly_amount": _yuan(terms["monthly_amount_fen"])}
    ctx.effects.append(SupportRequest("update", update))
    return {**current, **update}


@operator("extend_living_support", "年满十八周岁仍在学：基本生活费延续至学业结束")
def extend_living_support(ctx: HandlerContext) -> dict:
    """A young adult in a stage the `continues_past_18` table covers keeps the allowance until the study ends."""
    current = dict(ctx.data.get("living_support") or {})
    try:
        until = date.fromisoformat(ctx.data["study_end_date"])
    except (KeyError, TypeError, ValueError):
        raise HandlerError("no_study_end", "仍在学的须填写学制规定的学业结束日期") from None
    if until < local_date(ctx.now):
        raise HandlerError("study_over", "学业结束日期已过，不能延续")
    ctx.effects.append(SupportRequest("update", {"ends_on": until.isoformat(), "in_school_until": until.isoformat()}))
    return {**current, "ends_on": until.isoformat(), "in_school_until": until.isoformat()}


@operator("stop_living_support", "终止基本生活保障并生成终止通知")
def stop_living_support(ctx: HandlerContext, reason: str) -> dict:
    """Stop payments after the month of the stop (自次月起停发) and file the notice."""
    if reason == "change":
        reason = ctx.data.get("change_kind") or "other"
    if reason not in STOP_REASONS:
        raise HandlerError("bad_parameters", f"未知的终止原因：{reason}")
    day = local_date(ctx.now)
    if reason == "study_ended" and ctx.data.get("living_support", {}).get("ends_on"):
        day = min(day, date.fromisoformat(ctx.data["living_support"]["ends_on"]))
    ctx.effects.append(SupportRequest("stop", {"reason": reason, "stopped_on": day.isoformat()}))
    last_month = day.replace(day=1)
    ctx.file_document("终止基本生活保障通知书", render_for(
        ctx, "living_support_stop.html", reason=STOP_REASONS[reason], stopped_on=day.isoformat(),
        last_month=f"{last_month:%Y-%m}", next_month=f"{(last_month + timedelta(days=32)).replace(day=1):%Y-%m}"))
    return {"reason": reason, "stopped_on": day.isoformat()}
