"""The documents service tasks file on a case, rendered from handlers/templates/documents/.

Each document is produced the way the engine produces it (handlers.dispatch with a
HandlerContext) from representative task data; then the same data is made hostile, and the
clock is put where UTC and Beijing disagree on the date.
"""
import glob
import tomllib
from datetime import datetime, timezone
from pathlib import Path

import pytest
from jinja2 import UndefinedError

import handlers.rendering
from handlers import HandlerContext, dispatch
from handlers.rendering import render_document
from webapp import living_settings

ROOT = Path(__file__).resolve().parent.parent
# 16:30 UTC on 1 June is 00:30 on 2 June in Beijing: a document dated in UTC shows the wrong day.
NOW = datetime(2027, 6, 1, 16, 30, tzinfo=timezone.utc)
BEIJING = "2027-06-02 00:30（北京时间）"
CHILD = {"name": "刘小明", "id_number": "430104201501010011", "birth_date": "2015-01-01"}
HOSTILE = '<script>alert("{}")</script>'


def signed(name):
    return {"signed": True, "signatory": name, "signed_on": "2026-01-10"}


# (operator, params, task data, keys that must stay valid codes, filed title, heading, text the document must show)
DOCUMENTS = {
    "agreement": ("generate_agreement_document", {}, {
        "institution_name": "长沙市儿童福利院", "rights_and_duties": "机构负责日常照料\n监护人按月探视",
        "service_standards": "每日三餐", "dispute_resolution": "协商解决", "term_until": "2033-01-01",
        "signature_guardian": signed("王秀英"), "signature_village": signed("主任李"),
        "signature_township": signed("镇长赵"), "signature_institution": signed("院长周"),
        "signature_civil_affairs": signed("局长钱")}, set(),
        "五方委托照护协议", "五方委托照护协议",
        ["受委托照护儿童：刘小明（公民身份号码 430104201501010011，出生日期 2015-01-01）", "委托照护机构：长沙市儿童福利院",
         "<p>机构负责日常照料</p><p>监护人按月探视</p>", "自各方签署之日起至 2033-01-01 止",
         "<tr><td>委托照护机构</td><td>院长周</td><td>2026-01-10</td></tr>", "<td>局长钱</td>"]),
    # the agreement as drafted on the current form (hunan §三.1): parties, start, allowance, visits, change terms
    "agreement_terms": ("generate_agreement_document", {}, {
        "institution_name": "长沙市儿童福利院", "guardian_party": "王秀英", "village_party": "望月湖社区居民委员会",
        "township_party": "望月湖街道办事处", "civil_affairs_party": "岳麓区民政局",
        "rights_and_duties": "机构负责日常照料", "service_standards": "每日三餐", "dispute_resolution": "协商解决",
        "start_date": "2026-12-01", "term_until": "2033-01-01", "allowance_manager": "care_institution",
        "allowance_terms": "专户管理，每季度向监护人公开收支", "visiting_arrangements": "祖母每月探视一次\n节假日可接回家中",
        "change_and_termination": "任何一方变更须经五方书面同意", **{f"signature_{k}": signed(k) for k in (
            "guardian", "village", "township", "institution", "civil_affairs")}}, {"allowance_manager"},
        "五方委托照护协议", "五方委托照护协议",
        ["委托方（监护人）：王秀英", "村（居）民委员会：望月湖社区居民委员会", "乡镇人民政府（街道办事处）：望月湖街道办事处",
         "委托照护机构：长沙市儿童福利院", "县级民政部门：岳麓区民政局",
         "<h2>五、儿童基本生活费</h2><p>儿童基本生活费由委托照护机构代为管理。</p><p>专户管理，每季度向监护人公开收支</p>",
         "<h2>六、探视安排</h2><p>祖母每月探视一次</p><p>节假日可接回家中</p>",
         "<h2>七、协议变更与解除</h2><p>任何一方变更须经五方书面同意</p>",
         "自 2026-12-01 起至 2033-01-01 止；儿童年满十八周岁、监护人监护能力恢复或监护人资格被撤销时终止"]),
    "psych_ledger": ("psych_risk_ledger", {}, {
        "risk_level": "medium", "self_harm_risk": "ideation", "harm_to_others": False, "symptom_severity": "moderate",
        "functional_impairment": True, "assessed_on": "2027-05-30", "assessment_method": "量表测评",
        "assessment_summary": "情绪低落，睡眠差"}, {"risk_level"},
        "心理健康评估分类台账：中风险（黄）", "心理健康评估分类台账",
        ["<tr><th>自伤自杀风险</th><td>有自伤或轻生念头</td></tr>", "<tr><th>伤害他人的现实危险</th><td>无</td></tr>",
         "心理风险等级：<strong>中风险（黄）</strong>", "评估日期：2027-05-30；评估方法：量表测评", "评估意见：情绪低落，睡眠差",
         f'<p class="generated">登记时间：{BEIJING}</p>']),
    "psych_referral": ("psych_referral_letter", {}, {
        "risk_level": "crisis", "assessment_summary": "有自伤计划"}, {"risk_level"},
        "心理健康转介单", "困境儿童心理健康转介单",
        ["转介要求：危机：立即送医，医疗机构即时接诊", "评估意见：有自伤计划", f'<p class="generated">开具时间：{BEIJING}</p>']),
    "resettlement_plan": ("generate_resettlement_plan_document", {}, {
        "adulthood_date": "2050-09-15", "assessed_on": "2050-03-01", "independent_living": "sufficient",
        "work_ability": "partial", "self_care": "sufficient", "housing_plan": "徐汇区公共租赁住房",
        "household_registration_plan": "落户徐汇区", "employment_plan": "职业培训后就业", "care_plan": "社工结对",
        "planned_move_date": "2050-09-20", "plan_approved": True, "approval_opinion": "同意"}, set(),
        "孤儿回归社会安置方案", "孤儿回归社会安置方案",
        ["安置对象：刘小明（公民身份号码 430104201501010011，出生日期 2015-01-01，年满十八周岁日期 2050-09-15）",
         "<li>劳动（就业）能力：部分具备</li>", "<h2>一、住房</h2><p>徐汇区公共租赁住房</p>", "拟离院安置日期：2050-09-20",
         "<h2>审批意见</h2><p>同意</p>"]),
    "mandatory_report": ("register_mandatory_report", {}, {
        "reason": "邻居反映儿童长期挨打", "location": "岳麓区某小区", "occurred_on": "2027-05-31",
        "child_in_danger": True, "reporter": "李医生", "reporter_phone": "13800000000"}, set(),
        "强制报告登记表", "强制报告登记表",
        ["<tr><th>报告人</th><td>强制报告责任主体（身份依法保密）</td></tr>", "<tr><th>报告事项</th><td>邻居反映儿童长期挨打</td></tr>",
         "<tr><th>儿童当前是否处于危险之中</th><td>是</td></tr>", f"<tr><th>接报时间</th><td>{BEIJING}</td></tr>"]),
    "handover": ("register_mandatory_report", {}, {
        "handed_over_from": "entrustment_care", "handed_over_case": 12, "guardianship_capacity": "severe_risk",
        "assessment_summary": "监护人吸毒，儿童处于危险之中", "guidance_note": ""}, set(),
        "移交撤销监护人资格程序登记", "移交撤销监护人资格程序登记",
        ["<tr><th>移交来源</th><td>五方委托照护协议程序（家庭监护能力评估）</td></tr>", "<tr><th>原案件编号</th><td>12</td></tr>",
         "<tr><th>监护能力评估结论</th><td>存在严重监护风险</td></tr>", "监护人吸毒，儿童处于危险之中"]),
    "investigation": ("generate_investigation_report", {}, {
        "intervention": "revocation", "findings": "多次殴打儿童", "guardian_name": "刘某", "health": "吸毒成瘾",
        "income": "无稳定收入", "living_conditions": "", "guardianship_capacity": "severe_risk",
        "assessment_summary": "不宜继续监护", "grounds": "drug_use", "entrustment_attempted": True,
        "guardian_refuses_entrustment": True, "temporary_guardianship": True, "measure_note": "向法院申请"},
        {"intervention"},
        "调查评估报告", "调查评估报告",
        ["<h2>一、调查情况</h2><p>多次殴打儿童</p>", "<tr><th>监护人</th><td>刘某</td></tr>",
         "<tr><th>居住及照料情况</th><td>—</td></tr>", "<tr><th>主要情形</th><td>吸毒</td></tr>",
         "<tr><th>结论</th><td>申请撤销监护人资格</td></tr>", "<tr><th>是否在临时监护中</th><td>是</td></tr>"]),
    "court_application": ("generate_court_application", {}, {
        "other_applicant": "relative", "other_applicant_name": "陈某（外祖母）", "procuratorate_action": "support_suit",
        "guardian_name": "刘某", "application_grounds": "长期殴打\n拒不改正"}, {"other_applicant", "procuratorate_action"},
        "撤销监护人资格申请书", "撤销监护人资格申请书",
        ["<tr><th>申请人</th><td>陈某（外祖母）（其他依法具有监护资格的人）</td></tr>", "<tr><th>人民检察院</th><td>支持起诉</td></tr>",
         "<tr><th>被申请人</th><td>刘某</td></tr>", "<h2>事实与理由</h2><p>长期殴打</p><p>拒不改正</p>"]),
    "revocation_ruling": ("record_court_ruling", {"kind": "revocation"}, {
        "court_ruling": "revoked", "designated_guardian": "relative", "designated_relative_name": "刘奶奶",
        "child_can_express_view": True, "child_view": "不想回家", "court_case_number": "（2027）湘0104民特1号",
        "hearing_date": "2027-05-28", "maintenance_ordered": True, "ruling_reasons": "严重侵害儿童权益"},
        {"court_ruling", "designated_guardian"},
        "撤销监护人资格案件判决记录", "撤销监护人资格案件判决记录",
        ["<tr><th>儿童意见</th><td>不想回家</td></tr>", "<tr><th>判决结果</th><td>撤销监护人资格</td></tr>",
         "<tr><th>判决登记日期</th><td>2027-06-02</td></tr>", "其他依法具有监护资格的亲属：刘奶奶",
         "<tr><th>恢复监护人资格申请期</th><td>2027-09-02 至 2028-06-02</td></tr>", "<p>严重侵害儿童权益</p>"]),
    "restoration_ruling": ("record_court_ruling", {"kind": "restoration"}, {
        "restoration_ruling": "restored", "child_can_express_view": False, "court_case_number": "（2027）湘0104民特9号"},
        {"restoration_ruling"},
        "恢复监护人资格案件判决记录", "恢复监护人资格案件判决记录",
        ["<tr><th>判决结果</th><td>恢复监护人资格</td></tr>", "<tr><th>儿童意见</th><td>儿童不能表达意见</td></tr>"]),
    "return_notice": ("notify_return", {}, {
        "guardianship_capacity": "adequate", "assessment_summary": "父亲已戒毒，家庭稳定"}, {"guardianship_capacity"},
        "儿童返回家庭告知书", "儿童返回家庭告知书",
        ["<p>致：儿童就读学校、属地公安派出所、村（居）民委员会</p>", "监护能力评估结论为“监护能力充足”",
         "<p>父亲已戒毒，家庭稳定</p>"]),
    "restoration_window": ("open_restoration_window", {}, {
        "ruling_record": {"ruling": "revoked", "ruled_on": "2027-01-15"}}, {"ruling_record"},
        "恢复监护人资格申请期告知", "恢复监护人资格申请期告知",
        ["撤销监护人资格判决登记日期：2027-01-15。", "可于 2027-04-15 至 2028-01-15 期间向人民法院书面申请"]),
    "capacity_assessment": ("record_capacity_assessment", {}, {
        "health_rating": "good", "income_rating": "absent", "ability_rating": "weak", "assessors": "刘科长、李督导员",
        "assessed_on": "2026-11-20", "guardianship_capacity": "insufficient", "assessment_summary": "收入不稳定\n照料尚可"},
        {"health_rating", "income_rating", "ability_rating", "guardianship_capacity"},
        "家庭监护能力评估记录", "家庭监护能力评估记录",
        ["<tr><th>履行监护职责的实际能力</th><td>较弱</td></tr>", "<tr><th>经济来源稳定性</th><td>缺失</td></tr>",
         "<tr><th>评估人员</th><td>刘科长、李督导员</td></tr>", "<tr><th>评估日期</th><td>2026-11-20</td></tr>",
         "<tr><th>监护风险等级</th><td>橙色</td></tr>", "<p>收入不稳定</p><p>照料尚可</p>"]),
    "restoration_check": ("check_restoration_application", {}, {
        "restoration_window": {"restoration_opens_on": "2027-04-15", "restoration_closes_on": "2028-01-15"},
        "applicant_relation": "father", "applicant_name": "刘某", "intentional_crime_against_child": False},
        {"restoration_window", "applicant_relation"},
        "恢复监护人资格申请受理通知", "恢复监护人资格申请受理通知",
        ["<tr><th>申请人</th><td>刘某</td></tr>", "<tr><th>登记日期</th><td>2027-06-02</td></tr>",
         "申请在法定期限内（2027-04-15 至 2028-01-15），予以受理。"]),
    "entrustment_letter": ("generate_entrustment_letter", {}, {
        "entrustor": {"name": "刘强", "relation": "father", "phone": "13800000001", "work_place": "广东省东莞市"},
        "second_entrustor": {"name": "张丽", "relation": "mother", "phone": "13800000002"},
        "carer": {"name": "王桂兰", "id_number": "43010419580315004X", "relation": "grandparent", "phone": "13900000003"},
        "contact_arrangement": "每周日晚视频通话\n每月寄生活费", "starts_on": "2027-01-01", "ends_on": "2027-12-31",
        "signed_on": "2027-01-01", "child_heard": True, "school_informed": False}, {"birth_date", "ends_on", "relation"},
        "委托照护协议书", "委托照护协议书",
        ["<tr><th>父亲</th><td>刘强，联系电话 13800000001，务工地 广东省东莞市</td></tr>",
         "<tr><th>母亲</th><td>张丽，联系电话 13800000002</td></tr>", "<tr><th>与儿童关系</th><td>祖父母、外祖父母</td></tr>",
         "<tr><th>居住地址</th><td>—</td></tr>", "<p>每周日晚视频通话</p><p>每月寄生活费</p>",
         "自 2027-01-01 起至 2027-12-31 止（委托照护期限届满时终止）", "<tr><th>书面告知学校</th><td>尚未告知</td></tr>"]),
    "living_support_approval": ("grant_living_support", {}, {
        "support_category": "orphan_allowance", "approved": True, "decision_note": "父母双亡\n由外祖母照料"},
        {"support_category"},
        "基本生活保障审批决定书", "基本生活保障审批决定书",
        ["决定对该儿童给予孤儿基本生活费", "<tr><th>月保障金额（元）</th><td>1350.00</td></tr>",
         "<tr><th>适用标准</th><td>湖南省标准（示例）</td></tr>", "<tr><th>发放起始月份</th><td>2027-07</td></tr>",
         "<tr><th>年度复核日期</th><td>2028-06-02</td></tr>", "<p>父母双亡</p><p>由外祖母照料</p>"]),
    "living_support_rejection": ("reject_living_support", {"stage": "decision"}, {
        "applicant_name": "王秀英", "support_category": "de_facto_allowance", "rejection_reason": "失联未满六个月\n材料不全"},
        {"support_category"},
        "不予批准基本生活保障决定书", "不予批准基本生活保障决定书",
        ["<p>申请人：王秀英</p>", "经县级民政部门审批", "认定情形：事实无人抚养儿童基本生活费",
         "<p>失联未满六个月</p><p>材料不全</p>", "六十日内", "六个月内"]),
    "living_support_stop": ("stop_living_support", {"reason": "change"}, {"change_kind": "adopted"}, {"change_kind"},
        "终止基本生活保障通知书", "终止基本生活保障通知书",
        ["终止原因：被依法收养（2027-06-02）", "发放至 2027-06，自 2027-07 起停发"]),
    # the police's intake register of a street, abandoned or rescued child (M5; handlers/intake.py)
    "child_intake_record": ("register_child_intake", {}, {
        "found_type": "abandoned", "source": "public_report", "found_on": "2027-03-02", "found_place": "岳麓区汽车西站",
        "initial_search": "调阅监控未见陪同人员", "circumstances": "群众报警称车站候车室有一名无人看护的儿童\n衣着单薄"},
        {"found_type", "source"},
        "发现、接收儿童登记", "发现、接收儿童登记",
        ["<tr><th>儿童情形</th><td>弃婴、弃儿</td></tr>", "<tr><th>来源</th><td>群众报警</td></tr>",
         "<tr><th>发现地点</th><td>岳麓区汽车西站</td></tr>", "<p>群众报警称车站候车室有一名无人看护的儿童</p><p>衣着单薄</p>"]),
}


def file(name, data=None, now=NOW):
    """Run the document's handler as the engine would and return its one filed document."""
    operator, params, sample, *_ = DOCUMENTS[name]
    ctx = HandlerContext(7, "430104001001", "test", "文书", {"child": CHILD, **sample} if data is None else data, now,
                         settings={"living_support": living_settings.DEFAULTS})
    dispatch(operator, ctx, params)
    [document] = ctx.documents
    return document


def poisoned(value, codes, path="data"):
    """Every string in `value` made hostile and marked with where it came from, except the codes the handler checks."""
    if isinstance(value, dict):
        return {k: v if k in codes else poisoned(v, codes, f"{path}.{k}") for k, v in value.items()}
    return value + HOSTILE.format(path) if isinstance(value, str) else value


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_document_renders_from_task_data(name):
    *_, title, heading, shown = DOCUMENTS[name]
    document = file(name)
    assert document.title == title
    html = document.html
    assert html.startswith('<article class="document ') and html.rstrip().endswith("</article>")
    assert f"<h1>{heading}</h1>" in html
    assert "刘小明（公民身份号码 430104201501010011，出生日期 2015-01-01" in html
    missing = [text for text in shown if text not in html]
    assert not missing, f"{name} lacks {missing}:\n{html}"
    assert "None" not in html and "Undefined" not in html


def test_the_reporter_is_never_written_into_the_report_register():
    html = file("mandatory_report").html
    assert "李医生" not in html and "13800000000" not in html


@pytest.mark.parametrize("name", DOCUMENTS)
def test_hostile_task_data_comes_out_escaped(name):
    _, _, sample, codes, *_ = DOCUMENTS[name]
    data = poisoned({"child": CHILD, **sample}, codes)
    html = file(name, data).html
    assert "<script" not in html, f"unescaped task data in {name}:\n{html}"
    # the hostile values are still shown, as text (every document names the child)
    assert '刘小明&lt;script&gt;alert(&#34;data.child.name&#34;)&lt;/script&gt;' in html


def test_a_blank_answer_prints_nothing_not_none():
    data = {"child": {"name": None}, **DOCUMENTS["agreement"][2], "institution_name": None, "dispute_resolution": None}
    html = file("agreement", data).html
    assert "None" not in html
    assert "<p>委托照护机构：</p>" in html and "<h2>三、争议解决机制</h2>\n" in html


@pytest.mark.parametrize("name", DOCUMENTS)
def test_times_are_beijing_time_and_say_so(name):
    html = file(name).html
    assert BEIJING in html
    assert "UTC" not in html and "2027-06-01 16:30" not in html


def test_a_naive_moment_is_the_engine_clocks_utc():
    html = file("psych_referral", now=datetime(2027, 6, 1, 16, 30)).html
    assert f"开具时间：{BEIJING}" in html


def test_every_document_template_is_filed_by_a_handler(monkeypatch):
    rendered = []
    real = handlers.rendering.render_document
    monkeypatch.setattr(handlers.rendering, "render_document", lambda template, **c: rendered.append(template) or real(
        template, **c))
    for name in DOCUMENTS:
        file(name)
    templates = {p.name for p in (ROOT / "handlers/templates/documents").glob("*.html") if not p.name.startswith("_")}
    assert set(rendered) == templates


def test_a_misspelt_variable_fails_loudly_instead_of_printing_a_blank():
    with pytest.raises(UndefinedError):
        render_document("psych_referral.html", data={}, child={}, now=NOW, risk_level="危机（红）")  # no urgency


def test_the_package_ships_the_templates():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["handlers"]
    shipped = {path for pattern in patterns for path in glob.glob(pattern, root_dir=ROOT / "handlers", recursive=True)}
    templates = {str(p.relative_to(ROOT / "handlers")) for p in (ROOT / "handlers/templates").rglob("*") if p.is_file()}
    assert templates and templates <= shipped
