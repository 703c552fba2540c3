"""Translations: zh_CN catalogs compiled from their .po files when those change."""
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import lazy_gettext

TRANSLATIONS = Path(__file__).parent / "translations"


def compile_catalogs() -> None:
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po:
            catalog = read_po(po)
        with mo_path.open("wb") as mo:
            write_mo(mo, catalog)


def lazy(message: str):
    return lazy_gettext(message)
