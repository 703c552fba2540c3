"""The category filter (`?category=`) reads `child_categories`, kept on every write of a child's
categories, residence or grade (register, edit, import, re-grade, move) and back-filled by migration
0020 from the JSON column: it finds exactly the children whose entry names the category."""
import pytest
from sqlalchemy import create_engine, event, select, text

from webapp import create_app, schema
from webapp.engine import Clock
from webapp.models import Child, ChildCategory, User
from webapp.services import moves
from webapp.services.registry import children, grading, importing, search

from tests.helpers import resident_id

COUNTY = "civil_affairs.430104000000"
VILLAGES = ("430104001001", "430104002001")
SETS = [["orphan"], ["orphan", "left_behind"], ["left_behind"], ["disabled", "orphan"], [], ["migrant"]]
GRADES = [None, "red", "green", "red", "yellow", "orange"]


def user(session, name) -> User:
    return session.scalars(select(User).where(User.username == name)).one()


def truth(session) -> set[tuple]:
    """What the table must hold: one row per category named in each child's JSON."""
    return {(code, c.region_code, c.id, c.risk_grade) for c in session.scalars(select(Child))
            for code in c.categories or []}


def held(session) -> set[tuple]:
    return set(session.execute(select(ChildCategory.category, ChildCategory.region_code, ChildCategory.child_id,
                                      ChildCategory.risk_grade)))


@pytest.fixture
def registered(db_session, clock):
    county = user(db_session, COUNTY)
    made = []
    for n, (categories, grade) in enumerate(zip(SETS * 2, GRADES * 2)):
        raw = {"id_number": resident_id("430104", "2015-01-01", n + 1), "name": f"类别{n}",
               "region": VILLAGES[n % 2], "categories": categories}
        if grade:
            raw["risk"] = grade
        made.append(children.register(db_session, county, raw, clock.now()))
    db_session.flush()
    return made


def found(session, viewer, **filters) -> list[int]:
    return [item.child.id for item in search.find_children(session, viewer, per_page=100, **filters).items]


def expected(session, viewer_prefix: str, category: str, risk: str | None = None, region: str | None = None) -> list[int]:
    rows = [c for c in session.scalars(select(Child)) if c.region_code.startswith(viewer_prefix)
            and category in (c.categories or []) and (risk is None or c.risk_grade == risk)
            and (region is None or c.region_code.startswith(region))]
    return [c.id for c in sorted(rows, key=lambda c: (c.region_code, c.id))]


def test_the_table_follows_every_write_of_categories_residence_and_grade(db_session, registered, clock):
    county = user(db_session, COUNTY)
    assert held(db_session) == truth(db_session) and len(held(db_session)) == 14
    child = registered[0]
    children.update(db_session, county, child, {"categories": ["left_behind", "migrant"]}, clock.now())
    db_session.flush()
    assert found(db_session, county, category="orphan") == expected(db_session, "430104", "orphan")
    assert child.id not in found(db_session, county, category="orphan")
    assert child.id in found(db_session, county, category="migrant")
    grading.set_grade(db_session, child, "red", "入户走访发现监护缺失", county, clock.now(), "roster")
    db_session.flush()
    assert child.id in found(db_session, county, category="migrant", risk="red")
    moves.record_move(db_session, child, "430104001002", county, clock.now())
    db_session.flush()
    assert child.id in found(db_session, user(db_session, "village.430104001002"), category="migrant")
    assert child.id not in found(db_session, user(db_session, "village.430104001001"), category="migrant")
    # an import that changes a registered child's categories (and registers a new one)
    csv = ("id_number,name,gender,birth_date,region,categories\n"
           f"{registered[2].id_number},类别2,,,{registered[2].region_code},孤儿;残疾儿童\n"
           f"{resident_id('430104', '2016-02-02', 77)},新来,,,430104001001,orphan\n")
    result = importing.import_children(db_session, county, csv.encode(), clock.now())
    assert (result.created, result.updated) == (1, 1)
    assert registered[2].id in found(db_session, county, category="disabled")
    assert held(db_session) == truth(db_session)  # nothing stale, nothing missing


@pytest.mark.parametrize("filters", [
    {"category": "orphan"}, {"category": "orphan", "risk": "red"}, {"category": "left_behind", "region": "430104002"},
    {"category": "disabled", "risk": "green"}, {"category": "seriously_ill"}])
def test_a_category_search_finds_exactly_the_children_whose_entry_names_it(db_session, registered, filters):
    county, village = user(db_session, COUNTY), user(db_session, "village.430104001001")
    want = expected(db_session, "430104", filters["category"], filters.get("risk"), filters.get("region"))
    assert found(db_session, county, **filters) == want
    assert found(db_session, village, **filters) == [i for i in want if db_session.get(Child, i).region_code == VILLAGES[0]]
    assert search.find_children(db_session, county, **filters).total == len(want)


def test_a_name_or_number_search_with_a_category_checks_it_by_key(db_session, registered):
    county = user(db_session, COUNTY)
    assert found(db_session, county, q="类别", category="orphan") == expected(db_session, "430104", "orphan")
    number = registered[1].id_number
    assert found(db_session, county, q=number, category="orphan") == [registered[1].id]
    assert found(db_session, county, q=number, category="migrant") == []


def test_the_category_migration_back_fills_the_table_from_the_json(tmp_path):
    path = tmp_path / "old.sqlite"
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "t", "CLOCK": Clock()})
    bind = app.extensions["tonghu.sessionmaker"].kw["bind"]
    try:
        schema.upgrade(bind, "0019_perf4")
        with bind.begin() as conn:
            conn.exec_driver_sql("INSERT INTO regions (code, name, level, parent_code) VALUES "
                                 "('430104001001', '村', 'village', NULL)")
            for n, (categories, grade) in enumerate(zip(SETS, GRADES)):
                spaced = "[" + ", ".join(f'"{c}"' for c in categories) + "]"  # as JSON writes it, spaces and all
                conn.execute(text("INSERT INTO children (id, name, region_code, categories, risk_grade, created_at) "
                                  "VALUES (:i, :n, '430104001001', :c, :g, '2026-01-01 00:00:00')"),
                             {"i": 10 + n * 100_001, "n": f"童{n}", "c": spaced if n % 2 else spaced.replace(" ", ""),
                              "g": grade})
            conn.exec_driver_sql("INSERT INTO children (id, name, region_code, categories, created_at) "
                                 "VALUES (9, '空', '430104001001', 'null', '2026-01-01 00:00:00')")
        schema.upgrade(bind)
        with bind.connect() as conn:
            rows = set(conn.exec_driver_sql("SELECT category, child_id, risk_grade FROM child_categories"))
        assert rows == {(code, 10 + n * 100_001, grade) for n, (categories, grade) in enumerate(zip(SETS, GRADES))
                        for code in categories}
        assert schema.differences(bind) == []
    finally:
        bind.dispose()
        create_engine("sqlite://").dispose()


@pytest.mark.parametrize("filters, index", [
    ({"category": "orphan"}, "sqlite_autoindex_child_categories"),       # one range of (category, residence)
    ({"category": "orphan", "risk": "red"}, "ix_child_categories_risk"),  # and a grade: (category, grade, residence)
])
def test_a_county_category_search_reads_one_index_range_without_sorting(db_session, registered, filters, index):
    county, seen = user(db_session, COUNTY), []
    engine = db_session.get_bind()
    listen = lambda conn, cursor, statement, params, context, many: seen.append((statement, params))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        assert search.find_children(db_session, county, **filters).items
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    raw = db_session.connection().connection.driver_connection
    ranged = [(s, p) for s, p in seen if "LIMIT" in s and "child_categories" in s]
    assert len(ranged) == 2 and not [s for s, _p in ranged if "JOIN" in s]  # the capped count and the page's ids
    for statement, params in ranged:
        plan = " | ".join(row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall())
        assert "SEARCH child_categories" in plan and f"COVERING INDEX {index}" in plan and "TEMP B-TREE" not in plan, plan
