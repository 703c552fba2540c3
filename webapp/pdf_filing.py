"""Filing the PDFs of issued documents after the transaction that issued them has committed.

A step that issues a document marks its entry (`services.pdf.file_later`); when the session's
transaction commits, the marked entries are rendered and filed in a transaction of their own,
so the case's lock (on SQLite the database's one writer) is never held while WeasyPrint lays
out pages. `PDF_FILING` says where:

- `background` (what `tonghu serve` sets): one daemon thread per server process renders them
  in turn; the request that issued the document answers at once, the PDF is filed a fraction
  of a second later. A process stopped in between leaves the PDF to the first download.
- `inline` (the default: tests, `tonghu worker`, `tonghu demo-data` and other commands, which
  end when their work is done): rendered in the committing thread, before `commit()` returns.

A rolled-back transaction files nothing; filing twice files once (`pdf.file_missing`).
"""
import logging
import queue
import threading
import weakref

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from .services import pdf

log = logging.getLogger(__name__)

MODES = ("background", "inline")


class PdfFiler:
    def __init__(self, factory: sessionmaker, clock, mode: str = "background"):
        if mode not in MODES:
            raise ValueError(f"PDF_FILING 只能是 {' / '.join(MODES)}，不能是 {mode!r}")
        self.factory, self.clock, self.mode = factory, clock, mode
        self.queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        # The listener holds the filer weakly: SQLAlchemy's event registry lives as long as the
        # process, and a filer (with its engine) kept alive there leaves SQLite's connection open at
        # exit, its WAL not checkpointed into the file (a copied database file then lacks its data).
        filer = weakref.ref(self)

        def committed(session: Session) -> None:
            alive = filer()
            if alive is not None:
                alive._committed(session)

        event.listen(factory, "after_commit", committed)
        event.listen(factory, "after_soft_rollback", self._rolled_back)

    # -- the session's events -----------------------------------------------------------------
    def _committed(self, session: Session) -> None:
        entries = session.info.pop(pdf.PENDING, None)
        if not entries:
            return
        # An entry added in a savepoint that was rolled back is not in the database: skipped.
        ids = [e.id for e in entries if inspect(e).persistent]
        if not ids:
            return
        if self.mode == "inline":
            self.file(ids)
        else:
            self._start_thread()
            self.queue.put(ids)

    @staticmethod
    def _rolled_back(session: Session, previous_transaction) -> None:
        if previous_transaction.parent is None:  # the whole transaction, not a savepoint
            session.info.pop(pdf.PENDING, None)

    # -- filing -----------------------------------------------------------------------------------
    def file(self, ids: list[int]) -> int:
        """Render and file the PDFs of these entries that have none, each in its own transaction."""
        filed = 0
        for entry_id in ids:
            try:
                with self.factory() as session:
                    if pdf.file_missing(session, entry_id, self.clock.now()):
                        session.commit()
                        filed += 1
            except Exception:  # noqa: BLE001 - the download renders it; the issuing step is saved
                log.exception("filing the PDF of document entry %s failed; its first download will file it", entry_id)
        return filed

    def _start_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="tonghu-pdf-filing", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            ids = self.queue.get()
            try:
                self.file(ids)
            finally:
                self.queue.task_done()

    def drain(self) -> None:
        """Wait until every PDF handed to the thread so far is filed (tests, an orderly stop)."""
        self.queue.join()


def init_app(app) -> PdfFiler:
    mode = app.config.get("PDF_FILING") or "inline"
    filer = PdfFiler(app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"].clock, str(mode))
    app.extensions["tonghu.pdf_filing"] = filer
    return filer
