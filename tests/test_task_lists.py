"""Task lists and the child's file at scale: pages, what a list loads, and the indexes its plans use."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from tests.conftest import later
from tests.helpers import start_entrustment_case
from webapp import db
from webapp.models import Case, CaseFileEntry

TOWNSHIP = "township.430104001000"
CIVIL = "civil_affairs.430104000000"
SUPERVISOR = "supervisor.civil_affairs.430104000000"


@pytest.fixture
def three(api, start_data):
    """Three entrustment cases: the township holds three open investigations, due 7 days on."""
    return [start_entrustment_case(api, start_data)["id"] for _ in range(3)]


def rows(page) -> list[str]:
    return re.findall(r'<tr data-task="(\d+)">', page.get_data(as_text=True))


class Statements:
    """Every SQL statement the app runs while it is open."""

    def __init__(self, app):
        self.engine = app.extensions["tonghu.sessionmaker"].kw["bind"]
        self.seen = []

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.seen.append((statement, parameters))

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    def plan(self, table: str) -> str:
        """EXPLAIN QUERY PLAN of the page query (the one with a LIMIT) on `table`."""
        [(statement, params)] = [(s, p) for s, p in self.seen if f"FROM {table}" in s and "LIMIT" in s]
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, tuple(params)).all()
        return " | ".join(row[3] for row in rows)


# -- pages ---------------------------------------------------------------------------------
def test_the_api_task_list_is_a_json_list_a_page_at_a_time(api, three):
    township = api(TOWNSHIP)
    whole = township.get("/tasks").get_json()
    assert [t["instance_id"] for t in whole] == three  # same due moment: oldest task first
    first = township.get("/tasks?per_page=2")
    assert first.status_code == 200 and isinstance(first.get_json(), list)
    assert [t["id"] for t in first.get_json()] == [t["id"] for t in whole[:2]]
    assert first.headers["X-Total-Count"] == "3"
    assert 'rel="next"' in first.headers["Link"] and "page=2" in first.headers["Link"]
    assert 'rel="prev"' not in first.headers["Link"]
    second = township.get("/tasks?per_page=2&page=2")
    assert [t["id"] for t in second.get_json()] == [whole[2]["id"]]
    assert 'rel="prev"' in second.headers["Link"] and 'rel="next"' not in second.headers["Link"]
    assert township.get("/tasks?per_page=2&page=3").get_json() == []


@pytest.mark.parametrize("query, field", [("page=0", "page"), ("page=abc", "page"), ("per_page=-5", "per_page"),
                                          ("page=99999999999999999999", "page"), ("sort=evil", "sort"),
                                          ("show=everyone", "show")])
def test_bad_page_arguments_get_a_clear_json_answer(api, three, query, field):
    response = api(TOWNSHIP).get(f"/tasks?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_per_page_is_capped(api, three):
    response = api(TOWNSHIP).get("/tasks?per_page=100000")
    assert response.status_code == 200 and len(response.get_json()) == 3
    assert "per_page=200" in response.headers.get("Link", "per_page=200")


def test_filters_by_procedure_and_holder(api, three):
    township = api(TOWNSHIP)
    first = township.get("/tasks").get_json()[0]
    assert township.post(f"/tasks/{first['id']}/claim").status_code == 200
    assert [t["id"] for t in township.get("/tasks?show=mine").get_json()] == [first["id"]]
    assert first["id"] not in [t["id"] for t in township.get("/tasks?show=unclaimed").get_json()]
    assert len(township.get("/tasks?show=unclaimed").get_json()) == 2
    assert len(township.get("/tasks?process_id=entrustment_care").get_json()) == 3
    assert township.get("/tasks?process_id=psych_referral").get_json() == []


def test_the_web_list_pages(browser, three):
    browser.sign_in(TOWNSHIP)
    first = browser.get("/?per_page=2")
    text = first.get_data(as_text=True)
    assert len(rows(first)) == 2 and "第 1 / 2 页，共 3 条" in text
    assert re.search(r'rel="next" href="/\?page=2[^"]*per_page=2', text)
    second = browser.get("/?per_page=2&page=2")
    assert len(rows(second)) == 1 and set(rows(second)).isdisjoint(rows(first))
    bad = browser.get("/?page=x")
    assert bad.status_code == 200 and len(rows(bad)) == 3
    assert "页码应为正整数" in bad.get_data(as_text=True)


def test_the_overdue_list_pages(app, api, three, clock):
    later(clock, 8)
    civil = api(CIVIL)
    response = civil.get("/overdue?per_page=2")
    body = response.get_json()
    assert response.status_code == 200 and body["total"] == 3 and len(body["tasks"]) == 2
    assert sum(g["count"] for g in body["groups"]) == 3  # the counts cover every page
    assert response.headers["X-Total-Count"] == "3"
    assert len(civil.get("/overdue?per_page=2&page=2").get_json()["tasks"]) == 1
    assert civil.get("/overdue?page=-1").status_code == 422


# -- what a list loads -----------------------------------------------------------------------
def test_lists_never_load_workflows_nor_definition_files(app, api, browser, three, clock):
    later(clock, 8)
    browser.sign_in(TOWNSHIP)
    township = api(TOWNSHIP)
    civil = api(CIVIL)
    for call in (lambda: township.get("/tasks"), lambda: browser.get("/"), lambda: civil.get("/overdue"),
                 lambda: browser.get("/overdue")):
        with Statements(app) as seen:
            assert call().status_code == 200
        sql = "\n".join(s for s, _p in seen.seen)
        assert "workflow_json" not in sql
        assert "process_definitions.files" not in sql and "process_definitions.forms" not in sql


def test_a_longer_list_costs_no_more_statements(app, api, start_data):
    township = api(TOWNSHIP)
    start_entrustment_case(api, start_data)
    with Statements(app) as one:
        assert len(township.get("/tasks").get_json()) == 1
    for _ in range(3):
        start_entrustment_case(api, start_data)
    with Statements(app) as four:
        assert len(township.get("/tasks").get_json()) == 4
    assert len(four.seen) == len(one.seen)


# -- plans -----------------------------------------------------------------------------------
def test_the_lists_read_their_index_in_order(app, api, browser, three, clock):
    later(clock, 8)
    with Statements(app) as seen:
        api(TOWNSHIP).get("/tasks")
    plan = seen.plan("human_tasks")
    assert "ix_human_tasks_office_due" in plan and "TEMP B-TREE" not in plan
    with Statements(app) as seen:
        api(TOWNSHIP).get("/tasks?sort=-due&overdue=1")
    plan = seen.plan("human_tasks")
    assert "ix_human_tasks_office_due" in plan and "TEMP B-TREE" not in plan
    # a county's overdue view and its supervisor's list: one county in due order (the county copies),
    # never a sort of the county's entries
    with Statements(app) as seen:
        api(CIVIL).get("/overdue")
    plan = seen.plan("human_tasks")
    assert "ix_human_tasks_overdue" in plan and "case_county=?" in plan and "TEMP B-TREE" not in plan
    with Statements(app) as seen:
        api(SUPERVISOR).get("/tasks")
    plan = seen.plan("human_tasks")
    assert "ix_human_tasks_county_due" in plan and "office_county=?" in plan and "TEMP B-TREE" not in plan
    with Statements(app) as seen:
        api(SUPERVISOR).get("/overdue?department=township")
    assert "TEMP B-TREE" not in seen.plan("human_tasks")


def _explain(app, statement, params) -> str:
    with app.extensions["tonghu.sessionmaker"].kw["bind"].connect() as conn:
        return " | ".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, tuple(params)))


@pytest.mark.parametrize("query", ["", "?process_id=entrustment_care", "?show=unclaimed", "?show=mine&overdue=1"])
def test_an_office_list_is_counted_and_cut_on_the_index_alone(app, api, three, clock, query):
    """The total and the page's ids come from index entries: no table row is read per listed task
    (at a million rows the county office's count read 1 200 rows for `unit_id IS NULL`)."""
    later(clock, 8)
    with Statements(app) as seen:
        assert api(TOWNSHIP).get("/tasks" + query).status_code == 200
    lists = [(s, p) for s, p in seen.seen if "FROM human_tasks" in s and "human_tasks.id IN" not in s]
    assert len(lists) == 2  # the count and the page's ids
    for statement, params in lists:
        assert "COVERING INDEX ix_human_tasks_office_due" in _explain(app, statement, params), statement


def test_the_overdue_view_counts_its_tasks_once(app, api, browser, three, clock):
    """The summary's counts are the total: neither the API nor the page (with its badge) counts again."""
    later(clock, 8)
    with Statements(app) as seen:
        assert api(CIVIL).get("/overdue").get_json()["total"] == 3
    assert [s for s, _p in seen.seen if "count(" in s and "FROM human_tasks" in s and "GROUP BY" not in s] == []
    browser.sign_in(CIVIL)
    with Statements(app) as seen:
        page = browser.get("/overdue")
    assert 'id="overdue-badge" title="逾期任务">3<' in page.get_data(as_text=True)
    assert len([s for s, _p in seen.seen if "FROM human_tasks" in s and ("count(" in s)]) == 1  # the summary


# -- the child's file --------------------------------------------------------------------------
@pytest.fixture
def long_file(app, api, start_data, clock):
    """A child whose file has 120 entries besides the case's own, an hour apart."""
    case_id = start_entrustment_case(api, start_data)["id"]
    with app.app_context():
        s = db.session()
        case = s.get(Case, case_id)
        start = clock.now() + timedelta(days=1)
        for n in range(120):
            s.add(CaseFileEntry(child_id=case.child_id, case_id=case.id, kind="event", title=f"走访记录 {n}",
                                body="<p>" + "x" * 2000 + "</p>", created_at=start + timedelta(hours=n)))
        s.commit()
        return case.child_id


def test_the_childs_file_pages_newest_first(app, browser, api, long_file):
    browser.sign_in(CIVIL)
    page = browser.get(f"/children/{long_file}").get_data(as_text=True)
    titles = re.findall(r"走访记录 (\d+)", page)
    assert titles == [str(n) for n in range(119, 69, -1)]  # 50 newest
    assert "第 1 / 3 页，共 121 条" in page
    last = browser.get(f"/children/{long_file}?page=3").get_data(as_text=True)
    assert re.findall(r"走访记录 (\d+)", last) == [str(n) for n in range(19, -1, -1)]
    assert "立案：五方委托照护协议" in last  # the oldest entry closes the file
    with Statements(app) as seen:
        assert browser.get(f"/children/{long_file}?page=2").status_code == 200
    assert "ix_case_file_entries_child_created" in seen.plan("case_file_entries")
    assert "case_file_entries.body" not in "\n".join(s for s, _p in seen.seen)
    assert "页码应为正整数" in browser.get(f"/children/{long_file}?page=0").get_data(as_text=True)


def test_the_api_gives_the_childs_file_a_page_at_a_time(api, long_file):
    civil = api(CIVIL)
    response = civil.get(f"/children/{long_file}?per_page=100")
    body = response.get_json()
    assert response.status_code == 200 and body["total"] == 121 and len(body["entries"]) == 100
    assert body["entries"][0]["title"] == "走访记录 119" and response.headers["X-Total-Count"] == "121"
    rest = civil.get(f"/children/{long_file}?per_page=100&page=2").get_json()["entries"]
    assert [e["title"] for e in rest] == [f"走访记录 {n}" for n in range(19, -1, -1)] + ["立案：五方委托照护协议"]
    assert civil.get(f"/children/{long_file}?kind=document").get_json()["total"] == 0
    assert civil.get(f"/children/{long_file}?kind=secret").status_code == 422
    assert civil.get("/children/999999").status_code == 404
    assert api("village.430104002001").get(f"/children/{long_file}").status_code == 403


def test_offices_without_their_own_row_are_named_in_one_query(app):
    """A page of tasks routed to offices that have no office row (named after their place) costs
    the same few statements whatever the number of places: no lookup per task."""
    from webapp.models import HumanTask, Region
    from webapp.services import cases

    with app.app_context():
        s = db.session()
        villages = s.scalars(select(Region.code).where(Region.level == "village").limit(4)).all()
        assert len(villages) == 4
        tasks = [HumanTask(id=n, department="police", office_region=code, unit_id=None)
                 for n, code in enumerate(villages * 3)]
        with Statements(app) as seen:
            names = cases.task_offices(s, tasks)
        assert len(seen.seen) <= 2
        assert names == {t.id: cases.office_label(s, "police", t.office_region) for t in tasks}
        assert "公安机关" in names[0]
