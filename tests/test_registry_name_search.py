"""The child search finds a name by any part of it, through `child_name_grams`: kept on every write
of a name or a residence (register, edit, move, import), read as one index range in the list's
order (no scan of the county, no sort), its total capped."""
import pytest
from sqlalchemy import event, select, text

from webapp.models import Child, ChildNameGram, User
from webapp.models.name_grams import grams, refill_sql
from webapp.services import moves
from webapp.services.registry import children, search

from tests.helpers import resident_id

COUNTY = "civil_affairs.430104000000"
NAMES = ["王小明", "小明", "欧阳明华", "明", "明明", "李华"]


def user(session, name) -> User:
    return session.scalars(select(User).where(User.username == name)).one()


@pytest.fixture
def registered(db_session, clock):
    county = user(db_session, COUNTY)
    made = {}
    for n, name in enumerate(NAMES):
        made[name] = children.register(db_session, county, {
            "id_number": resident_id("430104", "2015-01-01", n + 1), "name": name, "region": "430104001001" if n % 2 else "430104002001",
            "categories": ["left_behind"]}, clock.now())
    db_session.flush()
    return made


def found(session, viewer, q) -> list[str]:
    return sorted(i.child.name for i in search.find_children(session, viewer, q=q).items)


def test_a_name_is_found_by_any_part_of_it(db_session, registered):
    county = user(db_session, COUNTY)
    assert found(db_session, county, "明") == sorted(["明", "明明", "欧阳明华", "王小明", "小明"])
    assert found(db_session, county, "小明") == sorted(["王小明", "小明"])
    assert found(db_session, county, "阳明华") == sorted(["欧阳明华"])
    assert found(db_session, county, " 明华 ") == sorted(["欧阳明华"])
    assert found(db_session, county, "欧华") == []       # not next to each other: not a part of the name
    assert found(db_session, county, "明明明") == []     # its pairs are all in 明明, but it is not
    assert found(db_session, county, "明小") == []
    assert found(db_session, county, "%") == [] and found(db_session, county, "_") == []
    # only within the caller's reach: a village finds its own children only
    village = user(db_session, "village.430104001001")
    assert found(db_session, village, "明") == sorted(["明", "小明"])
    # and the total counts the matches, not the county
    assert search.find_children(db_session, county, q="明").total == 5


def test_the_grams_follow_every_write_of_a_name_or_a_residence(db_session, registered, clock):
    county = user(db_session, COUNTY)
    child = registered["李华"]
    children.update(db_session, county, child, {"name": "李文"}, clock.now())
    db_session.flush()
    assert found(db_session, county, "华") == sorted(["欧阳明华"]) and found(db_session, county, "文") == sorted(["李文"])
    # a move to another village: the old village's search no longer finds the child, the new one's does
    assert found(db_session, user(db_session, "village.430104001001"), "李文") == ["李文"]
    moves.record_move(db_session, child, "430104001002", county, clock.now())
    db_session.flush()
    assert found(db_session, user(db_session, "village.430104001001"), "李文") == []
    assert found(db_session, user(db_session, "village.430104001002"), "李文") == ["李文"]
    # the table is exactly what the names say (nothing stale left)
    want = {(g, c.region_code, c.id) for c in db_session.scalars(select(Child)) for g in grams(c.name)}
    have = set(db_session.execute(select(ChildNameGram.gram, ChildNameGram.region_code, ChildNameGram.child_id)))
    assert have == want


def test_the_bulk_refill_writes_the_same_grams(db_session, registered):
    first = min(c.id for c in registered.values())
    before = set(db_session.execute(select(ChildNameGram.gram, ChildNameGram.region_code, ChildNameGram.child_id)))
    db_session.execute(text("DELETE FROM child_name_grams"))
    db_session.execute(text(refill_sql()), {"first": first})
    after = set(db_session.execute(select(ChildNameGram.gram, ChildNameGram.region_code, ChildNameGram.child_id)))
    assert after == {row for row in before if row[2] >= first} and after


def as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


@pytest.mark.parametrize("query, index", [
    ({"q": "小明"}, "child_name_grams"),                  # a name: one gram range
    ({"risk": "red"}, "ix_children_risk_region"),         # a grade: one range of (grade, residence)
    # an ID number's start: in number order, the count on (number, residence), the page on either
    ({"q": "4301042015"}, ("ix_children_id_number_region", "sqlite_autoindex_children")),
])
def test_a_county_search_reads_one_index_range_without_sorting(app, db_session, registered, query, index):
    county = user(db_session, COUNTY)
    seen = []
    engine = db_session.get_bind()
    listen = lambda conn, cursor, statement, params, context, many: seen.append((statement, params))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        listed = search.find_children(db_session, county, **query)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert listed.items or query.get("risk")
    raw = db_session.connection().connection.driver_connection
    statements = [(s, p) for s, p in seen if "LIMIT" in s and "FROM children" in s]
    assert len(statements) == 2  # the capped count and the page
    for statement, params in statements:
        plan = " | ".join(row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall())
        assert any(f"SEARCH {i}" in plan or (i in plan and "SEARCH" in plan) for i in as_tuple(index)), plan
        assert "TEMP B-TREE" not in plan and "SCAN children" not in plan and "SCAN child_name_grams" not in plan, plan


def test_the_search_total_is_capped_and_says_so(db_session, registered, monkeypatch, api):
    monkeypatch.setattr("webapp.services.registry.paging.COUNT_CAP", 3)
    county = user(db_session, COUNTY)
    listed = search.find_children(db_session, county, q="明", per_page=2)
    assert (listed.total, listed.capped, listed.has_next) == (3, True, True)
    db_session.commit()
    response = api(COUNTY).get("/children?q=%E6%98%8E&per_page=2&page=3")
    assert response.status_code == 200 and len(response.get_json()) == 1
    assert response.headers["X-Total-Count-Capped"] == "true" and 'rel="next"' not in response.headers.get("Link", "")


def test_a_gram_left_at_an_old_residence_by_a_bulk_write_shows_nothing_there(db_session, registered):
    child = registered["李华"]  # lives in 430104001001
    db_session.execute(text("UPDATE children SET region_code = '430104002001' WHERE id = :i"), {"i": child.id})
    db_session.expire_all()  # its grams still say 430104001001: the old village must not find it by them
    assert found(db_session, user(db_session, "village.430104001001"), "李华") == []
    assert found(db_session, user(db_session, COUNTY), "李华") == ["李华"]  # the county covers both places
