"""Psychological health referral: the graded ledger entry and the green-channel referral letter."""
from .registry import HandlerContext, HandlerError, operator
from .rendering import render_for

RISK_LEVELS = {
    "low": "低风险（绿）",
    "medium": "中风险（黄）",
    "high": "高风险（橙）",
    "crisis": "危机（红）",
}

# The assessment's answers as the form names them (forms/psych_assessment.json).
ANSWERS = (
    ("self_harm_risk", "自伤自杀风险", {"none": "无", "ideation": "有自伤或轻生念头", "plan_or_attempt": "有自伤自杀计划或行为"}),
    ("harm_to_others", "伤害他人的现实危险", {True: "有", False: "无"}),
    ("symptom_severity", "心理行为问题程度", {"mild": "轻度", "moderate": "中度", "severe": "重度"}),
    ("functional_impairment", "学习、生活或社交功能明显受损", {True: "是", False: "否"}),
)


def _risk_level(ctx: HandlerContext) -> str:
    level = ctx.data.get("risk_level")
    if level not in RISK_LEVELS:
        raise HandlerError("no_risk_level", f"心理风险等级无效：{level!r}（请检查决策表 psych_risk_level）")
    return level


@operator("psych_risk_ledger", "登记心理风险分类台账")
def psych_risk_ledger(ctx: HandlerContext) -> dict:
    """File the graded assessment in the child's psychological health file (分类建立台账)."""
    level = _risk_level(ctx)
    answers = [(label, titles.get(ctx.data.get(name), ctx.data.get(name, ""))) for name, label, titles in ANSWERS]
    html = render_for(ctx, "psych_ledger.html", answers=answers, risk_level=RISK_LEVELS[level])
    ctx.file_document(f"心理健康评估分类台账：{RISK_LEVELS[level]}", html)
    return {"risk_level": level, "recorded_at": ctx.now.isoformat()}


@operator("psych_referral_letter", "开具心理健康转介单（绿色通道）")
def psych_referral_letter(ctx: HandlerContext) -> dict:
    """The referral to a medical institution; only high and crisis levels are referred."""
    level = _risk_level(ctx)
    if level not in ("high", "crisis"):
        raise HandlerError("not_referable", f"{RISK_LEVELS[level]}不转介医疗机构")
    urgency = "危机：立即送医，医疗机构即时接诊" if level == "crisis" else "绿色通道：优先安排接诊"
    html = render_for(ctx, "psych_referral.html", risk_level=RISK_LEVELS[level], urgency=urgency)
    ctx.file_document("心理健康转介单", html)
    return {"risk_level": level, "urgency": urgency, "issued_at": ctx.now.isoformat()}
