"""Issue 14, moves: who may move a child (only civil affairs over the child's present residence; across
counties the old county, or the city over both), a registered child without a case moved and its
school changed from its own file and through the API, the roster following at once, and the
notices' links opening for whoever receives them."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.helpers import capacity_assessment, demo_unit_id, only_task, resident_id, run_due, start_entrustment_case
from tests.test_unit_routes import INVESTIGATION
from webapp.models import AuditEntry, Child, Notification, RosterTask, User
from webapp.services import deadlines, moves, supervision
from webapp.services.errors import Forbidden
from webapp.services.registry import children

CIVIL, XUHUI_CIVIL, CITY_CIVIL = "civil_affairs.430104000000", "civil_affairs.310104000000", "civil_affairs.430100000000"
VILLAGE, NEW_VILLAGE, XUHUI_VILLAGE = "village.430104001001", "village.430104002001", "village.310104001001"
NEW_TOWNSHIP = "township.430104002000"


@pytest.fixture
def registered(app, clock):
    """A left-behind child on the registry only (no case), with the roster's contact and visit open."""
    with app.extensions["tonghu.sessionmaker"]() as s:
        county = s.scalars(select(User).where(User.username == CIVIL)).one()
        child = children.register(s, county, {
            "id_number": resident_id("430104", "2015-06-01", 12), "name": "小溪", "gender": "female",
            "birth_date": "2015-06-01", "region": "430104001001", "categories": ["left_behind"], "risk": "green",
            "risk_reason": "登记时评定"}, clock.now())
        s.commit()
        child_id = child.id
    run_due(app)
    return child_id


def user(db_session, username):
    return db_session.scalars(select(User).where(User.username == username)).one()


def roster_regions(db_session, child_id):
    db_session.expire_all()
    return {r.office_region for r in db_session.scalars(select(RosterTask).where(RosterTask.child_id == child_id,
                                                                                  RosterTask.state == "open"))}


def test_another_county_cannot_pull_a_child_into_its_area(api, db_session, registered, clock):
    child = db_session.get(Child, registered)
    for attacker in (XUHUI_CIVIL, "civil_affairs.310100000000"):
        with pytest.raises(Forbidden):
            moves.record_move(db_session, child, "310104001001", user(db_session, attacker), clock.now())
        db_session.rollback()
        assert api(attacker).post(f"/children/{registered}/move", {"region": "310104001001"}).status_code == 403
    db_session.expire_all()
    assert db_session.get(Child, registered).region_code == "430104001001"
    assert roster_regions(db_session, registered) == {"430104001001"}
    assert not db_session.scalars(select(AuditEntry).where(AuditEntry.action == "child.move")).all()


def test_a_child_without_a_case_moves_by_the_api_and_its_roster_follows_at_once(api, db_session, registered):
    assert api(VILLAGE).post(f"/children/{registered}/move", {"region": "430104002001"}).status_code == 403
    moved = api(CIVIL).post(f"/children/{registered}/move", {"region": "430104002001"})
    assert moved.status_code == 200, moved.get_json()
    body = moved.get_json()
    assert body["cases"] == [] and len(body["roster_tasks"]) == 2
    # the new village's and its township's roster lists show the child now, not at the next daily sweep
    assert roster_regions(db_session, registered) == {"430104002001"}
    assert {i["child"]["id"] for i in api(NEW_VILLAGE).get("/roster").get_json()} == {registered}
    assert {i["child"]["id"] for i in api(NEW_TOWNSHIP).get("/roster").get_json()} == {registered}
    assert api(VILLAGE).get("/roster").get_json() == []
    told = {(n.department, n.office_region, n.child_id) for n in db_session.scalars(
        select(Notification).where(Notification.kind == "move"))}
    assert ("civil_affairs", "430104000000", registered) in told


def test_across_counties_the_old_county_moves_and_the_receiving_side_is_told_with_a_link_it_opens(
        api, browser, db_session, registered):
    moved = api(CIVIL).post(f"/children/{registered}/move", {"region": "310104001001"})
    assert moved.status_code == 200, moved.get_json()
    assert roster_regions(db_session, registered) == {"310104001001"}
    assert {i["child"]["id"] for i in api(XUHUI_VILLAGE).get("/roster").get_json()} == {registered}
    browser.sign_in(XUHUI_CIVIL)
    page = browser.get("/overdue").get_data(as_text=True)
    assert "迁居通知：儿童 小溪" in page
    link = f'href="/children/{registered}"'
    assert link in page
    assert browser.get(f"/children/{registered}").status_code == 200
    # the old county, told too, may no longer open the child's file: its notice says what moved, no dead link
    old = user(db_session, CIVIL)
    notices = db_session.scalars(deadlines.notifications_query(old).where(Notification.kind == "move")).all()
    assert len(notices) == 1 and "迁居通知：儿童 小溪" in notices[0].message
    assert supervision.notice_links(db_session, old, notices) == {}
    assert api(CIVIL).get(f"/children/{registered}").status_code == 403
    new = user(db_session, XUHUI_CIVIL)
    notices = db_session.scalars(deadlines.notifications_query(new).where(Notification.kind == "move")).all()
    assert supervision.notice_links(db_session, new, notices) == {notices[0].id: ("child", registered)}
    # the API's notices carry the same link: the new county's leads to the file, the old county's to nothing
    [told_new] = [n for n in api(XUHUI_CIVIL).get("/notifications").get_json() if n["kind"] == "move"]
    assert told_new["link"] == {"kind": "child", "id": registered, "api": f"/api/v1/children/{registered}",
                                "page": f"/children/{registered}"}
    [told_old] = [n for n in api(CIVIL).get("/notifications").get_json() if n["kind"] == "move"]
    assert told_old["link"] is None

def test_the_city_moves_only_between_places_it_oversees(api, db_session, registered):
    refused = api(CITY_CIVIL).post(f"/children/{registered}/move", {"region": "310104001001"})
    assert refused.status_code == 403 and "同时管辖迁出地和迁入地" in refused.get_json()["error"]
    assert db_session.get(Child, registered).region_code == "430104001001"
    moved = api(CITY_CIVIL).post(f"/children/{registered}/move", {"region": "430104002001"})
    assert moved.status_code == 200, moved.get_json()
    # and the receiving county cannot move the child back out of the old one's hands before it arrives
    back = api(XUHUI_CIVIL).post(f"/children/{registered}/move", {"region": "310104001001"})
    assert back.status_code == 403


def test_the_file_page_of_a_child_without_a_case_moves_it_and_changes_its_school(browser, db_session, registered):
    browser.sign_in(CIVIL)
    page = browser.get(f"/children/{registered}").get_data(as_text=True)
    # the destination is chosen county first: a page view reads no village of the country's ≈690 000
    assert "迁入县（区）" in page and "430104001002" not in page and "310104001001" not in page
    page = browser.get(f"/children/{registered}?move_county=310104").get_data(as_text=True)
    assert "登记迁居" in page and "310104001001" in page  # the county may hand the child to another county
    page = browser.get(f"/children/{registered}?move_county=徐汇").get_data(as_text=True)
    assert "310104001001" in page  # by the county's name too
    assert "没有与“不存在县”相符" in browser.get(f"/children/{registered}?move_county=不存在县").get_data(as_text=True)
    listed = browser.get(f"/children/{registered}/move/villages?county=430104").get_json()
    assert "430104001002" in {v["code"] for v in listed["villages"]}
    assert "430104001001" not in {v["code"] for v in listed["villages"]}  # not where the child lives now
    done = browser.post(f"/children/{registered}/school", {"unit_id": str(demo_unit_id("yl-school-wyh"))})
    assert done.status_code == 302
    page = browser.get(f"/children/{registered}").get_data(as_text=True)
    assert "就读学校已变更" in page
    db_session.expire_all()
    assert db_session.get(Child, registered).school_unit_id == demo_unit_id("yl-school-wyh")
    done = browser.post(f"/children/{registered}/move", {"region": "430104001002"})
    assert done.status_code == 302
    db_session.expire_all()
    assert db_session.get(Child, registered).region_code == "430104001002"
    assert roster_regions(db_session, registered) == {"430104001002"}
    refused = browser.post(f"/children/{registered}/move", {"region": "", "region_code": "31010400100"})
    assert "新居住地须为 12 位数字的行政区划代码" in browser.get(f"/children/{registered}").get_data(as_text=True) \
        or "新居住地须为 12 位数字的行政区划代码" in refused.get_data(as_text=True)
    done = browser.post(f"/children/{registered}/move", {"region": "", "region_code": "310104001001"})
    assert done.status_code == 302
    db_session.expire_all()
    assert db_session.get(Child, registered).region_code == "310104001001"


def test_the_city_is_offered_only_the_villages_it_oversees(browser, registered):
    browser.sign_in(CITY_CIVIL)
    page = browser.get(f"/children/{registered}?move_county=430104").get_data(as_text=True)
    assert "登记迁居" in page and "430104002001" in page
    page = browser.get(f"/children/{registered}?move_county=310104").get_data(as_text=True)
    assert "310104001001" not in page and "没有您可将儿童迁入的村（居）" in page
    outside = browser.get(f"/children/{registered}/move/villages?county=310104").get_json()
    assert outside["villages"] == []

def test_the_school_of_a_child_without_a_case_changes_through_the_api(api, db_session, registered):
    response = api(CIVIL).client.patch(f"/api/v1/children/{registered}", headers=api(CIVIL).headers,
                                       json={"school_unit_id": demo_unit_id("yl-school-wyh"), "reason": "入学"})
    assert response.status_code == 200, response.get_json()
    db_session.expire_all()
    assert db_session.get(Child, registered).school_unit_id == demo_unit_id("yl-school-wyh")
    assert registered in {c["id"] for c in api("unit.yl-school-wyh").get("/children").get_json()}



def test_the_case_page_shows_who_reassigned_its_tasks_and_moved_the_child(api, browser, db_session, start_data):
    case = start_entrustment_case(api, start_data)
    supervisor = api("supervisor.township.430104001000")
    task = only_task(supervisor, "township_home_investigation")
    official = user(db_session, "township.430104001000")
    assert supervisor.post(f"/tasks/{task['id']}/reassign", {"user_id": official.id}).status_code == 200
    assert api(CIVIL).post(f"/children/{case['child_id']}/move", {"region": "430104002001"}).status_code == 200
    browser.sign_in(CIVIL)
    page = browser.get(f"/cases/{case['id']}").get_data(as_text=True)
    section = page[page.index('id="case-routing-actions"'):]
    section = section[:section.index("</section>")]
    assert "改派与迁居记录" in page
    assert "改派任务：" in section and "（township.430104001000） · supervisor.township.430104001000" in section, section
    assert "登记迁居：望月湖社区 → 桃花岭村；转出待办任务 1 项 · civil_affairs.430104000000" in section, section


def test_the_lead_supervisor_opening_an_overdue_task_is_audited_and_shown_on_the_case(app, api, browser, db_session,
                                                                                       start_data, clock):
    case = start_entrustment_case(api, start_data)
    for username, name, data in (("township.430104001000", "township_home_investigation", INVESTIGATION),
                                 (CIVIL, "assess_capacity", capacity_assessment("insufficient", "不足"))):
        done = api(username).post(f"/tasks/{only_task(api(username), name)['id']}/complete", {"data": data})
        assert done.status_code == 200, done.get_json()
    clock.advance(timedelta(days=8))  # the village's consent is overdue; the village has no supervisor
    run_due(app)
    lead = user(db_session, "supervisor.civil_affairs.430104000000")
    notices = db_session.scalars(deadlines.notifications_query(lead).where(Notification.kind == "overdue")).all()
    assert notices, "the lead supervisor was told of nothing overdue"
    links = supervision.notice_links(db_session, lead, notices)
    assert {n.id for n in notices} == set(links) and all(kind == "task" for kind, _id in links.values())
    for kind, task_id in links.values():
        assert api(lead.username).get(f"/tasks/{task_id}").status_code == 200
    db_session.expire_all()
    opened = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "task.supervisor_open")).all()
    assert {e.target for e in opened} == {f"task:{t}" for _k, t in links.values()}
    browser.sign_in(CIVIL)
    page = browser.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "打开收到逾期提醒的任务：" in page and "supervisor.civil_affairs.430104000000" in page


def test_the_move_form_villages_answer_only_to_who_may_record_the_move(browser, registered):
    browser.sign_in(VILLAGE)
    refused = browser.get(f"/children/{registered}/move/villages?county=430104")
    assert refused.status_code == 403 and "民政部门" in refused.get_json()["error"]
    assert "迁入县（区）" not in browser.get(f"/children/{registered}?move_county=430104").get_data(as_text=True)


def test_the_county_search_takes_odd_input_without_failing(browser, registered):
    browser.sign_in(CIVIL)
    for odd in ("%", "_", "4301", "x" * 500, "999999", "430104001001"):
        page = browser.get(f"/children/{registered}", query_string={"move_county": odd})
        assert page.status_code == 200, odd
    assert "没有与“%”相符" in browser.get(f"/children/{registered}?move_county=%25").get_data(as_text=True)
    twelve = browser.get(f"/children/{registered}?move_county=310104001001").get_data(as_text=True)
    assert "310104001001" in twelve  # a village's own code names its county
    assert browser.get("/children/987654321/move/villages?county=430104").status_code == 404
