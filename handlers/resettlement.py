"""Documents of the resettlement of orphans at 18 (shanghai (四)): the approved plan."""
from markupsafe import escape

from .document_html import child_identity, generated, paragraphs
from .registry import HandlerContext, HandlerError, operator

PLAN_SECTIONS = (
    ("housing_plan", "一、住房"),
    ("household_registration_plan", "二、户口"),
    ("employment_plan", "三、就业"),
    ("care_plan", "四、长期关爱措施"),
)

ASSESSMENT_LEVELS = {"sufficient": "具备", "partial": "部分具备", "insufficient": "不具备"}


@operator("generate_resettlement_plan_document", "生成孤儿回归社会安置方案文书")
def generate_resettlement_plan_document(ctx: HandlerContext) -> dict:
    """Render the approved per-person resettlement plan as printable HTML and file it on the case."""
    data = ctx.data
    if data.get("plan_approved") is not True:
        raise HandlerError("not_approved", "安置方案尚未经民政部门批准")
    missing = [title for key, title in PLAN_SECTIONS if not data.get(key)]
    if missing:
        raise HandlerError("incomplete_plan", "安置方案缺少：" + "、".join(missing))
    child = data.get("child") or {}
    assessment = "".join(
        f"<li>{title}：{escape(ASSESSMENT_LEVELS.get(data.get(key), data.get(key, '')))}</li>"
        for key, title in (("independent_living", "独立生活能力"), ("work_ability", "劳动（就业）能力"),
                           ("self_care", "生活自理能力"))
    )
    sections = "".join(f"<h2>{title}</h2>{paragraphs(data[key])}" for key, title in PLAN_SECTIONS)
    html = (
        '<article class="document resettlement-plan">'
        "<h1>孤儿回归社会安置方案</h1>"
        f"<p>安置对象：{child_identity(child)}，年满十八周岁日期 {escape(data.get('adulthood_date', ''))}）</p>"
        f"<p>综合评估（{escape(data.get('assessed_on', ''))}）：具备回归社会生活能力</p><ul>{assessment}</ul>"
        f"{sections}"
        f"<p>拟离院安置日期：{escape(data.get('planned_move_date', ''))}</p>"
        f"<h2>审批意见</h2>{paragraphs(data.get('approval_opinion', ''))}"
        "<p>接收安置的区人民政府落实住房、户口、就业，并指导督促安置对象所在街道（乡镇）落实长期关爱措施（上海（四））。</p>"
        f"{generated(ctx.now)}"
        "</article>"
    )
    ctx.file_document("孤儿回归社会安置方案", html)
    return {"title": "孤儿回归社会安置方案", "generated_at": ctx.now.isoformat()}
