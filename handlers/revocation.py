"""Revocation of guardianship, temporary guardianship and restoration (POLICY.md §2).

The documents each step files on the case (the report register, the investigation and
assessment report, the court application, the ruling record, the return-home notice) and
the two checks the law puts on dates: the restoration window of 民法典 art. 38 (a parent
may apply from three months to one year after the revocation ruling) and its bars.

Dates are the Chinese calendar date of the engine's clock (UTC+8): a ruling recorded on
the evening of 1 March in Beijing is a ruling of 1 March.
"""
from datetime import date, datetime, time, timedelta

from markupsafe import escape

from .dates import LOCAL_TZ, add_months, local_date
from .document_html import child_identity, generated
from .registry import HandlerContext, HandlerError, operator

REPORTER_MASK = "强制报告责任主体（身份依法保密）"

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
}
CAPACITY = {"adequate": "监护能力充足", "insufficient": "监护能力不足", "severe_risk": "存在严重监护风险"}
GROUNDS = {
    "mental_disorder": "严重精神障碍", "imprisonment": "长期服刑", "drug_use": "吸毒",
    "domestic_violence": "家庭暴力", "neglect": "无法或怠于履行监护职责",
    "serious_harm": "严重损害儿童身心健康或合法权益", "other": "其他",
}
INTERVENTIONS = {
    "family_education_order": "家庭教育指导令", "supervision_order": "督促监护令", "revocation": "申请撤销监护人资格",
}
RULINGS = {"revoked": "撤销监护人资格", "rejected": "驳回申请", "restored": "恢复监护人资格"}
GUARDIANS = {"relative": "其他依法具有监护资格的亲属", "civil_affairs": "民政部门（长期监护）"}


# -- helpers ------------------------------------------------------------------------------
def restoration_window(ruled_on: date) -> dict:
    """When a parent may apply to have guardianship restored (民法典 art. 38 as practised)."""
    opens, closes = add_months(ruled_on, RESTORATION_OPENS_MONTHS), add_months(ruled_on, RESTORATION_CLOSES_MONTHS)
    closes_at = datetime.combine(closes + timedelta(days=1), time(0, 0), LOCAL_TZ)  # the end of the last day
    return {"restoration_opens_on": opens.isoformat(), "restoration_closes_on": closes.isoformat(),
            "restoration_closes_at": closes_at.isoformat()}


def _p(text) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in str(text or "").splitlines() if line.strip())


def _row(label: str, value) -> str:
    return f"<tr><th>{escape(label)}</th><td>{escape(value if value not in (None, '') else '—')}</td></tr>"


def _child_line(data: dict) -> str:
    return f"<p>儿童：{child_identity(data.get('child') or {})}）</p>"


def _document(title: str, body: str, ctx: HandlerContext, css: str) -> str:
    return (f'<article class="document {css}"><h1>{escape(title)}</h1>{_child_line(ctx.data)}{body}'
            f'{generated(ctx.now)}</article>')


# -- intake ---------------------------------------------------------------------------------
SOURCES = {"entrustment_care": "五方委托照护协议程序（家庭监护能力评估）", "psych_referral": "心理健康转介程序"}
CARRIED = (("guardianship_capacity", "监护能力评估结论"), ("assessment_summary", "评估意见"),
           ("risk_level", "心理危机风险等级"), ("guidance_note", "监护指导记录"))


@operator("register_mandatory_report", "登记强制报告或移交")
def register_mandatory_report(ctx: HandlerContext) -> dict:
    """File how the case came in. A report's reporter is never written into the document.

    `assessed` says whether a guardianship capacity assessment came with a hand-over (the
    entrustment procedure's); only then is the assessment not made again.
    """
    data = ctx.data
    if data.get("handed_over_from"):
        source = data["handed_over_from"]
        rows = "".join(_row(label, CAPACITY.get(data[key], data[key]) if key == "guardianship_capacity" else data[key])
                       for key, label in CARRIED if data.get(key) not in (None, ""))
        body = ("<table>" + _row("移交来源", SOURCES.get(source, source)) + _row("原案件编号", data.get("handed_over_case"))
                + rows + "</table>")
        ctx.file_document("移交撤销监护人资格程序登记", _document("移交撤销监护人资格程序登记", body, ctx, "intake"))
        return {"entry": "handover", "source": source, "assessed": data.get("guardianship_capacity") in CAPACITY,
                "received_on": local_date(ctx.now).isoformat()}
    if not data.get("reason"):
        raise HandlerError("no_report", "缺少报告事项，无法登记强制报告")
    body = ("<table>"
            + _row("报告人", REPORTER_MASK)
            + _row("报告事项", data.get("reason"))
            + _row("发生地点", data.get("location"))
            + _row("发现或发生日期", data.get("occurred_on"))
            + _row("儿童当前是否处于危险之中", "是" if data.get("child_in_danger") else "否")
            + _row("接报时间", f"{ctx.now.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}（北京时间）")
            + "</table><p>报告人身份依法保密（反家庭暴力法第十四条），仅公安机关和民政部门可查。</p>")
    ctx.file_document("强制报告登记表", _document("强制报告登记表", body, ctx, "intake"))
    return {"entry": "mandatory_report", "assessed": False, "received_on": local_date(ctx.now).isoformat()}


# -- investigation and assessment -------------------------------------------------------------
@operator("generate_investigation_report", "生成调查评估报告")
def generate_investigation_report(ctx: HandlerContext) -> dict:
    data = ctx.data
    if data.get("intervention") not in INTERVENTIONS:
        raise HandlerError("not_investigated", "尚未完成调查评估，不能生成报告")
    placement = "是" if data.get("temporary_guardianship") else "否"
    body = (
        "<h2>一、调查情况</h2>" + _p(data.get("findings"))
        + "<h2>二、家庭监护能力评估</h2><table>"
        + _row("监护人", data.get("guardian_name"))
        + _row("监护人身心健康状况", data.get("health"))
        + _row("家庭经济收入稳定性", data.get("income"))
        + _row("居住及照料情况", data.get("living_conditions"))
        + _row("评估结论", CAPACITY.get(data.get("guardianship_capacity"), data.get("guardianship_capacity")))
        + _row("评估意见", data.get("assessment_summary"))
        + "</table><h2>三、监护风险情形</h2><table>"
        + _row("主要情形", GROUNDS.get(data.get("grounds"), data.get("grounds")))
        + _row("是否已尝试委托他人监护或照护", "是" if data.get("entrustment_attempted") else "否")
        + _row("监护人是否拒绝委托", "是" if data.get("guardian_refuses_entrustment") else "否")
        + _row("是否在临时监护中", placement)
        + "</table><h2>四、干预措施</h2><table>"
        + _row("结论", INTERVENTIONS[data["intervention"]])
        + _row("说明", data.get("measure_note"))
        + "</table>"
    )
    ctx.file_document("调查评估报告", _document("调查评估报告", body, ctx, "investigation-report"))
    return {"title": "调查评估报告", "intervention": data["intervention"], "filed_on": local_date(ctx.now).isoformat()}


# -- application to the court ------------------------------------------------------------------
@operator("generate_court_application", "生成撤销监护人资格申请书")
def generate_court_application(ctx: HandlerContext) -> dict:
    """Decide who applies (civil affairs when no one else does, or on the procuratorate's
    written recommendation) and file the application."""
    data = ctx.data
    other = data.get("other_applicant")
    if other is None:
        raise HandlerError("no_applicant", "尚未确定申请主体")
    action = data.get("procuratorate_action")
    if action == "recommend_civil_affairs":
        applicant, basis = "civil_affairs", f"根据人民检察院检察建议（{data.get('document_number') or '书面建议'}），由民政部门申请。"
    elif other == "none":
        applicant, basis = "civil_affairs", "无其他个人或组织申请，民政部门依法申请（民法典第三十六条第三款）。"
    else:
        applicant, basis = other, "由有关个人或组织依法申请（民法典第三十六条第二款），民政部门提供调查评估报告。"
    applicant_name = "县级民政局" if applicant == "civil_affairs" else data.get("other_applicant_name") or APPLICANTS[applicant]
    supported = action == "support_suit"
    body = (
        "<table>"
        + _row("申请人", f"{applicant_name}（{APPLICANTS.get(applicant, applicant)}）")
        + _row("申请依据", basis)
        + _row("人民检察院", "支持起诉" if supported else ("检察建议民政部门申请" if action == "recommend_civil_affairs" else "—"))
        + _row("被申请人", data.get("guardian_name"))
        + "</table><h2>请求事项</h2><p>请求依法撤销被申请人的监护人资格，并按照最有利于被监护人的原则指定监护人。</p>"
        + "<h2>事实与理由</h2>" + _p(data.get("application_grounds"))
        + "<h2>证据</h2><p>民政部门调查评估报告；公安机关处置记录（如有）；体检及伤情记录（如有）。</p>"
    )
    ctx.file_document("撤销监护人资格申请书", _document("撤销监护人资格申请书", body, ctx, "court-application"))
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
    rows = (_row("案号", data.get("court_case_number")) + _row("开庭审理日期", data.get("hearing_date"))
            + _row("儿童意见", child_heard) + _row("判决结果", RULINGS[ruling]) + _row("判决登记日期", ruled_on.isoformat()))
    result = {"kind": kind, "ruling": ruling, "ruled_on": ruled_on.isoformat()}
    if kind == "revocation" and ruling == "revoked":
        guardian = GUARDIANS.get(data.get("designated_guardian"), data.get("designated_guardian"))
        if data.get("designated_guardian") == "relative":
            guardian = f"{guardian}：{data.get('designated_relative_name', '')}"
        window = restoration_window(ruled_on)
        rows += (_row("指定监护人", guardian)
                 + _row("原监护人负担抚养费", "是" if data.get("maintenance_ordered") else "否")
                 + _row("恢复监护人资格申请期", f"{window['restoration_opens_on']} 至 {window['restoration_closes_on']}"))
        result.update(window, designated_guardian=data.get("designated_guardian"))
    body = f"<table>{rows}</table><h2>判决理由</h2>{_p(data.get('ruling_reasons'))}"
    ctx.file_document(title, _document(title, body, ctx, "ruling-record"))
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
    body = (
        "<p>致：" + "、".join(RETURN_RECIPIENTS) + "</p>"
        f"<p>经重新评估，监护人监护能力评估结论为“{escape(CAPACITY[capacity])}”，儿童将送返监护人抚养。"
        "请学校关注儿童在校情况，公安派出所掌握家庭情况，村（居）民委员会定期回访，发现异常立即报告。</p>"
        + _p(data.get("assessment_summary"))
    )
    ctx.file_document("儿童返回家庭告知书", _document("儿童返回家庭告知书", body, ctx, "return-notice"))
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
    body = (f"<p>撤销监护人资格判决登记日期：{escape(record['ruled_on'])}。</p>"
            f"<p>被撤销监护人资格的父母确有悔改表现的，可于 {window['restoration_opens_on']} 至 "
            f"{window['restoration_closes_on']} 期间向人民法院书面申请恢复监护人资格（民法典第三十八条）；"
            "对被监护人实施故意犯罪的除外。逾期不再受理。</p>")
    ctx.file_document("恢复监护人资格申请期告知", _document("恢复监护人资格申请期告知", body, ctx, "restoration-window"))
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
    body = ("<table>" + _row("申请人", ctx.data.get("applicant_name")) + _row("登记日期", today.isoformat())
            + _row("审查结论", decision["reason"]) + "</table>")
    ctx.file_document(title, _document(title, body, ctx, "restoration-check"))
    return decision
