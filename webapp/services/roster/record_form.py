"""What a contact or home visit records (JSON Schema 2020-12, validated like every form).

The signs are POLICY §4.1–4.2's (study pressure, family change, economic hardship, emotional
or behavioural change: what the psychological health file records); beside them safety at
home, school attendance and the guardian's care (湖北 二.16: 走访情况、发现问题). `follow_up`
names the procedures the finding starts for the child (services/roster/referrals.py).
"""
from .periods import GRADE_TITLES

SIGNS = {
    "study_pressure": "学业压力大",
    "family_change": "家庭变故",
    "economic_hardship": "经济困难",
    "emotional_behaviour": "情绪或行为异常",
    "self_harm_risk": "有自伤自杀言行",
    "bullying": "遭受欺凌",
}
SAFETY = {"safe": "居家安全", "hazard": "存在安全隐患", "danger": "儿童处于危险之中"}
SCHOOL = {"regular": "按时上学", "irregular": "经常缺课", "dropped_out": "辍学或失学", "not_in_school_age": "未到或已过就学年龄"}
CARE = {"adequate": "照料到位", "insufficient": "照料能力不足", "neglectful": "疏于照料", "absent": "无人照料"}
METHODS = {"home_visit": "入户走访", "phone": "电话联系", "video": "视频联系", "school": "到校了解", "meeting": "当面交谈（非入户）"}
FOLLOW_UPS = {
    "psych_referral": "心理健康转介（乡镇督导员识别）",
    "guardianship_revocation": "强制报告（儿童遭受或疑似遭受侵害、面临危险）",
    "guardianship_assessment": "家庭监护能力评估",
    "entrustment_care": "委托照护（监护困难儿童发现报告）",
    "basic_living_support": "协助申请基本生活保障（村委会代为申请）",
}


def _choice(title: str, options: dict) -> dict:
    return {"type": "string", "title": title, "enum": list(options), "x-enum-titles": list(options.values())}


def _many(title: str, options: dict) -> dict:
    return {"type": "array", "title": title, "uniqueItems": True, "maxItems": len(options),
            "items": {"type": "string", "enum": list(options)}, "x-enum-titles": list(options.values())}


RECORD_FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "tonghu:roster/record",
    "title": "联系、走访记录",
    "type": "object",
    "properties": {
        "contacted_on": {"type": "string", "format": "date", "title": "联系或走访日期", "x-not-future": 0,
                         "x-not-before-birth": True},
        "method": _choice("方式", METHODS),
        "signs": _many("发现的迹象", SIGNS),
        "safety_at_home": _choice("居家安全", SAFETY),
        "school_attendance": _choice("上学情况", SCHOOL),
        "guardian_care": _choice("监护人（照料人）照料情况", CARE),
        "notes": {"type": "string", "title": "情况记录（生活、健康、学习、心理，存在问题与采取措施）", "minLength": 1,
                  "maxLength": 4000, "pattern": "[^\\s\u3000]", "x-widget": "textarea"},
        "risk_grade": {**_choice("评估风险等级", GRADE_TITLES),
                       "description": "与登记的风险等级不同的，按本次评估调整并记入儿童档案"},
        "follow_up": _many("据此发起", FOLLOW_UPS),
        "reporter_phone": {"type": "string", "title": "报告人联系电话（发起强制报告时必填，身份保密）",
                           "pattern": "^[0-9+\\- ]{3,20}$"},
    },
    "required": ["contacted_on", "method", "safety_at_home", "school_attendance", "guardian_care", "notes"],
    "additionalProperties": False,
}


def summary(findings: dict) -> str:
    """The finding in one Chinese paragraph (carried over as a procedure's reason)."""
    signs = "、".join(SIGNS[s] for s in findings.get("signs") or []) or "未发现异常迹象"
    return (f"{findings['contacted_on']} {METHODS[findings['method']]}：{SAFETY[findings['safety_at_home']]}；"
            f"{SCHOOL[findings['school_attendance']]}；{CARE[findings['guardian_care']]}；迹象：{signs}。"
            f"{findings['notes']}")
