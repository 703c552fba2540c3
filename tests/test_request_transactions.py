"""How a request's transaction ends (webapp/db.py:end): what it wrote and did not commit is never
saved; a transaction that only read is committed, which keeps PostgreSQL's prepared statements
(psycopg drops them at every ROLLBACK; tests/test_postgres.py checks they survive a page)."""
from sqlalchemy import event, func, select, text

from webapp.db import end
from webapp.models import Region


def _village_name(app):
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.scalar(select(Region.name).where(Region.code == "430104001001"))


def _endings(app) -> list[str]:
    engine, seen = app.extensions["tonghu.sessionmaker"].kw["bind"], []
    event.listen(engine, "commit", lambda conn: seen.append("commit"))
    event.listen(engine, "rollback", lambda conn: seen.append("rollback"))
    return seen


def test_a_change_written_but_not_committed_is_not_saved(app):
    endings = _endings(app)
    s = app.extensions["tonghu.sessionmaker"]()
    s.get(Region, "430104001001").name = "改过的村"
    s.flush()  # written in the transaction, never committed by a view
    end(s)
    assert _village_name(app) != "改过的村"
    assert endings[0] == "rollback"


def test_a_change_not_yet_written_is_not_saved(app):
    s = app.extensions["tonghu.sessionmaker"]()
    s.get(Region, "430104001001").name = "改过的村"  # pending: a commit would write it
    end(s)
    assert _village_name(app) != "改过的村"


def test_a_statement_written_outside_the_orm_is_not_saved(app):
    s = app.extensions["tonghu.sessionmaker"]()
    s.scalar(select(func.count(Region.code)))
    s.execute(text("UPDATE regions SET name = '改过的村' WHERE code = '430104001001'"))
    end(s)
    assert _village_name(app) != "改过的村"


def test_a_failed_request_s_transaction_is_rolled_back(app):
    endings = _endings(app)
    s = app.extensions["tonghu.sessionmaker"]()
    s.scalar(select(func.count(Region.code)))
    end(s, failed=True)
    assert endings == ["rollback"]


def test_a_transaction_that_only_read_is_committed(app):
    endings = _endings(app)
    s = app.extensions["tonghu.sessionmaker"]()
    s.scalar(select(func.count(Region.code)))
    s.scalars(select(Region).where(Region.code == "430104001001").with_for_update()).one()
    end(s)
    assert endings == ["commit"]


def test_a_page_s_transaction_that_only_read_ends_with_a_commit(app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    endings = _endings(app)
    assert client.post("/login", data={"username": "civil_affairs.430104000000", "password": "tonghu-demo"}).status_code == 302
    endings.clear()
    assert client.get("/").status_code == 200
    assert endings == ["commit"]
