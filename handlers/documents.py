"""Documents produced on a case: the five-party entrustment agreement (hunan §三.1)."""
from .registry import HandlerContext, HandlerError, operator
from .rendering import render_for

SIGNING_PARTIES = (
    ("guardian", "监护人"),
    ("village", "村（居）民委员会"),
    ("township", "乡镇人民政府（街道办事处）"),
    ("institution", "委托照护机构"),
    ("civil_affairs", "县级民政部门"),
)
# Who manages the child's basic living allowance during the agreement (forms/draft_agreement.json).
ALLOWANCE_MANAGERS = {"care_institution": "委托照护机构代为管理", "guardian": "监护人管理",
                      "township": "乡镇人民政府（街道办事处）代为管理"}


@operator("generate_agreement_document", "生成五方委托照护协议文书")
def generate_agreement_document(ctx: HandlerContext) -> dict:
    """Render the signed agreement as printable HTML and file it on the case."""
    signatures = {key: ctx.data.get(f"signature_{key}") or {} for key, _ in SIGNING_PARTIES}
    missing = [label for key, label in SIGNING_PARTIES if not signatures[key].get("signed")]
    if missing:
        raise HandlerError("not_signed", "协议尚未由各方签署：" + "、".join(missing))
    rows = [(label, signatures[key].get("signatory"), signatures[key].get("signed_on")) for key, label in SIGNING_PARTIES]
    allowance_manager = ALLOWANCE_MANAGERS.get(ctx.data.get("allowance_manager"))
    ctx.file_document("五方委托照护协议", render_for(ctx, "agreement.html", signatures=rows,
                                              allowance_manager=allowance_manager))
    return {"title": "五方委托照护协议", "generated_at": ctx.now.isoformat(), "parties": len(SIGNING_PARTIES)}
