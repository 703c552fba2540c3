"""Children of a parent taken into custody (M10, hulin 三.（五）): the police help the parent entrust
them to a relative or another person (未成年人保护法 art. 22) or to an institution of civil affairs.
A person's care is filed as the entrustment and the village is told, so the child is visited like
any child in another's care."""
from .registry import HandlerContext, HandlerError, operator
from .rendering import render_for

MEASURES = {"criminal_detention": "刑事拘留", "arrest": "逮捕", "administrative_detention": "行政拘留",
            "compulsory_drug_treatment": "强制隔离戒毒", "imprisonment": "收监执行刑罚"}
RELATIONS = {"grandparent": "祖父母、外祖父母", "relative": "其他亲属", "other": "其他"}
TITLE = "被采取强制措施人员子女委托照护登记"


@operator("file_detention_entrustment", "登记委托照护并告知村（居）委会")
def file_detention_entrustment(ctx: HandlerContext) -> dict:
    data = ctx.data
    carer = data.get("carer") or {}
    if data.get("entrust_to") != "person" or not carer.get("name") or data.get("carer_consents") is not True:
        raise HandlerError("no_carer", "尚未登记同意照护的受委托人")
    rows = [("被采取强制措施的监护人", data.get("parent_name")), ("强制措施", MEASURES.get(data.get("measure"))),
            ("采取日期", data.get("measure_on")), ("受委托人", carer.get("name")),
            ("与儿童关系", RELATIONS.get(carer.get("relation"))), ("受委托人公民身份号码", carer.get("id_number")),
            ("联系电话", carer.get("phone")), ("居住地址", carer.get("address")), ("办理日期", data.get("decided_on"))]
    ctx.file_document(TITLE, render_for(ctx, "child_intake_record.html", title=TITLE, rows=rows, note=data.get("note", "")))
    child = (data.get("child") or {}).get("name", "儿童")
    ctx.notify_office("village", "village", f"{child}的监护人被采取强制措施，已委托{carer.get('name')}照护（{carer.get('address')}），"
                                            "请纳入走访，发现照护不当的及时报告")
    return {"carer": carer.get("name"), "filed_on": data.get("decided_on")}
