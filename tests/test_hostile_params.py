"""Hostile numbers and dates in the query string of every list and filter: huge, negative,
zero, non-ASCII digits ("²" passes `str.isdigit()` but not `int()`; "١" is an Arabic-Indic
one), dates at the ends of the calendar. Each gets a clear answer (the web page in Chinese,
the API a JSON 422), never a 500."""
from html import unescape

import pytest

HOSTILE_NUMBERS = ["99999999999999999999999", "-1", "0", "²", "١", "１", "1e3", " "]
HOSTILE_DATES = ["0001-01-01", "9999-12-31", "２０２６-01-01", "2026-02-30", "x"]
PAGE_SAID = "页码应为正整数"

# (user, path with {v} where the hostile value goes, what the page must say; None: only "no 500")
WEB = [
    ("civil_affairs.430104000000", "/tasks?page={v}", PAGE_SAID),
    ("civil_affairs.430104000000", "/tasks?per_page={v}", PAGE_SAID),
    ("supervisor.civil_affairs.430104000000", "/overdue?page={v}", PAGE_SAID),
    ("admin", "/admin/audit?page={v}", PAGE_SAID),
    ("civil_affairs.430104000000", "/children?page={v}", PAGE_SAID),
    ("admin", "/admin/cases/?case={v}", None),
    ("designer", "/designer/procedures/entrustment_care/diff?to={v}&from={v}", None),
    ("designer", "/scenarios/entrustment_care/write?from_saved={v}", None),
]
WEB_DATES = [("admin", "/admin/audit?since={v}", "不是有效日期"), ("admin", "/admin/audit?until={v}", "不是有效日期")]
API = [
    ("civil_affairs.430104000000", "/tasks?page={v}"),
    ("civil_affairs.430104000000", "/tasks?per_page={v}"),
    ("civil_affairs.430104000000", "/instances?page={v}"),
    ("civil_affairs.430104000000", "/instances?child_id={v}"),
    ("civil_affairs.430104000000", "/children?page={v}"),
]
API_DATES = [("civil_affairs.430104000000", "/instances?since={v}"), ("civil_affairs.430104000000", "/instances?until={v}"),
             ("civil_affairs.430104000000", "/children/{child}?since={v}"), ("civil_affairs.430104000000", "/children/{child}?until={v}")]


@pytest.mark.slow  # 56 signed-in page loads
@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
@pytest.mark.parametrize("user,path,said", WEB)
def test_web_lists_say_what_is_wrong_with_a_hostile_number(app, browser, user, path, said, value):
    browser.sign_in(user)
    response = browser.get(path.format(v=value))
    assert response.status_code in (200, 302, 400, 404), (path, value, response.status_code)
    if said and response.status_code == 200 and value.strip() not in ("", "1"):
        assert said in unescape(response.get_data(as_text=True)), (path, value)


@pytest.mark.parametrize("value", HOSTILE_DATES)
@pytest.mark.parametrize("user,path,said", WEB_DATES)
def test_web_filters_say_what_is_wrong_with_a_hostile_date(app, browser, user, path, said, value):
    browser.sign_in(user)
    response = browser.get(path.format(v=value))
    assert response.status_code == 200, (path, value)
    assert said in unescape(response.get_data(as_text=True)), (path, value)


@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
@pytest.mark.parametrize("user,path", API)
def test_api_lists_answer_422_to_a_hostile_number(api, user, path, value):
    response = api(user).get(path.format(v=value))
    assert response.status_code == 422 and response.is_json, (path, value, response.status_code)
    assert response.get_json()["errors"], response.get_json()


@pytest.mark.parametrize("value", HOSTILE_DATES)
@pytest.mark.parametrize("user,path", API_DATES)
def test_api_filters_answer_422_to_a_hostile_date(api, start_data, user, path, value):
    child = None
    if "{child}" in path:  # a child the caller may read: the one a village report registers
        child = api("village.430104001001").post("/processes/entrustment_care/instances", {
            "region": "430104001001", "data": start_data}).get_json()["child_id"]
    response = api(user).get(path.format(v=value, child=child))
    assert response.status_code == 422 and response.is_json, (path, value, response.status_code)
