"""A filed document as PDF (WeasyPrint): the filed HTML with the print stylesheet, on A4 with
page numbers, in the Chinese fonts the machine has (`make install` installs them)."""
from pathlib import Path

from markupsafe import escape

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


def document_pdf(title: str, html: str, filed_note: str) -> bytes:
    """The PDF of one filed document; `html` is the filed body (escaped when it was filed)."""
    from weasyprint import CSS, HTML  # heavy (pango, cairo): loaded when a PDF is asked for

    page = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f'<body class="print">{html}<p class="document-footer">{escape(filed_note)}</p></body></html>')
    return HTML(string=page, url_fetcher=_fetcher()).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
