"""Translations: zh_CN catalogs compiled from their .po files when those change."""
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import lazy_gettext

TRANSLATIONS = Path(__file__).parent / "translations"


def compile_catalogs() -> None:
    """Compile each .po beside itself and under the name Babel gives its locale.

    Flask-Babel looks a catalog up by the parsed locale's name, and Babel parses `zh_CN`
    as `zh_Hans_CN`, so `zh_CN/` alone would never be found.
    """
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        folder = po_path.parent.parent.name
        for name in dict.fromkeys([folder, str(Locale.parse(folder))]):
            mo_path = TRANSLATIONS / name / "LC_MESSAGES" / "messages.mo"
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with po_path.open("rb") as po:
                catalog = read_po(po)
            with mo_path.open("wb") as mo:
                write_mo(mo, catalog)


def lazy(message: str):
    return lazy_gettext(message)
