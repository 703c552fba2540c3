"""The family guardianship capacity assessment (hunan §六.3): its record and the risk grade it sets."""
from .registry import HandlerContext, HandlerError, operator
from .rendering import render_for

CONCLUSIONS = {"adequate": "监护能力充足", "insufficient": "监护能力不足", "severe_risk": "存在严重监护风险"}
RATINGS = {"good": "良好", "weak": "较弱", "absent": "缺失"}
DIMENSIONS = (("health_rating", "监护人身心健康状况"), ("income_rating", "经济来源稳定性"),
              ("ability_rating", "履行监护职责的实际能力"))


def risk_grade(conclusion: str, ratings: list[str]) -> str:
    """hunan §六.4 grades by the assessment: adequate green; insufficient yellow, orange when a
    dimension is missing altogether; severe risk red."""
    if conclusion == "adequate":
        return "green"
    if conclusion == "insufficient":
        return "orange" if "absent" in ratings else "yellow"
    if conclusion == "severe_risk":
        return "red"
    raise HandlerError("not_assessed", "尚未作出家庭监护能力评估结论")


@operator("record_capacity_assessment", "登记家庭监护能力评估并划分监护风险等级")
def record_capacity_assessment(ctx: HandlerContext) -> dict:
    """File the assessment (three dimensions, assessors, date) and set the registry's risk grade."""
    data = ctx.data
    conclusion = data.get("guardianship_capacity")
    ratings = [data.get(field) for field, _ in DIMENSIONS]
    grade = risk_grade(conclusion, ratings)
    rows = [(label, RATINGS.get(data.get(field), "未评")) for field, label in DIMENSIONS]
    ctx.file_document("家庭监护能力评估记录", render_for(ctx, "capacity_assessment.html", title="家庭监护能力评估记录", dimensions=rows,
                                                 conclusion=CONCLUSIONS[conclusion], grade=grade))
    ctx.set_risk_grade(grade, f"家庭监护能力评估：{CONCLUSIONS[conclusion]}（{data.get('assessed_on') or ''}）")
    return {"risk_grade": grade, "assessed_on": data.get("assessed_on")}
