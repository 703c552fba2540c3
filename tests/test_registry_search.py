"""The case search's SQL rule agrees with `cases.can_view_case` for every kind of office, private
procedures included; the child search stays within the caller's reach."""
from sqlalchemy import select

from tests.helpers import start_entrustment_case
from webapp.models import Case, User
from webapp.services import cases
from webapp.services.registry import children, search, visibility

from .test_psych_referral import referred_case

USERS = ["village.430104001001", "village.430104001002", "village.430104002001", "township.430104001000",
         "township.430104002000", "civil_affairs.430104000000", "civil_affairs.430100000000",
         "civil_affairs.310104000000", "police.430104000000", "education.430104000000", "health.430104000000",
         "supervisor.township.430104001000", "supervisor.civil_affairs.430104000000", "unit.yl-school-wyh",
         "unit.yl-hospital-mh", "admin", "designer"]


def user(session, name) -> User:
    return session.scalars(select(User).where(User.username == name)).one()


def test_the_sql_rule_and_can_view_case_agree_for_every_office(app, api, start_data, db_session):
    start_entrustment_case(api, start_data)
    referred_case(db_session, app)  # a private psychological case, at the school's assessment
    db_session.expire_all()
    all_cases = db_session.scalars(select(Case)).all()
    assert len(all_cases) == 2
    for name in USERS:
        viewer = user(db_session, name)
        by_sql = set(db_session.scalars(select(Case.id).where(visibility.case_visible(viewer))))
        by_rule = {c.id for c in all_cases if cases.can_view_case(db_session, viewer, c)}
        assert by_sql == by_rule, name
        found = search.find_cases(db_session, viewer)
        assert {i.case.id for i in found.items} == by_rule and all(i.why for i in found.items), name
    # the rule is not vacuous: some see both, some one, some none
    seen = {name: {c.id for c in all_cases if cases.can_view_case(db_session, user(db_session, name), c)}
            for name in USERS}
    assert len(seen["civil_affairs.430104000000"]) == 2 and len(seen["civil_affairs.430100000000"]) == 1
    assert seen["village.430104002001"] == set() and seen["admin"] == set()


def test_a_school_finds_only_its_pupils_and_designers_no_child(db_session, clock):
    county = user(db_session, "civil_affairs.430104000000")
    school = user(db_session, "unit.yl-school-wyh")
    pupil = children.register(db_session, county, {
        "id_number": "430104201501010015", "name": "小明", "region": "430104001001", "categories": ["left_behind"],
        "school_unit_id": school.unit_id}, clock.now())
    children.register(db_session, county, {"id_number": "430104201501010031", "name": "小红", "region": "430104001001",
                                           "categories": ["orphan"]}, clock.now())
    assert [i.child.id for i in search.find_children(db_session, school).items] == [pupil.id]
    [item] = search.find_children(db_session, school).items
    assert item.why == "该儿童登记在岳麓区望月湖小学就读" and item.school == "岳麓区望月湖小学"
    assert search.find_children(db_session, user(db_session, "designer")).total == 0
    assert search.find_children(db_session, county, q="小").total == 2
