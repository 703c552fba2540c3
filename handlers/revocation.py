"""Revocation of guardianship, temporary guardianship and restoration (POLICY.md §2).

The documents each step files on the case (the report register, the investigation and
assessment report, the court application, the ruling record, the return-home notice) and
the two checks the law puts on dates: the restoration window of 民法典 art. 38 (a parent
may apply from three months to one year after the revocation ruling) and its bars.

Dates are the Chinese calendar date of the engine's clock (UTC+8): a ruling recorded on
the evening of 1 March in Beijing is a ruling of 1 March.
"""
from datetime import date, datetime, time, timedelta

from .dates import LOCAL_TZ, add_months, local_date
from .registry import HandlerContext, HandlerError, operator
from .rendering import render_for

RESTORATION_OPENS_MONTHS = 3
RESTORATION_CLOSES_MONTHS = 12

APPLICANTS = {
    "civil_affairs": "县级民政部门",
    "relative": "其他依法具有监护资格的人",
    "village_committee": "村（居）民委员会",
    "school": "学校",
    "hospital": "医疗机构",
    "womens_federation": "妇女联合会",
    "disabled_federation": "残疾人联合会",
    "minor_protection_org": "未成年人保护组织",
    "procuratorate": "人民检察院",
}
CAPACITY = {"adequate": "监护能力充足", "insufficient": "监护能力不足", "severe_risk": "存在严重监护风险"}
GROUNDS = {
    "mental_disorder": "严重精神障碍", "imprisonment": "长期服刑", "drug_use": "吸毒",
    "domestic_violence": "家庭暴力", "neglect": "无法或怠于履行监护职责",
    "serious_harm": "严重损害儿童身心健康或合法权益", "other": "其他",
}
INTERVENTIONS = {
    "no_further_measure": "无需进一步措施", "family_education_order": "家庭教育指导令", "supervision_order": "督促监护令",
    "revocation": "申请撤销监护人资格",
}
RULINGS = {"revoked": "撤销监护人资格", "rejected": "驳回申请", "restored": "恢复监护人资格"}
# Whom the court may designate (民法典 art. 27, 32): a relative, the village committee, a willing person or
# organisation (with the committee's or civil affairs' consent), else civil affairs.
GUARDIANS = {"relative": "其他依法具有监护资格的亲属", "village_committee": "儿童住所地的村（居）民委员会",
             "willing_person": "愿意担任监护人的个人或组织", "civil_affairs": "民政部门（长期监护）"}


# -- helpers ------------------------------------------------------------------------------
def restoration_window(ruled_on: date) -> dict:
    """When a parent may apply to have guardianship restored (民法典 art. 38 as practised)."""
    opens, closes = add_months(ruled_on, RESTORATION_OPENS_MONTHS), add_months(ruled_on, RESTORATION_CLOSES_MONTHS)
    closes_at = datetime.combine(closes + timedelta(days=1), time(0, 0), LOCAL_TZ)  # the end of the last day
    return {"restoration_opens_on": opens.isoformat(), "restoration_closes_on": closes.isoformat(),
            "restoration_closes_at": closes_at.isoformat()}


# -- intake ---------------------------------------------------------------------------------
SOURCES = {"entrustment_care": "五方委托照护协议程序（家庭监护能力评估）", "psych_referral": "心理健康转介程序",
           "left_behind_visit": "留守儿童委托照护走访（村委会发现严重失职后强制报告）",
           "temporary_life_care": "临时生活照料（村委会发现儿童疑似遭受侵害后强制报告）"}
CARRIED = (("guardianship_capacity", "监护能力评估结论"), ("assessment_summary", "评估意见"),
           ("risk_level", "心理危机风险等级"), ("guidance_note", "监护指导记录"),
           ("neglect_facts", "严重失职情形"))


@operator("register_mandatory_report", "登记强制报告或移交")
def register_mandatory_report(ctx: HandlerContext) -> dict:
    """File how the case came in. A report's reporter is never written into the document.

    `assessed` says whether a guardianship capacity assessment came with a hand-over (the
    entrustment procedure's); only then is the assessment not made again.
    """
    data = ctx.data
    if data.get("handed_over_from"):
        source = data["handed_over_from"]
        carried = [(label, CAPACITY.get(data[key], data[key]) if key == "guardianship_capacity" else data[key])
                   for key, label in CARRIED if data.get(key) not in (None, "")]
        title = "移交撤销监护人资格程序登记"
        ctx.file_document(title, render_for(ctx, "intake_handover.html", title=title,
                                            source=SOURCES.get(source, source), carried=carried))
        return {"entry": "handover", "source": source, "assessed": data.get("guardianship_capacity") in CAPACITY,
                "received_on": local_date(ctx.now).isoformat()}
    if not data.get("reason"):
        raise HandlerError("no_report", "缺少报告事项，无法登记强制报告")
    ctx.file_document("强制报告登记表", render_for(ctx, "mandatory_report.html", title="强制报告登记表"))
    return {"entry": "mandatory_report", "assessed": False, "received_on": local_date(ctx.now).isoformat()}


# -- investigation and assessment -------------------------------------------------------------
@operator("generate_investigation_report", "生成调查评估报告")
def generate_investigation_report(ctx: HandlerContext) -> dict:
    data = ctx.data
    if data.get("intervention") not in INTERVENTIONS:
        raise HandlerError("not_investigated", "尚未完成调查评估，不能生成报告")
    capacity = data.get("guardianship_capacity")
    ctx.file_document("调查评估报告", render_for(
        ctx, "investigation_report.html", title="调查评估报告", capacity=CAPACITY.get(capacity, capacity),
        grounds=GROUNDS.get(data.get("grounds"), data.get("grounds")), intervention=INTERVENTIONS[data["intervention"]]))
    return {"title": "调查评估报告", "intervention": data["intervention"], "filed_on": local_date(ctx.now).isoformat()}


# -- application to the court ------------------------------------------------------------------
@operator("generate_court_application", "生成撤销监护人资格申请书")
def generate_court_application(ctx: HandlerContext) -> dict:
    """Decide who applies (civil affairs when no one else does, or on the procuratorate's
    written recommendation) and file the application."""
    data = ctx.data
    other = data.get("other_applicant")
    suit = data.get("oversight_action") == "procuratorate_suit"
    if other is None and not suit:
        raise HandlerError("no_applicant", "尚未确定申请主体")
    action = data.get("procuratorate_action")
    suggested = data.get("oversight_action") == "suggestion" and data.get("suggestion_accepted") is True
    if suit:
        applicant, basis = "procuratorate", (f"相关单位和个人未代为申请，人民检察院依法向人民法院提起诉讼（"
                                             f"{data.get('oversight_document_number')}；未成年人保护法第一百零六条）。")
    elif suggested:
        applicant, basis = "civil_affairs", f"民政部门采纳人民检察院检察建议（{data.get('oversight_document_number')}），依法申请。"
    elif action == "recommend_civil_affairs":
        applicant, basis = "civil_affairs", f"根据人民检察院检察建议（{data.get('document_number') or '书面建议'}），由民政部门申请。"
    elif other == "none":
        applicant, basis = "civil_affairs", "无其他个人或组织申请，民政部门依法申请（民法典第三十六条第三款）。"
    else:
        applicant, basis = other, "由有关个人或组织依法申请（民法典第三十六条第二款），民政部门提供调查评估报告。"
    applicant_name = ({"civil_affairs": "县级民政局", "procuratorate": "县级人民检察院"}.get(applicant)
                      or data.get("other_applicant_name") or APPLICANTS[applicant])
    supported = action == "support_suit"
    procuratorate = ("提起诉讼" if suit else "支持起诉" if supported else
                     "检察建议民政部门申请" if action == "recommend_civil_affairs" or suggested else "—")
    ctx.file_document("撤销监护人资格申请书", render_for(
        ctx, "court_application.html", title="撤销监护人资格申请书", basis=basis, procuratorate=procuratorate,
        applicant=f"{applicant_name}（{APPLICANTS.get(applicant, applicant)}）"))
    return {"applicant": applicant, "applicant_name": applicant_name, "basis": basis,
            "procuratorate_support": supported, "filed_on": local_date(ctx.now).isoformat()}


# -- the court's ruling -----------------------------------------------------------------------
@operator("record_court_ruling", "登记判决并归档")
def record_court_ruling(ctx: HandlerContext, kind: str = "revocation") -> dict:
    """File the ruling record; a revocation ruling also fixes the restoration window."""
    data = ctx.data
    field = {"revocation": "court_ruling", "restoration": "restoration_ruling"}.get(kind)
    if field is None:
        raise HandlerError("bad_parameters", f"未知的判决类别：{kind}")
    ruling = data.get(field)
    if ruling not in RULINGS:
        raise HandlerError("no_ruling", "尚未作出判决")
    ruled_on = local_date(ctx.now)
    title = "撤销监护人资格案件判决记录" if kind == "revocation" else "恢复监护人资格案件判决记录"
    child_heard = data.get("child_view") if data.get("child_can_express_view") else "儿童不能表达意见"
    result = {"kind": kind, "ruling": ruling, "ruled_on": ruled_on.isoformat()}
    revoked = kind == "revocation" and ruling == "revoked"
    guardian, window = None, None
    if revoked:
        guardian = GUARDIANS.get(data.get("designated_guardian"), data.get("designated_guardian"))
        if data.get("designated_guardian") != "civil_affairs":
            guardian = f"{guardian}：{data.get('designated_relative_name', '')}"
        window = restoration_window(ruled_on)
        result.update(window, designated_guardian=data.get("designated_guardian"))
    ctx.file_document(title, render_for(ctx, "ruling_record.html", title=title, child_heard=child_heard,
                                        ruling=RULINGS[ruling], ruled_on=ruled_on.isoformat(), revoked=revoked,
                                        guardian=guardian, window=window))
    # A running entrustment agreement rests on the guardian it was made with: a revocation takes
    # that guardian away, a restoration gives the child back to the parents (hunan §三.1 ends it then).
    if revoked:
        ctx.end_agreement("guardianship_revoked", f"人民法院判决撤销监护人资格（{ruled_on.isoformat()}）")
    elif kind == "restoration" and ruling == "restored":
        ctx.end_agreement("capacity_restored", f"人民法院判决恢复监护人资格（{ruled_on.isoformat()}）")
    return result


# -- returning a child home ----------------------------------------------------------------------
RETURN_RECIPIENTS = ("儿童就读学校", "属地公安派出所", "村（居）民委员会")
# Who is told in the system: (department, level) of the offices of the child's place.
RETURN_OFFICES = (("education", "county"), ("police", "township"), ("village", "village"))


@operator("notify_return", "告知学校、公安机关和村（居）委会")
def notify_return(ctx: HandlerContext) -> dict:
    """Before a child goes home: tell the school, the police and the village (hunan §六.3)."""
    data = ctx.data
    capacity = data.get("guardianship_capacity")
    if capacity not in ("adequate", "insufficient"):
        raise HandlerError("not_assessed", "送返前须重新评估监护能力且无严重监护风险")
    ctx.file_document("儿童返回家庭告知书", render_for(ctx, "return_notice.html", title="儿童返回家庭告知书",
                                                  recipients=RETURN_RECIPIENTS, capacity=CAPACITY[capacity]))
    name = (data.get("child") or {}).get("name", "")
    for department, level in RETURN_OFFICES:
        ctx.notify_office(department, level, f"儿童{name}经重新评估将送返监护人抚养（案件 {ctx.case_id}）：请学校关注在校情况、"
                                             "派出所掌握家庭情况、村（居）委会定期回访，发现异常立即报告。")
    return {"notified": list(RETURN_RECIPIENTS), "notified_on": local_date(ctx.now).isoformat()}


# -- restoration ---------------------------------------------------------------------------------
@operator("open_restoration_window", "告知恢复监护人资格申请期")
def open_restoration_window(ctx: HandlerContext) -> dict:
    record = ctx.data.get("ruling_record") or {}
    if record.get("ruling") != "revoked" or not record.get("ruled_on"):
        raise HandlerError("no_revocation", "没有撤销监护人资格的判决记录，不能开启恢复申请期")
    window = restoration_window(date.fromisoformat(record["ruled_on"]))
    title = "恢复监护人资格申请期告知"
    ctx.file_document(title, render_for(ctx, "restoration_window.html", title=title, ruled_on=record["ruled_on"],
                                        window=window))
    return window


def restoration_decision(data: dict, today: date) -> dict:
    """Whether a restoration application registered `today` may proceed, and why not."""
    window = data.get("restoration_window") or {}
    opens, closes = window.get("restoration_opens_on"), window.get("restoration_closes_on")
    if not opens or not closes:
        raise HandlerError("no_window", "缺少撤销判决记录，无法审查申请期限")
    opens, closes = date.fromisoformat(opens), date.fromisoformat(closes)
    if data.get("intentional_crime_against_child"):
        return {"outcome": "barred", "reason": "申请人曾对被监护人实施故意犯罪，依法不得恢复监护人资格（民法典第三十八条）。"}
    if data.get("applicant_relation") not in ("father", "mother"):
        return {"outcome": "not_parent", "reason": "只有被撤销监护人资格的父母可以申请恢复监护人资格（民法典第三十八条）。"}
    if today < opens:
        return {"outcome": "too_early", "reason": f"撤销判决后满三个月方可申请：最早可于 {opens.isoformat()} 申请，"
                                                  f"本次申请登记于 {today.isoformat()}，不予受理。"}
    if today > closes:
        return {"outcome": "too_late", "reason": f"恢复申请应在撤销判决后一年内提出（截至 {closes.isoformat()}），"
                                                 f"本次申请登记于 {today.isoformat()}，已逾期，不予受理。"}
    return {"outcome": "admissible", "reason": f"申请在法定期限内（{opens.isoformat()} 至 {closes.isoformat()}），予以受理。"}


@operator("check_restoration_application", "审查恢复监护人资格申请")
def check_restoration_application(ctx: HandlerContext) -> dict:
    """Check the window with the clock and the bars; a refusal is filed with its reason."""
    today = local_date(ctx.now)
    decision = {**restoration_decision(ctx.data, today), "registered_on": today.isoformat()}
    title = "恢复监护人资格申请受理通知" if decision["outcome"] == "admissible" else "恢复监护人资格申请不予受理通知"
    ctx.file_document(title, render_for(ctx, "restoration_check.html", title=title, registered_on=today.isoformat(),
                                        reason=decision["reason"]))
    return decision
