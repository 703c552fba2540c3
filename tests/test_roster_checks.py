"""County civil affairs' six-monthly file checks (issue 15.6) through the API and the web pages."""
import re

from sqlalchemy import select

from tests.helpers import run_due
from tests.test_roster import COUNTY, FINDINGS, TOWNSHIP, VILLAGE, at, register
from webapp.models import Notification, RosterFileCheck


def test_a_check_per_township_lists_the_files_wanting_and_its_findings_reach_the_township(app, clock, api, browser):
    at(clock, "2027-06-20")
    late = register(app, "迟联", grade="red", sequence=21)
    kept = register(app, "按时", sequence=22)
    run_due(app)
    village = api(VILLAGE)
    for item in village.get("/roster").get_json():
        if item["child"]["id"] == kept:
            data = {**FINDINGS, "contacted_on": "2027-06-20", "method": "home_visit", "risk_grade": "green"}
            assert village.post(f"/roster/{item['id']}/complete", {"data": data}).status_code == 200
    at(clock, "2027-07-01")
    assert run_due(app)["file_checks"] == 1
    assert run_due(app)["file_checks"] == 0
    county = api(COUNTY)
    checks = county.get("/roster/checks").get_json()
    second = [c for c in checks if c["period"] == "2027-07"]
    assert len(second) == 1 and second[0]["township"] == "430104001000"
    listed = {i["child_id"]: i["problems"] for i in second[0]["items"]}
    assert late in listed and any("联系逾期" in p for p in listed[late])
    assert kept not in listed  # contacted and visited, grade reviewed: in order
    check_id = second[0]["id"]
    assert api(VILLAGE).get("/roster/checks").status_code == 403
    assert api(TOWNSHIP).post(f"/roster/checks/{check_id}/complete", {"data": {"summary": "x"}}).status_code == 403
    empty = county.post(f"/roster/checks/{check_id}/complete", {"data": {"summary": "  "}})
    assert empty.status_code == 422 and "summary" in empty.get_json()["errors"]
    past = county.post(f"/roster/checks/{check_id}/complete", {"data": {"summary": "请整改", "rectify_by": "2027-06-01"}})
    assert past.status_code == 422 and "rectify_by" in past.get_json()["errors"]
    page = browser.sign_in(COUNTY) and browser.get(f"/roster/checks/{check_id}")
    assert page.status_code == 200 and "迟联" in page.get_data(as_text=True)
    # Each listed file links to the child's file, which county civil affairs may open (registry/scope.py).
    link = re.search(rf'<tr data-child="{late}"><td><a href="([^"]+)">迟联</a>', page.get_data(as_text=True)).group(1)
    assert link == f"/children/{late}"
    opened = browser.get(link)
    assert opened.status_code == 200 and "迟联" in opened.get_data(as_text=True)
    done = browser.post(f"/roster/checks/{check_id}", {"summary": "红色风险儿童联系不及时，请督促每周联系"})
    assert done.status_code == 302
    assert county.post(f"/roster/checks/{check_id}/complete", {"data": {"summary": "再次"}}).status_code == 409
    with app.extensions["tonghu.sessionmaker"]() as s:
        notice = s.scalars(select(Notification).where(Notification.kind == "file_check")).one()
        assert (notice.department, notice.office_region) == ("township", "430104001000")
        assert "请督促每周联系" in notice.message and s.get(RosterFileCheck, check_id).state == "completed"
    township = api(TOWNSHIP)
    assert any("请督促每周联系" in n["message"] for n in township.get("/notifications").get_json())
    assert [c["id"] for c in township.get("/roster/checks?state=completed").get_json()] == [check_id]
