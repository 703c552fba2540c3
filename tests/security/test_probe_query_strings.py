"""Attacker's probe (session 4): hostile query strings on the lists (pages, filters, search words
with LIKE wildcards, dates, sorts) never give a 500: a clear 4xx, or an ordinary page."""
import pytest

from tests.helpers import start_entrustment_case

CIVIL = "civil_affairs.430104000000"
HOSTILE = ["%", "_", "%25", "\\", "'", "\"", "a" * 5000, "\u0000", "-1", "0", "9" * 40, "1e9", " ",
           "２", "null", "[]", "2026-13-45", "9999-12-31", "0001-01-01"]
API_LISTS = {
    "/tasks": ("page", "per_page", "process_id", "show", "overdue", "sort"),
    "/overdue": ("page", "per_page"),
    "/children": ("q", "category", "risk", "region", "page", "per_page"),
    "/instances": ("status", "process_id", "child_id", "mine", "q", "region", "since", "until", "page", "per_page"),
    "/roster": ("state", "period", "overdue", "kind", "page", "per_page"),
    "/roster/checks": ("state",),
    "/units": ("department", "region"),
}
WEB_LISTS = {
    "/": ("page", "per_page", "sort", "overdue"),
    "/overdue": ("page", "per_page"),
    "/children": ("q", "category", "risk", "region", "page"),
    "/cases/search": ("q", "process", "status", "region", "since", "until", "page"),
    "/roster": ("state", "period", "kind", "page"),
    "/living/payments": ("month",),
    "/living/payments.csv": ("month",),
}


@pytest.mark.slow
def test_hostile_query_strings_never_give_a_500(api, browser, start_data):
    child_id = start_entrustment_case(api, start_data)["child_id"]
    client = api(CIVIL)
    lists = dict(API_LISTS, **{f"/children/{child_id}": ("page", "per_page", "kind", "since", "until")})
    failures = []
    for path, params in lists.items():
        for param in params:
            for value in HOSTILE:
                response = client.client.get(f"/api/v1{path}", headers=client.headers, query_string={param: value})
                if response.status_code >= 500 or not response.is_json:
                    failures.append(("api", path, param, value[:20], response.status_code))
    browser.sign_in(CIVIL)
    pages = dict(WEB_LISTS, **{f"/children/{child_id}": ("page", "per_page", "kind")})
    for path, params in pages.items():
        for param in params:
            for value in HOSTILE:
                response = browser.client.get(path, query_string={param: value})
                if response.status_code >= 500:
                    failures.append(("web", path, param, value[:20], response.status_code))
    assert failures == []
