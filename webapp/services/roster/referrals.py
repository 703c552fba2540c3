"""A contact's or visit's finding starts a procedure for the child: the one place that does it.

The finding is carried over as each start form wants it (the reason is the finding's
summary, the source is the roster's kind); the child is the registered child. A
psychological referral, an entrustment report, a mandatory report and an application for basic
living support (the village applying for the family) are started through
`cases.start_case`, so the same rule as the start picker decides whether the child director
may start them (and the start form is validated as always). The capacity assessment's first
step belongs to the township, which the village may not start: it is handed over like a
procedure's follow-up (`cases.open_case`), the child director having been checked as the
one who holds the roster task.
"""
from sqlalchemy.orm import Session

from ...engine import Engine
from ...models import Case, RosterTask, User
from .. import audit, cases, definitions, organisation
from ..errors import Invalid
from .record_form import FOLLOW_UPS, summary

# The registry's categories, as the entrustment report's (first that applies). The five-party agreement is for
# these two only (hunan §三.1); a left-behind child's start is refused with the form's message naming the
# left-behind procedure.
ENTRUSTMENT_CATEGORIES = (("orphan", "scattered_orphan"), ("de_facto_unsupported", "de_facto_unsupported"))
HANDED_OVER = ("guardianship_assessment",)


def child_identity(task: RosterTask) -> dict:
    child = task.child
    if not (child.id_number and child.birth_date and child.gender):
        raise Invalid({"follow_up": "该儿童的公民身份号码、出生日期或性别尚未登记，不能据此发起流程；"
                                    "请先在儿童档案中补全身份信息（本次记录未保存）"})
    return {"name": child.name, "id_number": child.id_number, "birth_date": child.birth_date.isoformat(),
            "gender": child.gender}


def start_data(session: Session, task: RosterTask, process_id: str, findings: dict, user: User) -> dict:
    """The start data of `process_id` carrying the finding over."""
    child = child_identity(task)
    source = "monthly_contact" if task.kind == "contact" else "home_visit"
    reason = f"儿童主任{'联系' if task.kind == 'contact' else '入户走访'}发现：{summary(findings)}"[:4000]
    if process_id == "psych_referral":
        return {"child": child, "monitoring_source": "monthly_contact" if task.kind == "contact" else "quarterly_visit",
                "reason": reason}
    if process_id == "entrustment_care":
        held = set(task.child.categories or [])
        category = next((mapped for code, mapped in ENTRUSTMENT_CATEGORIES if code in held), "other")
        return {"child": child, "category": category, "reason": reason, "discovered_by": source}
    if process_id == "guardianship_revocation":
        phone = findings.get("reporter_phone")
        if not phone:
            raise Invalid({"reporter_phone": "发起强制报告须填写报告人联系电话（身份依法保密）"})
        village = organisation.region_names(session, {task.child.region_code}).get(task.child.region_code, "")
        return {"child": child, "reason": reason, "location": f"儿童住所（{village}）"[:200],
                "occurred_on": findings["contacted_on"], "child_in_danger": findings["safety_at_home"] == "danger",
                "reporter": {"name": user.display_name[:50], "organisation": (user.workplace or village)[:200],
                             "reporter_type": "village_committee", "phone": phone}}
    if process_id == "basic_living_support":
        # The village applies on the family's behalf (hunan §二.1: 村（居）民委员会代为申请), at the residence.
        village = organisation.region_names(session, {task.child.region_code}).get(task.child.region_code, "")
        data = {"child": child, "applicant_kind": "village", "applicant_name": (village or user.workplace or "村（居）民委员会")[:100],
                "application_place": "residence", "applied_on": findings["contacted_on"], "reason": reason}
        household = task.child.household_region_code
        if household and household != task.child.region_code:
            data["household_region"] = household
        return data
    if process_id == "guardianship_assessment":
        return {"child": child, "reason": reason, "handed_over_from": "roster"}
    raise Invalid({"follow_up": f"不能据走访发起的流程：{process_id}"})


def start_from_finding(session: Session, engine: Engine, task: RosterTask, findings: dict, user: User, now,
                       remote_addr: str | None = None) -> list[Case]:
    """Start each procedure the finding names (`findings["follow_up"]`), in the caller's transaction."""
    started = []
    for process_id in findings.get("follow_up") or []:
        if process_id not in FOLLOW_UPS:
            raise Invalid({"follow_up": f"不能据走访发起的流程：{process_id}"})
        data = start_data(session, task, process_id, findings, user)
        if process_id in HANDED_OVER:
            definition = definitions.get_latest_or_404(session, process_id)
            case = cases.open_case(session, engine, definition, task.child.region_code, data, user, now)
            audit.record(session, now, user, "case.start", f"case:{case.id}",
                         {"process": process_id, "region": case.region_code, "by": "roster", "roster_task": task.id},
                         remote_addr)
        else:
            case = cases.start_case(session, engine, process_id, task.child.region_code, data, user, now, remote_addr)
        started.append(case)
    return started
