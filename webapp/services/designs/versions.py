"""The version list of a procedure: who deployed which version when, and how many cases run on it."""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Case, ProcessDefinition, User
from ..errors import NotFound


@dataclass
class VersionRow:
    definition: ProcessDefinition
    deployed_by: str | None
    running: int
    total: int


def versions(session: Session, process_id: str) -> list[VersionRow]:
    """Every version of a procedure, newest first, with who deployed it and its cases."""
    rows = list(session.scalars(select(ProcessDefinition).where(ProcessDefinition.process_id == process_id)
                                .order_by(ProcessDefinition.version.desc())))
    if not rows:
        raise NotFound(f"没有已部署的流程：{process_id}")
    counts = {}
    for definition_id, status, n in session.execute(
            select(Case.definition_id, Case.status, func.count(Case.id))
            .where(Case.definition_id.in_([d.id for d in rows])).group_by(Case.definition_id, Case.status)):
        counts.setdefault(definition_id, {})[status] = n
    users = {u.id: u.display_name for u in session.scalars(
        select(User).where(User.id.in_([d.deployed_by_id for d in rows if d.deployed_by_id])))}
    return [VersionRow(d, users.get(d.deployed_by_id), counts.get(d.id, {}).get("running", 0),
                       sum(counts.get(d.id, {}).values())) for d in rows]


def version(session: Session, process_id: str, number: int) -> ProcessDefinition:
    definition = session.scalars(select(ProcessDefinition).where(ProcessDefinition.process_id == process_id,
                                                                 ProcessDefinition.version == number)).first()
    if definition is None:
        raise NotFound(f"流程 {process_id} 没有第 {number} 版")
    return definition
