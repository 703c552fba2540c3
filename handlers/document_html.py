"""Pieces of the printable HTML documents that handlers file on a case (`ctx.file_document`).

Every value that comes from task data is escaped here; the callers add only fixed text."""
from datetime import datetime

from markupsafe import escape


def paragraphs(text) -> str:
    """Each non-blank line of `text` (as `str(text)`) as an escaped <p>."""
    return "".join(f"<p>{escape(line)}</p>" for line in str(text).splitlines() if line.strip())


def child_identity(child: dict) -> str:
    """'name（公民身份号码 …，出生日期 …' of the child; the caller adds what follows and closes the '（'."""
    return (f"{escape(child.get('name', ''))}（公民身份号码 {escape(child.get('id_number', ''))}，"
            f"出生日期 {escape(child.get('birth_date', ''))}")


def generated(now: datetime, label: str = "生成时间") -> str:
    """The document's last line: when it was produced."""
    return f'<p class="generated">{label}：{now:%Y-%m-%d %H:%M} UTC</p>'
