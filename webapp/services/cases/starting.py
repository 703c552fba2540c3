"""Which procedures a user may open by hand, for the start picker (发起案件): the same rule
`start_case` applies, asked before the form is filled rather than after it is submitted."""
from sqlalchemy.orm import Session

from ...models import ProcessDefinition, User
from .. import definitions, organisation, routing
from ..designs.procedures import retired_ids
from .lifecycle import _may_start

# Start events that say these are opened by another procedure or by the scheduler, never by hand.
NOT_BY_HAND = frozenset({"handover", "scheduler"})


def may_start_here(session: Session, user: User, definition: ProcessDefinition) -> bool:
    """Whether `user` may open `definition` for some place their office covers."""
    if not definition.start_form:  # a sub-procedure, only called by others
        return False
    bundle = definitions.bundle_of(definition)
    info = bundle.processes.get(definition.process_id)
    if info is None or info.startable_by in NOT_BY_HAND:
        return False
    start_lane = bundle.start_lane(definition.process_id)
    for region in organisation.regions_covered(session, user.office):
        try:
            if _may_start(user, start_lane, region.code, info.startable_by):
                return True
        except routing.Unroutable:
            return False
    return False


def startable(session: Session, user: User) -> list[tuple[ProcessDefinition, str]]:
    """(newest version, what it is for: its start form's title) of each procedure `user` may open
    (retired procedures open no new cases)."""
    retired = retired_ids(session)
    return [(d, definitions.form_of(d, d.start_form).get("title") or d.name)
            for d in definitions.latest_all(session) if d.process_id not in retired and may_start_here(session, user, d)]
