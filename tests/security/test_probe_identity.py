"""Attacker's probe (session 4): 补全儿童身份 is no way into another jurisdiction's registry. A
police officer could file a report about "a boy" in their own area, then "complete" it with any
registered ID number from elsewhere: the answer named that child, and the case, now on that child's
file, opened the file (guardians' phones, risk grade, history). A number registered outside the
caller's jurisdiction links only with the child's name as registered."""
from sqlalchemy import select

from tests.helpers import resident_id
from tests.test_revocation import POLICE, REPORT, start
from webapp.models import Case, Child

SHANGHAI = "civil_affairs.310104000000"
FAR_CHILD = {"id_number": resident_id("310104", "2016-05-05", 22), "name": "沈小雨", "gender": "female",
             "region": "310104001001", "household_region": "310104001001", "categories": ["left_behind"],
             "risk": "orange", "guardians": [{"name": "沈建国", "relation": "father", "phone": "13911112222"}]}


def test_a_number_registered_elsewhere_links_only_with_the_registered_name(api, db_session):
    far = api(SHANGHAI).post("/children", FAR_CHILD)
    assert far.status_code == 201, far.get_json()
    report = start(api, "education.430104000000", data={**REPORT, "child": {"description": "约十岁女孩"}})
    assert report.status_code == 201, report.get_json()
    case_id = report.get_json()["id"]
    path = f"/instances/{case_id}/child-identity"

    for body in ({"id_number": FAR_CHILD["id_number"]}, {"id_number": FAR_CHILD["id_number"], "name": "王小雨"}):
        refused = api(POLICE).post(path, body)
        assert refused.status_code == 422, refused.get_json()
        assert "name" in refused.get_json()["errors"]
        assert FAR_CHILD["name"] not in refused.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Case, case_id).child.name == "姓名不详"  # nothing moved
    assert api(POLICE).get(f"/children/{far.get_json()['id']}").status_code in (403, 404)

    linked = api(POLICE).post(path, {"id_number": FAR_CHILD["id_number"], "name": FAR_CHILD["name"]})
    assert linked.status_code == 200, linked.get_json()
    assert linked.get_json()["child_id"] == far.get_json()["id"]
    db_session.expire_all()
    assert db_session.scalars(select(Case.child_id).where(Case.id == case_id)).one() == far.get_json()["id"]
    assert db_session.get(Child, report.get_json()["child_id"]) is None
