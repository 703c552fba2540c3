"""Documents produced on a case: the five-party entrustment agreement."""
from .registry import HandlerContext, HandlerError, operator
from .rendering import render_for

SIGNING_PARTIES = (
    ("guardian", "监护人"),
    ("village", "村（居）民委员会"),
    ("township", "乡镇人民政府（街道办事处）"),
    ("institution", "委托照护机构"),
    ("civil_affairs", "县级民政部门"),
)


@operator("generate_agreement_document", "生成五方委托照护协议文书")
def generate_agreement_document(ctx: HandlerContext) -> dict:
    """Render the signed agreement as printable HTML and file it on the case."""
    signatures = {key: ctx.data.get(f"signature_{key}") or {} for key, _ in SIGNING_PARTIES}
    missing = [label for key, label in SIGNING_PARTIES if not signatures[key].get("signed")]
    if missing:
        raise HandlerError("not_signed", "协议尚未由各方签署：" + "、".join(missing))
    rows = [(label, signatures[key].get("signatory"), signatures[key].get("signed_on")) for key, label in SIGNING_PARTIES]
    ctx.file_document("五方委托照护协议", render_for(ctx, "agreement.html", signatures=rows))
    return {"title": "五方委托照护协议", "generated_at": ctx.now.isoformat(), "parties": len(SIGNING_PARTIES)}
