"""A case names a registered child only by the child's identity: it never renames or moves the
child, and an office sees of the child's file only the cases it may read."""
from sqlalchemy import select

from tests.helpers import start_entrustment_case
from webapp.models import Child

SHANGHAI_VILLAGE = "village.310104001001"


def start_in_shanghai(api, data):
    return api(SHANGHAI_VILLAGE).post("/processes/entrustment_care/instances", {"region": "310104001001", "data": data})


def test_a_known_id_number_with_another_name_is_refused_and_the_child_stays_where_registered(api, start_data, db_session):
    hunan = start_entrustment_case(api, start_data)
    impostor = {**start_data, "child": {**start_data["child"], "name": "冒名"}}
    refused = start_in_shanghai(api, impostor)
    assert refused.status_code == 422
    assert "姓名与登记信息不符" in refused.get_json()["errors"]["child.name"]
    db_session.expire_all()
    child = db_session.scalars(select(Child).where(Child.id_number == start_data["child"]["id_number"])).one()
    assert (child.id, child.name, child.region_code) == (hunan["child_id"], start_data["child"]["name"], "430104001001")


def test_another_place_sees_its_own_case_of_the_child_but_not_the_others(api, start_data, db_session):
    hunan = start_entrustment_case(api, start_data)
    shanghai = start_in_shanghai(api, start_data)
    assert shanghai.status_code == 201, shanghai.get_json()
    assert shanghai.get_json()["child_id"] == hunan["child_id"]
    db_session.expire_all()
    assert db_session.get(Child, hunan["child_id"]).region_code == "430104001001"  # a case does not move the child
    child_file = api(SHANGHAI_VILLAGE).get(f"/children/{hunan['child_id']}").get_json()
    assert {c["id"] for c in child_file["cases"]} == {shanghai.get_json()["id"]}
    assert {e["instance_id"] for e in child_file["entries"]} == {shanghai.get_json()["id"]}
