"""Intake of a street child, an abandoned or a rescued child (M5: hulin 三.（二）（五）; shanghai （四）;
chongqing （十八）; 未成年人保护法 第九十二条、第九十四条).

The police hand the child to civil affairs only after the medical check and the DNA entry; the
protection centre chosen by civil affairs keeps the child and announces the search for the
family. The announcement runs `ANNOUNCEMENT_DAYS` days from its publication (the seeds give no
period; the default is the 60 days of 中国公民收养子女登记办法 第七条, after which an unclaimed
child counts as one whose parents cannot be found). Long-term guardianship puts the category
decided by civil affairs on the child's registry entry (`Categorize`, consumed by
`webapp/services/intake.py`), never a second entry.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .dates import LOCAL_TZ, local_date
from .registry import HandlerContext, HandlerError, operator
from .rendering import render_for

ANNOUNCEMENT_DAYS = 60
FOUND_TYPES = {"street": "流浪乞讨儿童", "abandoned": "弃婴、弃儿", "trafficking_rescued": "打拐解救儿童",
               "abuse_rescued": "受虐解救儿童", "unidentified": "走失或身份不明儿童"}
SOURCES = {"police_found": "公安机关巡查发现", "public_report": "群众报警", "unit_transfer": "其他单位移送"}
FOUND_BY = {"police_dna_match": "公安机关DNA比对", "announcement_claim": "寻亲公告后认领",
            "police_investigation": "公安机关调查查找", "child_account": "儿童自述线索经核实"}
RELATIONS = {"father": "父亲", "mother": "母亲", "grandparent": "（外）祖父母", "relative": "其他亲属", "other": "其他"}
CATEGORIES = {"orphan": "孤儿", "de_facto_unsupported": "事实无人抚养儿童"}


@dataclass(frozen=True)
class Categorize:
    """Put `category` (a registry code) on the case's child, for `reason`, when this step is saved."""

    category: str
    reason: str


def _day(value, label: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise HandlerError("bad_data", f"{label}不是有效日期：{value}") from None


def _file(ctx: HandlerContext, title: str, rows: list[tuple[str, object]], note: str = "") -> None:
    ctx.file_document(title, render_for(ctx, "child_intake_record.html", title=title, rows=rows, note=note))


@operator("register_child_intake", "登记发现、接收儿童")
def register_child_intake(ctx: HandlerContext) -> dict:
    """File how the police came to have the child: what kind of child, where, when, how it came in."""
    data = ctx.data
    _file(ctx, "发现、接收儿童登记", [
        ("儿童情形", FOUND_TYPES.get(data.get("found_type"), data.get("found_type"))),
        ("来源", SOURCES.get(data.get("source"), data.get("source"))), ("发现日期", data.get("found_on")),
        ("发现地点", data.get("found_place")), ("初步查找情况", data.get("initial_search"))], data.get("circumstances", ""))
    return {"received_on": local_date(ctx.now).isoformat()}


def announcement_end(published_on: str) -> datetime:
    """The end of the announcement period: the start of the day after its last day, China time."""
    last = _day(published_on, "公告发布日期") + timedelta(days=ANNOUNCEMENT_DAYS)
    return datetime.combine(last + timedelta(days=1), time(0, 0), LOCAL_TZ)


@operator("open_family_search", "寻亲公告登记，确定公告期")
def open_family_search(ctx: HandlerContext) -> dict:
    """File the announcement and say when its period ends (the diagram's timer waits for it)."""
    data = ctx.data
    if not data.get("published_on"):
        raise HandlerError("not_published", "尚未登记寻亲公告的发布日期")
    ends_at = announcement_end(data["published_on"])
    last_day = (ends_at - timedelta(days=1)).date().isoformat()
    _file(ctx, "寻亲公告", [("发布日期", data["published_on"]), ("发布渠道", data.get("channel")),
                         ("公告期", f"{ANNOUNCEMENT_DAYS} 日，至 {last_day} 止")], data.get("announcement_text", ""))
    return {"ends_at": ends_at.isoformat(), "last_day": last_day, "days": ANNOUNCEMENT_DAYS}


@operator("record_family_return", "登记儿童送返家庭交接")
def record_family_return(ctx: HandlerContext) -> dict:
    """File the hand-over to the family and tell the police station, whose search for the family ends."""
    data = ctx.data
    _file(ctx, "儿童送返家庭交接记录", [
        ("查找途径", FOUND_BY.get(data.get("found_by"), data.get("found_by"))),
        ("接收人", data.get("received_by")), ("与儿童关系", RELATIONS.get(data.get("receiver_relation"))),
        ("接收人公民身份号码", data.get("receiver_id_number")), ("交接日期", data.get("handed_over_on")),
        ("身份与亲属关系经公安机关核实", "是" if data.get("police_verified") else "否")], data.get("handover_note", ""))
    ctx.notify_office("police", "township", f"{(data.get('child') or {}).get('name', '儿童')}已于 {data.get('handed_over_on')} "
                                            f"送返家庭（{data.get('received_by')}接收），查找工作结束")
    return {"returned_on": data.get("handed_over_on")}


@operator("record_state_guardianship", "登记民政部门长期监护")
def record_state_guardianship(ctx: HandlerContext) -> dict:
    """File the long-term guardianship decision and put the decided category on the registry entry."""
    data = ctx.data
    category = data.get("category")
    if category not in CATEGORIES:
        raise HandlerError("no_category", "长期监护决定未认定儿童类别（孤儿或事实无人抚养儿童）")
    search = data.get("family_search") or {}
    _file(ctx, "民政部门长期监护决定", [
        ("决定日期", data.get("decided_on")), ("认定类别", CATEGORIES[category]),
        ("寻亲公告期", f"至 {search.get('last_day')} 止，无人认领" if search.get("last_day") else None),
        ("依据", "未成年人保护法第九十四条")], data.get("decision_note", ""))
    ctx.effects.append(Categorize(category, f"民政部门长期监护，认定为{CATEGORIES[category]}（{data.get('decided_on')}）"))
    return {"category": category, "decided_on": data.get("decided_on")}
