"""Applying what handlers asked for: one consumer per kind of effect, registered explicitly.

A handler's effects (`handlers.registry.Effect`: a document to file, a procedure to hand
over to, monitoring plans to open or close, an office to notify) come back from the engine
as values with the run that produced them; `apply` hands each to its consumer in the same
transaction as the step. Filing documents and notices is done here; starting a hand-over
and changing monitoring plans belong to the services that own them, which
`webapp/services/wiring.py` registers (they call back into the case service, so they cannot
be imported from here).
"""
from typing import Callable

from sqlalchemy.orm import Session

from handlers import Document, Effect, Notice
from ...engine import Engine
from ...models import Case, Notification
from ...models.org import region_at_level
from .. import filing, pdf
from .casefile import add_entry

# consumer(session, engine, case, effects of its kind in the order asked, now)
Consumer = Callable[[Session, Engine, Case, list, object], None]
CONSUMERS: dict[type, Consumer] = {}


def register(kind: type, consumer: Consumer) -> None:
    CONSUMERS[kind] = consumer


def apply(session: Session, engine: Engine, case: Case, effects: list[Effect], now) -> None:
    """Each kind's effects to its consumer, kinds in the order first asked; an effect nobody
    consumes is a wiring error, never silently dropped."""
    by_kind: dict[type, list] = {}
    for effect in effects:
        by_kind.setdefault(type(effect), []).append(effect)
    for kind, items in by_kind.items():
        consumer = CONSUMERS.get(kind)
        if consumer is None:
            raise RuntimeError(f"no consumer registered for {kind.__name__} effects (webapp/services/wiring.py)")
        consumer(session, engine, case, items, now)


def file_documents(session: Session, engine: Engine, case: Case, documents: list[Document], now) -> None:
    """Each document gets its number and its parties' and seal blocks (`services/filing.py`) as it is filed."""
    for document in documents:
        number, html = filing.frame(session, case, document.title, document.html, now)
        entry = add_entry(session, case, "document", document.title, now, None, body=html, document_number=number)
        # Its PDF (issue 17.5) is rendered once this step has committed, not under the case's lock
        # (60–250 ms of CPU, twenty times the step's own work): see services/pdf.py.
        pdf.file_later(session, entry)


def notify_offices(session: Session, engine: Engine, case: Case, notices: list[Notice], now) -> None:
    """Office-wide notices, e.g. the school, police and village told of a return home."""
    for notice in notices:
        session.add(Notification(kind="notice", department=notice.department, case=case, message=notice.message,
                                 office_region=region_at_level(case.region_code, notice.level), created_at=now))
