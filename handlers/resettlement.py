"""Documents of the resettlement of orphans at 18 (shanghai (四)): the approved plan."""
from .registry import HandlerContext, HandlerError, operator
from .rendering import render_for

PLAN_SECTIONS = (
    ("housing_plan", "一、住房"),
    ("household_registration_plan", "二、户口"),
    ("employment_plan", "三、就业"),
    ("care_plan", "四、长期关爱措施"),
)

# The departments civil affairs approves the plan with (shanghai (四)): their opinions are printed under the approval.
CONSULTED = (("housing_opinion", "住房保障部门意见"), ("household_registration_opinion", "公安机关（户籍）意见"),
             ("employment_opinion", "人力资源社会保障部门意见"))

ASSESSMENT_LEVELS = {"sufficient": "具备", "partial": "部分具备", "insufficient": "不具备"}
ASSESSMENT_ITEMS = (("independent_living", "独立生活能力"), ("work_ability", "劳动（就业）能力"), ("self_care", "生活自理能力"))


@operator("generate_resettlement_plan_document", "生成孤儿回归社会安置方案文书")
def generate_resettlement_plan_document(ctx: HandlerContext) -> dict:
    """Render the approved per-person resettlement plan as printable HTML and file it on the case."""
    data = ctx.data
    if data.get("plan_approved") is not True:
        raise HandlerError("not_approved", "安置方案尚未经民政部门批准")
    missing = [title for key, title in PLAN_SECTIONS if not data.get(key)]
    if missing:
        raise HandlerError("incomplete_plan", "安置方案缺少：" + "、".join(missing))
    assessment = [(title, ASSESSMENT_LEVELS.get(data.get(key), data.get(key, ""))) for key, title in ASSESSMENT_ITEMS]
    sections = [(title, data[key]) for key, title in PLAN_SECTIONS]
    ctx.file_document("孤儿回归社会安置方案", render_for(ctx, "resettlement_plan.html", assessment=assessment,
                                                        sections=sections,
                                                        consulted=[(title, data.get(key)) for key, title in CONSULTED]))
    return {"title": "孤儿回归社会安置方案", "generated_at": ctx.now.isoformat()}
