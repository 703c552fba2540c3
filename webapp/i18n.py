"""Translations: the zh_CN catalogue, compiled at install/build time, never by the running app.

`make` runs `python webapp/i18n.py` (and the tests' conftest does before a run); building a
wheel runs it too (setup.py), so an installed package ships the .mo files and a read-only
install never writes into its own folder.
"""
import sys
from pathlib import Path

TRANSLATIONS = Path(__file__).parent / "translations"


def compile_catalogs(source: Path = TRANSLATIONS, target: Path | None = None) -> list[Path]:
    """Compile each .po (of `source`) into `target` (default: beside it) when it changed; the .mo paths.

    Flask-Babel looks a catalog up by the parsed locale's name, and Babel parses `zh_CN`
    as `zh_Hans_CN`, so `zh_CN/` alone would never be found: both names are written.
    """
    from babel import Locale
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    target = target or source
    written = []
    for po_path in source.glob("*/LC_MESSAGES/messages.po"):
        folder = po_path.parent.parent.name
        for name in dict.fromkeys([folder, str(Locale.parse(folder))]):
            mo_path = target / name / "LC_MESSAGES" / "messages.mo"
            written.append(mo_path)
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with po_path.open("rb") as po:
                catalog = read_po(po)
            with mo_path.open("wb") as mo:
                write_mo(mo, catalog)
    return written


def lazy(message: str):
    from flask_babel import lazy_gettext
    return lazy_gettext(message)


if __name__ == "__main__":
    for path in compile_catalogs(*(Path(arg) for arg in sys.argv[1:3])):
        print(path)
