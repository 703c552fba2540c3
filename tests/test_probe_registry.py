"""Probes of the registry, the child's file and the case search with hostile input (security round):
each test is a finding that once answered wrongly (a 500, a leak, a write it should refuse)."""
import pytest

from tests.helpers import resident_id

VILLAGE = "village.430104001001"
COUNTY = "civil_affairs.430104000000"
ENTRY = {"id_number": resident_id("430104", "2015-01-01", 1), "name": "小明", "region": "430104001001",
         "categories": ["orphan"]}


@pytest.fixture
def child_id(api):
    response = api(VILLAGE).post("/children", ENTRY)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@pytest.mark.parametrize("path", ["/instances?until=9999-12-31", "/instances?since=9999-12-31&until=9999-12-31",
                                  "/children/{child}?until=9999-12-31"])
def test_the_last_day_of_the_calendar_is_a_day_not_a_500(api, child_id, path):
    """Outside 1900–9998 a date filter is refused with a JSON message naming the range (never a 500)."""
    response = api(COUNTY).get(path.format(child=child_id))
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert "1900 至 9998" in response.get_json()["errors"]["until"]


@pytest.mark.parametrize("path", ["/cases/search?until=9999-12-31", "/children/{child}?until=9999-12-31"])
def test_the_web_pages_take_the_last_day_of_the_calendar(browser, child_id, path):
    browser.sign_in(COUNTY)
    response = browser.get(path.format(child=child_id))
    assert response.status_code == 200
    assert "小明" in response.get_data(as_text=True) or "案件查询" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/instances?since=0001-01-01", "/children/{child}?since=0001-01-01&until=0001-01-01"])
def test_the_first_day_of_the_calendar_is_a_day_not_a_500(api, child_id, path):
    response = api(COUNTY).get(path.format(child=child_id))
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert "1900 至 9998" in response.get_json()["errors"]["since"]
