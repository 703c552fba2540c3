"""A saved workflow goes back to the engine's cache only once its transaction has committed.

`save_run` stages each case's workflow on the session; the session's own commit puts it into
`Engine.workflows` (webapp/engine/checkout.py), and any rollback, or a session closed without
committing, forgets it. So the cache only ever holds what the database holds, and a failed
step (a refused form, a design error, a lost race) leaves no trace in it: the entry it took
is gone, and the next step deserializes from the row.
"""
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

_KEY = "tonghu.checked_in"


def stage(session: Session, engine, case, blob: str, workflow) -> None:
    """Keep `workflow` (just saved as `blob` on `case`) for the cache, if this transaction commits.
    A later save of the same case in the same transaction replaces it."""
    if case.status != "running":  # nothing will complete a finished case's tasks again
        session.info.get(_KEY, {}).pop(id(case), None)
        return
    session.info.setdefault(_KEY, {})[id(case)] = (engine.workflows, case, blob, workflow)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the outer transaction may still roll back
        return
    for cache, case, blob, workflow in session.info.pop(_KEY, {}).values():
        identity = inspect(case).identity  # the primary key, without reading the (expired) row
        if identity is not None:
            cache.put(identity[0], blob, workflow)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _transaction) -> None:
    session.info.pop(_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction) -> None:
    if transaction.parent is None:  # closed without a commit: forget what was staged
        session.info.pop(_KEY, None)
