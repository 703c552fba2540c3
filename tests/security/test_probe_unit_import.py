"""Attacker's probe (session 4): a unit CSV with accounts must not hold the whole database while
it hashes passwords (deliberately slow, about a second each on a busy machine). The import used to
take SQLite's write lock with the first unit and then hash every row's password: a few hundred rows
blocked every official's writes for minutes, and the worker's timeout killed the import anyway.
Now the passwords are hashed before the first write, and one file creates at most
`MAX_ACCOUNTS` accounts (the rest in further files), said in Chinese."""
import sqlite3

import pytest
from sqlalchemy import func, select

from webapp.models import Unit, User
from webapp.services import unit_import
from webapp.services.errors import Invalid

HEADER = "code,name,department,region,serves,username,display_name,password\n"


def rows(n: int) -> str:
    return HEADER + "".join(f"p-school-{i},岳麓区探针小学{i},education,430104001000,430104001,unit.p-school-{i},"
                            f"探针小学{i},Probe-school-{i}-2026x\n" for i in range(n))


def test_passwords_are_hashed_while_other_officials_can_still_write(app, db_session, clock, monkeypatch):
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    real, blocked = unit_import.hash_password, []

    def hash_and_probe(password):
        other = sqlite3.connect(path, timeout=0.05)
        try:
            other.execute("BEGIN IMMEDIATE")  # another request's write
            other.rollback()
        except sqlite3.OperationalError:
            blocked.append(password)
        finally:
            other.close()
        return real(password)

    monkeypatch.setattr(unit_import, "hash_password", hash_and_probe)
    created = unit_import.import_units(db_session, rows(3).encode(), clock.now())
    db_session.commit()
    assert len(created) == 3 and blocked == []
    user = db_session.scalars(select(User).where(User.username == "unit.p-school-2")).one()
    assert user.unit_id == created[2].id


def test_one_file_creates_at_most_max_accounts(db_session, clock, monkeypatch):
    monkeypatch.setattr(unit_import, "hash_password", lambda password: pytest.fail("hashed a refused file"))
    before = db_session.scalar(select(func.count()).select_from(Unit))
    with pytest.raises(Invalid) as refused:
        unit_import.import_units(db_session, rows(unit_import.MAX_ACCOUNTS + 1).encode(), clock.now())
    assert f"最多创建 {unit_import.MAX_ACCOUNTS} 个账号" in refused.value.message
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(Unit)) == before
