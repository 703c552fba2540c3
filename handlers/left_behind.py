"""Left-behind children entrusted to a person (留守儿童委托照护, POLICY.md §6).

Parents who work away entrust a capable adult with their child (未成年人保护法 art. 22); the
village child director guides the signing of the 委托照护协议书 and watches it (重庆（十七）,
湖北 二.5). The agreement ends on the last day of its term, or earlier when the child turns
18: the handler works out which comes first, so the diagram's boundary timer fires once at
that moment (the start of the next day, China time) and the file says why it ended.
"""
from datetime import date, datetime, time, timedelta

from .dates import LOCAL_TZ
from .monitoring import eighteenth_birthday
from .registry import HandlerContext, HandlerError, operator
from .rendering import render_for

ENTRUSTORS = {"father": "父亲", "mother": "母亲", "other": "其他监护人"}
CARERS = {"grandparent": "祖父母、外祖父母", "relative": "其他亲属", "other": "其他"}
TERM_ENDED = "委托照护期限届满"
TURNED_18 = "儿童年满十八周岁"
TITLE = "委托照护协议书"


def _iso_date(value, label: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise HandlerError("bad_data", f"{label}不是有效日期：{value}") from None


def agreement_end(birth_date: str, ends_on: str) -> tuple[datetime, str]:
    """When the agreement stops (aware, China time) and why: its last day's end, or the 18th
    birthday if that comes first (guardianship, and with it any entrustment, ends at 18)."""
    adult = eighteenth_birthday(birth_date)
    after_term = _iso_date(ends_on, "委托期限截止日") + timedelta(days=1)
    if adult <= after_term:
        return datetime.combine(adult, time(0, 0), LOCAL_TZ), TURNED_18
    return datetime.combine(after_term, time(0, 0), LOCAL_TZ), TERM_ENDED


def _party(person: dict, relations: dict) -> dict:
    return {**person, "relation_title": relations.get(person.get("relation"), person.get("relation"))}


@operator("generate_entrustment_letter", "生成委托照护协议书")
def generate_entrustment_letter(ctx: HandlerContext) -> dict:
    """File the signed 委托照护协议书 and say when the agreement ends."""
    data = ctx.data
    missing = [label for key, label in (("entrustor", "委托人"), ("carer", "被委托人"), ("starts_on", "委托期限起始日"),
                                        ("ends_on", "委托期限截止日"), ("contact_arrangement", "联系安排"))
               if not data.get(key)]
    if missing:
        raise HandlerError("not_signed", "委托照护协议书尚未填写完整：缺少" + "、".join(missing))
    child = data.get("child") or {}
    if not child.get("birth_date"):
        raise HandlerError("no_child", "任务数据中没有儿童出生日期，无法确定协议终止日")
    ends_at, reason = agreement_end(child["birth_date"], data["ends_on"])
    entrustors = [_party(data["entrustor"], ENTRUSTORS)]
    if data.get("second_entrustor"):
        entrustors.append(_party(data["second_entrustor"], ENTRUSTORS))
    last_day = (ends_at - timedelta(days=1)).date().isoformat()
    ctx.file_document(TITLE, render_for(ctx, "entrustment_letter.html", title=TITLE, entrustors=entrustors,
                                        carer=_party(data["carer"], CARERS), last_day=last_day, end_reason=reason))
    return {"title": TITLE, "carer": data["carer"].get("name"), "ends_at": ends_at.isoformat(), "last_day": last_day,
            "end_reason": reason, "generated_at": ctx.now.isoformat()}
