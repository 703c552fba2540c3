"""Legal aid for child victims (M14, hunan §二.4; chongqing (十五)): the justice bureau's legal aid
centre assigns a lawyer through the green channel; the assignment is filed on the child's file and
civil affairs is told, so it coordinates the rest of the help (rehabilitation, counselling, money,
school)."""
from .registry import HandlerContext, HandlerError, operator
from .rendering import render_for

MATTERS = {"victim_representation": "刑事案件被害人代理（含附带民事诉讼）",
           "civil_litigation": "撤销监护人资格、抚养费等民事诉讼代理",
           "protection_order": "申请人身安全保护令", "judicial_aid": "申请司法救助", "legal_consultation": "法律咨询"}
TITLE = "受侵害儿童法律援助指派登记"


@operator("file_legal_aid", "登记法律援助并告知民政局")
def file_legal_aid(ctx: HandlerContext) -> dict:
    data = ctx.data
    if not data.get("aid_lawyer") or not data.get("aid_institution"):
        raise HandlerError("no_lawyer", "尚未指派法律援助人员")
    rows = [("法律援助机构", data.get("aid_institution")), ("承办律师或法律援助人员", data.get("aid_lawyer")),
            ("联系电话", data.get("aid_lawyer_phone")), ("援助事项", MATTERS.get(data.get("aid_matter"))),
            ("同时申请司法救助", "是" if data.get("judicial_aid_requested") else "否"),
            ("指派日期", data.get("assigned_on")), ("移交来源", "撤销监护人资格程序（公安机关处置强制报告）"),
            ("公安机关核查情况", data.get("handling_note"))]
    ctx.file_document(TITLE, render_for(ctx, "child_intake_record.html", title=TITLE, rows=rows, note=data.get("note", "")))
    child = (data.get("child") or {}).get("name", "儿童")
    ctx.notify_office("civil_affairs", "county", f"已为遭受侵害的{child}指派法律援助人员{data.get('aid_lawyer')}"
                                                 f"（{data.get('aid_institution')}），请协调综合救助")
    return {"aid_lawyer": data.get("aid_lawyer"), "assigned_on": data.get("assigned_on")}
