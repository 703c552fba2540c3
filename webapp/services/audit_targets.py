"""What an audit entry's target (`task:96`, `case:12`, `office:3`…) names, for the admin's audit page.

One query per kind for a whole page of entries; a target whose object is gone keeps its code.
Children are left as their file number: showing their names would itself be a read.
"""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Case, CaseFileEntry, HumanTask, Office, ProcessDefinition

LOADED = ("task", "case", "document", "office")


@dataclass(frozen=True)
class Target:
    kind: str  # task, case, document, office, child, user, process, file, form, api, or "" (unknown)
    key: str  # the id or name after the colon
    name: str | None = None  # what it is called, where that could be found
    case_id: int | None = None  # the case it belongs to (task, document, case)


def parse(target: str | None) -> tuple[str, str]:
    kind, _sep, key = (target or "").partition(":")
    return (kind, key) if key else ("api" if kind == "api" else "", target or "")


def _ids(targets, kind) -> set[int]:
    return {int(k) for t_kind, k in targets if t_kind == kind and k.isascii() and k.isdigit() and len(k) < 19}


def resolve(session: Session, raw_targets) -> dict[str, Target]:
    """{raw target: Target} for the raw targets of a page of entries."""
    parsed = {raw: parse(raw) for raw in raw_targets if raw}
    pairs = set(parsed.values())
    names: dict[tuple[str, str], tuple[str, int | None]] = {}
    if ids := _ids(pairs, "task"):
        for t in session.execute(select(HumanTask.id, HumanTask.title, HumanTask.case_id).where(HumanTask.id.in_(ids))):
            names["task", str(t.id)] = (t.title, t.case_id)
    if ids := _ids(pairs, "document"):
        for e in session.execute(select(CaseFileEntry.id, CaseFileEntry.title, CaseFileEntry.case_id)
                                 .where(CaseFileEntry.id.in_(ids))):
            names["document", str(e.id)] = (e.title, e.case_id)
    if ids := _ids(pairs, "case"):
        for c in session.execute(select(Case.id, ProcessDefinition.name).join(ProcessDefinition)
                                 .where(Case.id.in_(ids))):
            names["case", str(c.id)] = (c.name, c.id)
    if ids := _ids(pairs, "office"):
        for o in session.execute(select(Office.id, Office.name).where(Office.id.in_(ids))):
            names["office", str(o.id)] = (o.name, None)
    process_ids = {k for kind, k in pairs if kind == "process"}
    if process_ids:
        for d in session.execute(select(ProcessDefinition.process_id, ProcessDefinition.name)
                                 .where(ProcessDefinition.process_id.in_(process_ids))):
            names["process", d.process_id] = (d.name, None)
    result = {}
    for raw, (kind, key) in parsed.items():
        name, case_id = names.get((kind, key), (None, None))
        result[raw] = Target(kind, key, name, case_id)
    return result
