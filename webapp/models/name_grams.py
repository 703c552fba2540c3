"""The index of children's names by character and character pair: a search anywhere in a name.

Chinese names are two to four characters, so a search for any part of one (明 in 王小明, 小明)
is answered by looking up one gram: a query of one character reads that character's rows, a
longer one its first pair's rows, the other pairs checked by key. A B-tree on `children.name`
serves only a prefix, and SQLite's FTS5 trigram tokenizer (like PostgreSQL's pg_trgm) cannot
serve a two-character query, the usual one; one table serves both databases the same way.

Rows carry the child's residence, so a county's or a village's matches are one index range in
residence order (the order the registry lists): (gram, region_code, child_id) is the key.

Kept by one listener on every ORM flush that writes a child's name or residence (register,
import, a case that registers the child, a move, resettlement), so no caller can forget it;
bulk SQL that bypasses the ORM (bench/roster.py) fills it with `refill_sql`.
"""
from sqlalchemy import ForeignKey, Index, String, delete, event, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import Base
from .case import Child
from .child_categories import written_children


class ChildNameGram(Base):
    __tablename__ = "child_name_grams"
    __table_args__ = (Index("ix_child_name_grams_child", "child_id"),)

    gram: Mapped[str] = mapped_column(String(8), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", name="fk_child_name_grams_child", ondelete="CASCADE"),
                                          primary_key=True)


def normal(text: str) -> str:
    """What is indexed and searched: the name without spaces and middle dots, lower case."""
    return "".join(ch for ch in text.lower() if not ch.isspace() and ch not in "·•・.")


def grams(text: str) -> set[str]:
    """Every character and every pair of neighbouring characters of the (normalised) name."""
    text = normal(text or "")
    return set(text) | {text[i:i + 2] for i in range(len(text) - 1)}


def query_grams(text: str) -> list[str]:
    """The grams a search must find, all of them, the first the one read as a range: one
    character, or the query's pairs in order (a pair of each two neighbours covers the query)."""
    text = normal(text)
    if len(text) <= 1:
        return [text] if text else []
    return list(dict.fromkeys(text[i:i + 2] for i in range(len(text) - 1)))


def _rows(child: Child) -> list[dict]:
    return [{"gram": g, "region_code": child.region_code, "child_id": child.id} for g in sorted(grams(child.name))]


@event.listens_for(Session, "after_flush")
def _keep_grams(session: Session, _context) -> None:
    """Write the grams of each child this flush inserted, and rewrite those of each child whose
    name or residence it updated. A new child has no grams yet, so it costs only the insert (an
    import of 20 000 children issues no DELETE); an edited one's old grams are deleted first."""
    added, edited = written_children(session, "name", "region_code")  # a deleted child's go by ON DELETE CASCADE
    if not added and not edited:
        return
    connection = session.connection()
    table = ChildNameGram.__table__
    if edited:
        connection.execute(delete(table).where(table.c.child_id.in_([c.id for c in edited])))
    rows = [row for child in added + edited if child.name and child.region_code for row in _rows(child)]
    if rows:
        connection.execute(insert(table), rows)


def refill_sql() -> str:
    """SQL that fills the table for the children of id `:first` and above (names of up to 50
    characters), for bulk loads; the same grams as `grams()` for names without spaces, dots or
    upper case."""
    positions = " UNION ALL ".join(f"SELECT {n} AS p" for n in range(1, 51))
    return ("INSERT INTO child_name_grams (gram, region_code, child_id) "
            "SELECT DISTINCT g, region_code, id FROM ("
            f" SELECT substr(c.name, n.p, 1) AS g, c.region_code, c.id FROM children c JOIN ({positions}) n"
            "  ON n.p <= length(c.name) WHERE c.id >= :first"
            " UNION ALL"
            f" SELECT substr(c.name, n.p, 2), c.region_code, c.id FROM children c JOIN ({positions}) n"
            "  ON n.p < length(c.name) WHERE c.id >= :first) AS all_grams")
