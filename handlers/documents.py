"""Documents produced on a case: the five-party entrustment agreement."""
from markupsafe import escape

from .document_html import child_identity, generated, paragraphs
from .registry import HandlerContext, HandlerError, operator

SIGNING_PARTIES = (
    ("guardian", "监护人"),
    ("village", "村（居）民委员会"),
    ("township", "乡镇人民政府（街道办事处）"),
    ("institution", "委托照护机构"),
    ("civil_affairs", "县级民政部门"),
)

AGREEMENT_TERMS = (
    ("rights_and_duties", "一、各方权利义务"),
    ("service_standards", "二、照护服务标准"),
    ("dispute_resolution", "三、争议解决机制"),
)


@operator("generate_agreement_document", "生成五方委托照护协议文书")
def generate_agreement_document(ctx: HandlerContext) -> dict:
    """Render the signed agreement as printable HTML and file it on the case."""
    data = ctx.data
    child = data.get("child") or {}
    signatures = {key: data.get(f"signature_{key}") or {} for key, _ in SIGNING_PARTIES}
    missing = [label for key, label in SIGNING_PARTIES if not signatures[key].get("signed")]
    if missing:
        raise HandlerError("not_signed", "协议尚未由各方签署：" + "、".join(missing))
    rows = "".join(
        f"<tr><td>{label}</td><td>{escape(signatures[key]['signatory'])}</td>"
        f"<td>{escape(signatures[key]['signed_on'])}</td></tr>"
        for key, label in SIGNING_PARTIES
    )
    terms = "".join(f"<h2>{title}</h2>{paragraphs(data.get(key, ''))}" for key, title in AGREEMENT_TERMS)
    html = (
        '<article class="document agreement">'
        "<h1>五方委托照护协议</h1>"
        f"<p>受委托照护儿童：{child_identity(child)}）</p>"
        f"<p>委托照护机构：{escape(data.get('institution_name', ''))}</p>"
        f"{terms}"
        "<h2>四、户籍</h2><p>儿童在委托照护期间保留原户籍。</p>"
        f"<h2>五、协议期限</h2><p>自各方签署之日起至 {escape(data.get('term_until', ''))} 止；"
        "儿童年满十八周岁、监护人监护能力恢复或监护人资格被撤销时终止。</p>"
        f"<h2>签署各方</h2><table><thead><tr><th>当事方</th><th>签署人</th><th>签署日期</th></tr></thead><tbody>{rows}</tbody></table>"
        f"{generated(ctx.now)}"
        "</article>"
    )
    ctx.file_document("五方委托照护协议", html)
    return {"title": "五方委托照护协议", "generated_at": ctx.now.isoformat(), "parties": len(SIGNING_PARTIES)}
