"""Attacker's probe (session 4): a move is recorded by civil affairs of the child's *current*
residence only. An office that merely keeps reading a case it once worked on (after the child
moved away) must not pull the child, the open work and the file back into its own jurisdiction."""
from tests.helpers import capacity_assessment, start_entrustment_case

YUELU, XUHUI = "civil_affairs.430104000000", "civil_affairs.310104000000"
TOWNSHIP = "township.430104001000"
INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈多病",
                 "income": "低保", "living_conditions": "祖孙二人同住"}


def test_the_former_office_cannot_move_the_child_back_into_its_jurisdiction(api, start_data):
    case = start_entrustment_case(api, start_data)
    task = [t for t in api(TOWNSHIP).get("/tasks").get_json() if t["name"] == "township_home_investigation"][0]
    assert api(TOWNSHIP).post(f"/tasks/{task['id']}/complete", {"data": INVESTIGATION}).status_code == 200
    task = [t for t in api(YUELU).get("/tasks").get_json() if t["name"] == "assess_capacity"][0]
    assessed = api(YUELU).post(f"/tasks/{task['id']}/complete", {"data": capacity_assessment("insufficient", "不足")})
    assert assessed.status_code == 200, assessed.get_json()
    child_id = case["child_id"]
    assert api(YUELU).post(f"/children/{child_id}/move", {"region": "310104001001"}).status_code == 200
    # Yuelu keeps reading what it did (the assessment); Xuhui leads now
    assert api(YUELU).get(f"/instances/{case['id']}").status_code == 200
    assert api(XUHUI).get(f"/instances/{case['id']}").get_json()["region"] == "310104001001"

    # the old township keeps reading what it did, but may not drag the child anywhere
    pulled = api(TOWNSHIP).post(f"/children/{child_id}/move", {"region": "430104001001"})
    assert pulled.status_code == 403
    # nor may the former civil affairs office, whose jurisdiction holds only the *new* place it names
    back = api(YUELU).post(f"/children/{child_id}/move", {"region": "430104002001"})
    assert back.status_code == 403, back.get_json()
    assert api(XUHUI).get(f"/instances/{case['id']}").get_json()["region"] == "310104001001"
    # Xuhui, where the child lives now, may record the next move
    assert api(XUHUI).post(f"/children/{child_id}/move", {"region": "310104001001"}).status_code == 422
