"""Attacker's probe (session 4): every web route that changes something refuses a request without
the CSRF token, whoever is signed in (a page on another site cannot post as the official, the
designer or the tester). The API is token-only (no cookie), so it is exempt."""
import re

import pytest

from tests.test_bad_input import url_for_rule

CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def changing_rules(app):
    for rule in app.url_map.iter_rules():
        methods = rule.methods & CHANGING
        if methods and not rule.rule.startswith("/api/"):
            yield rule, sorted(methods)


@pytest.mark.parametrize("username", ["admin", "tester"])
def test_every_changing_web_route_refuses_a_request_without_the_csrf_token(app, browser, username):
    rules = list(changing_rules(app))
    assert len(rules) >= 30
    browser.sign_in(username)
    for rule, methods in rules:
        ints = [name for name, conv in rule._converters.items() if "Int" in type(conv).__name__]
        url = url_for_rule(rule, ints, "1")
        for method in methods:
            response = browser.client.open(url, method=method, data={"x": "1"})
            assert response.status_code == 400, (username, method, url, response.status_code)
            assert re.search(r"[\u4e00-\u9fff]", response.get_data(as_text=True)), url
