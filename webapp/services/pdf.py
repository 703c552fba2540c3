"""A filed document as PDF (WeasyPrint): the filed HTML with the print stylesheet, on A4 with
page numbers, in the Chinese fonts the machine has (`make install` installs them).

The PDF is filed with the case when the document is issued and served from there (`filed_pdf`):
what was archived or sent is what a later download gives. Rendering takes 60–250 ms of CPU, twenty
times a completion's own work, so the step that issues a document does not render it under the
case's lock: it marks the entry (`file_later`) and, once its transaction has committed,
`webapp/pdf_filing.py` renders and files it (`file_missing`) in a transaction of its own. A
document whose PDF is missing (filed before PDFs were, or the process stopped in between) gets
one on its first download.
"""
import threading
from datetime import timezone
from pathlib import Path

from markupsafe import escape
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..engine.clock import LOCAL_TZ
from ..models import CaseFileEntry, DocumentPdf

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "css" / "document.css"


def _no_fetch(url, *args, **kwargs):
    """A filed document needs nothing from outside: no URL is ever fetched while rendering."""
    raise ValueError(f"PDF rendering fetches nothing: {url[:80]}")


def _fetcher():
    """WeasyPrint 70 (installed here) wants a `URLFetcher`: a plain function that refuses makes it fail with an
    AttributeError, a 500; versions without the class take the function."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:
        return _no_fetch

    class NoFetch(URLFetcher):
        def fetch(self, url, headers=None):
            _no_fetch(url)

    return NoFetch(allowed_protocols=())


# One font configuration (and the stylesheet parsed with it) per rendering thread: WeasyPrint
# makes a new Pango font map for every render it is not handed one for, and never frees it
# (a server process grew 45-80 KiB per completion, doubling over 10 000: bench/memory.py).
# Per thread, not shared: Pango font maps are not safe to use from two threads at once.
_fonts = threading.local()


def _fonts_and_stylesheet():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    if getattr(_fonts, "config", None) is None:
        _fonts.config = FontConfiguration()
        _fonts.stylesheet = CSS(filename=str(STYLESHEET), font_config=_fonts.config)
    return _fonts.config, _fonts.stylesheet


def document_pdf(title: str, html: str, filed_note: str) -> bytes:
    """The PDF of one filed document; `html` is the filed body (escaped when it was filed)."""
    from weasyprint import HTML  # heavy (pango, cairo): loaded when a PDF is asked for

    page = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f'<body class="print">{html}<p class="document-footer">{escape(filed_note)}</p></body></html>')
    config, stylesheet = _fonts_and_stylesheet()
    return HTML(string=page, url_fetcher=_fetcher()).write_pdf(stylesheets=[stylesheet], font_config=config)


def filed_note(entry: CaseFileEntry) -> str:
    """The footer of the filed PDF, in Beijing time (the PDF is filed once, for every reader)."""
    created = entry.created_at if entry.created_at.tzinfo else entry.created_at.replace(tzinfo=timezone.utc)
    return f"于 {created.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M} 归档至案件 {entry.case.id} 号。"


# session.info key: the document entries of this transaction whose PDF is filed once it commits.
PENDING = "tonghu.pdfs_to_file"


def file_later(session: Session, entry: CaseFileEntry) -> None:
    """File the entry's PDF once this transaction has committed (a rollback files nothing)."""
    session.info.setdefault(PENDING, []).append(entry)


def _file_once(session: Session, entry: CaseFileEntry, now) -> None:
    """Render and insert the PDF unless one is filed meanwhile (a download and the filer at once):
    the first one filed stays, as it was sent."""
    body = document_pdf(entry.title, entry.body or "", filed_note(entry))
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(DocumentPdf.__table__).values(entry_id=entry.id, pdf=body, created_at=now)
                    .on_conflict_do_nothing(index_elements=["entry_id"]))


def file_missing(session: Session, entry_id: int, now) -> bool:
    """File the PDF of a document entry that has none; False when there was nothing to do."""
    entry = session.get(CaseFileEntry, entry_id)
    if entry is None or entry.kind != "document" or session.get(DocumentPdf, entry_id) is not None:
        return False
    _file_once(session, entry, now)
    return True


def filed_pdf(session: Session, entry: CaseFileEntry, now) -> bytes:
    """The PDF filed with the document; rendered and filed now only when it is missing."""
    filed = session.get(DocumentPdf, entry.id)
    if filed is None:
        _file_once(session, entry, now)
        filed = session.get(DocumentPdf, entry.id)
    return filed.pdf
