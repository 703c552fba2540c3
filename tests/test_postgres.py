"""The same core flows on PostgreSQL, the database of real deployments.

A throwaway cluster is started in a temporary folder (the `postgres_url` fixture of
conftest.py, tests/pg_cluster.py) and dropped afterwards.
"""

import pytest
from sqlalchemy import select

from tests.conftest import demo_app_on_postgres
from webapp.models import HumanTask, User
from webapp.services import cases
from webapp.services.errors import Conflict

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def pg_app(postgres_url):
    with demo_app_on_postgres(postgres_url) as app:
        yield app


def test_a_case_runs_on_postgresql(pg_app, start_data):
    from tests.conftest import Api
    client = pg_app.test_client()
    village, township = Api(client, "village.430104001001"), Api(client, "township.430104001000")
    case = village.post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data})
    assert case.status_code == 201, case.get_json()
    task = township.get("/tasks").get_json()[0]
    done = township.post(f"/tasks/{task['id']}/complete", {"data": {
        "guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈", "income": "低保", "living_conditions": "同住"}})
    assert done.status_code == 200, done.get_json()
    assert [t["name"] for t in done.get_json()["open_tasks"]] == ["assess_capacity"]
    assert Api(client, "civil_affairs.430104000000").get("/tasks").get_json()[0]["name"] == "assess_capacity"


def test_concurrent_completion_on_postgresql_gives_one_winner(pg_app, start_data):
    make, engine = pg_app.extensions["tonghu.sessionmaker"], pg_app.extensions["tonghu.engine"]
    data = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈", "income": "低保", "living_conditions": "同住"}
    with make() as s:
        village = s.scalars(select(User).where(User.username == "village.430104001001")).one()
        case_id = cases.start_case(s, engine, "entrustment_care", "430104001001", start_data, village, engine.clock.now()).id
        s.commit()
    first, second = make(), make()
    task_id = first.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.state == "open")).one().id
    second.get(HumanTask, task_id).case.row_version
    second.commit()  # end the read transaction, as a web request would between page and submit
    cases.complete_task(first, engine, task_id, data, first.scalars(select(User).where(User.username == "township.430104001000")).one(), engine.clock.now())
    first.commit()
    with pytest.raises(Conflict):
        cases.complete_task(second, engine, task_id, data,
                            second.scalars(select(User).where(User.username == "supervisor.township.430104001000")).one(), engine.clock.now())
    second.rollback()
    first.close()
    second.close()


def test_the_app_s_connections_compile_no_query_plans_and_keep_their_prepared_statements(pg_app):
    """JIT compilation once cost a child search 60 ms for a query that ran in 2 ms (bench/roster.py):
    the app's sessions run with it off, whatever the server's default. A page that only reads ends its
    transaction with COMMIT (webapp/db.py:end): at a ROLLBACK psycopg drops the connection's prepared
    statements, and every list page's statements were parsed and planned afresh."""
    from sqlalchemy import text
    with pg_app.extensions["tonghu.sessionmaker"]() as s:
        assert s.scalar(text("SHOW jit")) == "off"
    pg_app.config["WTF_CSRF_ENABLED"] = False
    web = pg_app.test_client()
    assert web.post("/login", data={"username": "civil_affairs.430104000000", "password": "tonghu-demo"}).status_code == 302
    for _ in range(8):  # psycopg prepares a statement at its sixth execution on a connection
        assert web.get("/").status_code == 200
    with pg_app.extensions["tonghu.sessionmaker"]() as s:  # the pool's one connection, the pages' own
        prepared = s.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("FROM human_tasks" in statement for statement in prepared), prepared


def test_the_search_by_an_id_numbers_start_reads_its_index_in_order_on_postgresql(pg_app):
    """The range [start, start + "~") in byte order whatever the database's locale (the column is
    COLLATE "C", migration 0022), the residence checked in ix_children_id_number_region, no sort of
    the range: the page stops at its LIMIT (150 ms at 1 M children when it did not, bench/roster.py)."""
    from sqlalchemy import event, text
    from webapp.services.registry import search

    make = pg_app.extensions["tonghu.sessionmaker"]
    with make() as s:
        assert s.scalar(text("SELECT collation_name FROM information_schema.columns "
                             "WHERE table_name = 'children' AND column_name = 'id_number'")) == "C"
        villages = list(s.scalars(text("SELECT code FROM regions WHERE level = 'village' ORDER BY code")))
        assert any(v.startswith("430104") for v in villages) and any(not v.startswith("430104") for v in villages)
        s.execute(text("INSERT INTO children (id_number, name, gender, region_code, categories, created_at) "
                       "SELECT '43010420' || (14 + g % 3) || lpad(g::text, 8, '0'), '儿童' || g, 'male', "
                       "(CAST(:villages AS varchar[]))[1 + g % :n], '[]', now() FROM generate_series(1, 60000) AS g"),
                  {"villages": villages, "n": len(villages)})
        s.commit()
        s.execute(text("ANALYZE children"))
        county = s.scalars(select(User).where(User.username == "civil_affairs.430104000000")).one()
        seen = []
        engine = s.get_bind()
        listen = lambda conn, cursor, statement, params, context, many: seen.append((statement, params))  # noqa: E731
        event.listen(engine, "before_cursor_execute", listen)
        try:
            listed = search.find_children(s, county, q="4301042015")
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        assert len(listed.items) == 50 and listed.total == 200 and listed.capped
        numbers = [i.child.id_number for i in listed.items]
        assert numbers == sorted(numbers) and all(n.startswith("4301042015") for n in numbers)
        assert all(i.child.region_code.startswith("430104") for i in listed.items)
        raw = s.connection().connection.driver_connection
        statements = [(st, p) for st, p in seen if "LIMIT" in st and "FROM children" in st]
        assert len(statements) == 2  # the capped count and the page
        for statement, params in statements:
            plan = "\n".join(row[0] for row in raw.execute("EXPLAIN " + statement, params).fetchall())
            assert "ix_children_id_number_region" in plan and "Sort" not in plan, plan
            assert "Seq Scan on children" not in plan and "ix_children_region_code" not in plan, plan


def test_the_history_is_written_in_utc_whatever_the_session_s_time_zone(pg_app, start_data):
    """The answer's history is JSON PostgreSQL writes (services/cases/casefile.py): its moments read
    as `datetime.isoformat` of the UTC value even where the server's sessions speak Shanghai time;
    a case with no completed step lists none."""
    from sqlalchemy import event
    from tests.conftest import Api
    from tests.test_completion_cost import assert_history_moments
    bind = pg_app.extensions["tonghu.sessionmaker"].kw["bind"]
    event.listen(bind, "connect", lambda connection, _record: connection.execute("SET TIME ZONE 'Asia/Shanghai'"))
    bind.dispose()
    client = pg_app.test_client()
    assert_history_moments(pg_app, client)
    fresh = Api(client, "village.430104001001").post("/processes/entrustment_care/instances",
                                                     {"region": "430104001001", "data": start_data})
    assert fresh.status_code == 201 and fresh.get_json()["history"] == []


def test_a_list_s_pages_keep_the_index_s_order_on_postgresql(pg_app, start_data):
    """On PostgreSQL a page is one statement (its ids numbered in the index's order, then their rows:
    tasklists._page_rows): page after page every task comes once, soonest due first and undated last,
    and the other way round with ?sort=-due."""
    from datetime import timedelta
    from tests.conftest import Api
    client = pg_app.test_client()
    village, township = Api(client, "village.430104001001"), Api(client, "township.430104001000")
    cases_ = [village.post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data})
              .get_json()["id"] for _ in range(4)]
    make = pg_app.extensions["tonghu.sessionmaker"]
    with make() as s:
        tasks = [s.scalars(select(HumanTask).where(HumanTask.case_id == c, HumanTask.state == "open")).one()
                 for c in cases_]
        base = tasks[0].created_at
        for task, days in zip(tasks, (None, 3, 1, 2)):
            task.due = None if days is None else base + timedelta(days=days)
        s.commit()
        ids = [t.id for t in tasks]
    soonest_first = [ids[2], ids[3], ids[1], ids[0]]
    for sort, expected in (("due", soonest_first), ("-due", soonest_first[::-1])):
        pages = [township.get(f"/tasks?per_page=3&page={n}&sort={sort}") for n in (1, 2)]
        assert [p.headers["X-Total-Count"] for p in pages] == ["4", "4"]
        assert [t["id"] for p in pages for t in p.get_json()] == expected, sort
