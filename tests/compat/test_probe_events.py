"""Attacker's probe (session 4): the messages API tells a stranger nothing about a case. An
office that may neither read the case nor send any of the events it waits for gets the same 404
as for a case that does not exist: not whether it runs, nor what it waits for."""
from tests.conftest import START_DATA

VILLAGE, COURT = "village.430104001001", "court.430104000000"
STRANGERS = ("civil_affairs.310104000000", "village.310104001001", "police.310104000000")


def test_a_stranger_learns_nothing_about_a_case_from_the_messages_api(adapted, api):
    case_id = api(VILLAGE).post("/processes/compat_events/instances",
                                {"region": "430104001001", "data": dict(START_DATA)}).get_json()["id"]
    task = next(t for t in api(VILLAGE).get("/tasks").get_json() if t["instance_id"] == case_id)
    assert api(VILLAGE).post(f"/tasks/{task['id']}/complete", {"data": {"note": "报告"}}).status_code == 200
    missing = api(STRANGERS[0]).post("/instances/999999/messages", {"name": "court_ruling"})
    assert missing.status_code == 404
    for stranger in STRANGERS:
        for name in ("court_ruling", "no_such_message"):
            answer = api(stranger).post(f"/instances/{case_id}/messages", {"name": name, "data": {}})
            assert answer.status_code == 404, (stranger, name, answer.get_json())
            assert answer.get_json() == missing.get_json()
            assert "court_ruling" not in answer.get_data(as_text=True)
    # the court, whose lane catches the ruling, still hears why another message is refused
    assert api(COURT).post(f"/instances/{case_id}/messages", {"name": "no_such_message"}).status_code == 409
