"""Bad ids and bodies never give a 500 (issue 10, point 7).

Out-of-range ids are 404 on every `<int:…>` route of the web UI and the API, ids of the
wrong type in a body 422, JSON nested too deep 400, bodies over the size limit 413; the API
answers JSON with a message, the web UI a Chinese page, and nothing already saved is lost.
"""
import itertools
import json
import re

import pytest
from werkzeug.routing import IntegerConverter

from webapp import create_app, db, jsonlimits
from webapp.models import HumanTask

from .conftest import _config
from .helpers import only_task, start_entrustment_case

CIVIL = "civil_affairs.430104000000"
TOWNSHIP = "township.430104001000"
SUPERVISOR = "supervisor.township.430104001000"
HUGE_IDS = [str(2**63), str(2**64), "9" * 30, "9" * 5000]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def int_rules(app):
    """Every rule with an `<int:…>` part, with a method it answers (not HEAD/OPTIONS)."""
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]
        if ints:
            yield rule, ints, sorted(rule.methods - {"HEAD", "OPTIONS"})[0]


def url_for_rule(rule, ints, value) -> str:
    url = rule.rule
    for name, conv in rule._converters.items():
        url = re.sub(rf"<[^>]*:?{name}>", value if name in ints else "entrustment_care", url)
    return url


def test_every_int_route_uses_the_bounded_converter(app):
    """The app has int routes on the web and the API, and none escapes the bounded converter."""
    plain = [r.rule for r in app.url_map.iter_rules() if any(type(c).__name__ == "IntegerConverter"
                                                             for c in r._converters.values())]
    assert plain == []
    rules = [r.rule for r, _ints, _m in int_rules(app)]
    assert len(rules) >= 15
    assert any(r.startswith("/api/v1/") for r in rules) and any(not r.startswith("/api/") for r in rules)


def test_out_of_range_ids_are_404_everywhere(app, api, browser):
    token = api(CIVIL).headers
    browser.sign_in(CIVIL)
    for (rule, ints, method), value in itertools.product(list(int_rules(app)), HUGE_IDS + ["-1", "-9223372036854775809"]):
        url = url_for_rule(rule, ints, value)
        if rule.rule.startswith("/api/"):
            response = browser.client.open(url, method=method, headers=token, json={})
            assert response.status_code == 404, url
            assert CHINESE.search(response.get_json()["error"]), url
        else:
            response = browser.client.open(url, method=method, data={"csrf_token": browser.csrf_token})
            assert response.status_code == 404, url
            assert "页面不存在" in response.get_data(as_text=True), url


def test_the_largest_possible_id_is_an_ordinary_unknown_id(api, browser):
    assert api(CIVIL).get(f"/instances/{2**63 - 1}").status_code == 404
    browser.sign_in(CIVIL)
    assert browser.get(f"/cases/{2**63 - 1}").status_code == 404


# -- ids of the wrong type in a body ---------------------------------------------------------------
def test_reassign_with_a_user_id_of_the_wrong_type_is_422(app, api, start_data):
    start_entrustment_case(api, start_data)
    supervisor = api(SUPERVISOR)
    task = only_task(supervisor, "township_home_investigation")
    for user_id in ["abc", "12", 2**63, 2**70, -3, 0, True, 1.5, None, [1], {"id": 1}]:
        response = supervisor.post(f"/tasks/{task['id']}/reassign", {"user_id": user_id})
        assert response.status_code == 422, user_id
        assert response.get_json()["errors"] == {"user_id": "必须是有效的编号（正整数）"}, user_id
    assert only_task(supervisor, "township_home_investigation")["claimed_by"] is None


def test_web_reassign_with_a_huge_user_id_is_a_chinese_400(api, browser, start_data):
    start_entrustment_case(api, start_data)
    task = only_task(api(SUPERVISOR), "township_home_investigation")
    browser.sign_in(SUPERVISOR)
    browser.get(f"/tasks/{task['id']}")
    page = browser.post(f"/tasks/{task['id']}/reassign", {"user_id": str(2**70)})
    assert page.status_code == 400 and "请求有误" in page.get_data(as_text=True)


# -- JSON nested too deep, malformed, not an object ---------------------------------------------------
def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_json_nested_too_deep_is_400_with_a_message(api, client, start_data):
    case = start_entrustment_case(api, start_data)
    township = api(TOWNSHIP)
    task = only_task(township, "township_home_investigation")
    bodies = [deep(65), deep(1000), deep(100_000), '{"data":' * 70 + "{}" + "}" * 70]
    paths = (f"/tasks/{task['id']}/complete", "/processes/entrustment_care/instances", "/auth/token")
    for body, path in itertools.product(bodies, paths):
        response = client.post(f"/api/v1{path}", data=body, headers={**township.headers,
                                                                     "Content-Type": "application/json"})
        assert response.status_code == 400, path
        assert "嵌套超过 64 层" in response.get_json()["error"], path
    assert township.get(f"/instances/{case['id']}").get_json()["open_tasks"][0]["state"] == "open"


def test_sixty_four_levels_are_still_parsed(api, client, start_data):
    start_entrustment_case(api, start_data)
    township = api(TOWNSHIP)
    task = only_task(township, "township_home_investigation")
    nested = {"data": json.loads(deep(62))}  # 64 levels in all: parsed, then refused by the form (422)
    response = client.post(f"/api/v1/tasks/{task['id']}/complete", data=json.dumps(nested),
                           headers={**township.headers, "Content-Type": "application/json"})
    assert response.status_code == 422


@pytest.mark.parametrize("body, message", [("{", "不是有效的 JSON"), ("\xff", "不是有效的 JSON"),
                                           ("[1, 2]", "必须是 JSON 对象"), ('"x"', "必须是 JSON 对象")])
def test_malformed_bodies_are_400_with_a_message(api, client, body, message):
    headers = {**api(TOWNSHIP).headers, "Content-Type": "application/json"}
    response = client.post("/api/v1/processes/entrustment_care/instances", data=body.encode("latin-1"), headers=headers)
    assert response.status_code == 400 and message in response.get_json()["error"]


def test_depth_is_counted_without_recursion():
    assert jsonlimits.depth(1) == 0 and jsonlimits.depth([]) == 1 and jsonlimits.depth({"a": [{}]}) == 3
    assert jsonlimits.depth(json.loads(deep(900))) == 900
    with pytest.raises(jsonlimits.TooDeep):
        jsonlimits.loads(deep(500_000))


# -- bodies over the size limit ------------------------------------------------------------------
def test_api_bodies_over_the_limit_are_413_and_nothing_is_saved(app, api, client, start_data):
    case = start_entrustment_case(api, start_data)
    township = api(TOWNSHIP)
    task = only_task(township, "township_home_investigation")
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 2 * 1024 * 1024
    big = json.dumps({"data": {"guardian_name": "x" * limit}})
    response = client.post(f"/api/v1/tasks/{task['id']}/complete", data=big,
                           headers={**township.headers, "Content-Type": "application/json"})
    assert response.status_code == 413 and "请求体过大（上限 2048 KiB）" == response.get_json()["error"]
    with app.app_context():
        assert db.session().get(HumanTask, task["id"]).state == "open"
    assert township.get(f"/instances/{case['id']}").status_code == 200


def test_web_bodies_over_the_limit_get_the_chinese_page(browser):
    browser.sign_in(CIVIL)
    browser.get("/cases/new?process=entrustment_care")
    page = browser.post("/cases/new", {"process": "entrustment_care", "reason": "x" * (3 * 1024 * 1024)})
    assert page.status_code == 413
    text = page.get_data(as_text=True)
    assert "提交内容过大" in text and "最多 2048 KiB" in text


def test_the_limit_is_configurable(tmp_path, demo_database, clock, monkeypatch):
    import shutil
    path = tmp_path / "small.sqlite"
    shutil.copyfile(demo_database, path)
    small = create_app({**_config(path, clock), "MAX_CONTENT_LENGTH": 1024})
    try:
        response = small.test_client().post("/api/v1/auth/token", json={"username": "x" * 2000, "password": "y"})
        assert response.status_code == 413 and response.get_json()["error"] == "请求体过大（上限 1 KiB）"
    finally:
        small.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


def test_a_whole_procedure_fits_well_within_the_limit_for_designers(app):
    """The designer deploys a procedure's files in one JSON body: the largest shipped one is far below 2 MiB."""
    with app.app_context():
        from webapp.services import definitions
        largest = max(len(json.dumps(dict(d.files))) for d in definitions.latest_all(db.session()))
    assert largest * 8 < app.config["MAX_CONTENT_LENGTH"]


# -- the designer's form preview --------------------------------------------------------------------
@pytest.fixture
def designer(browser):
    browser.sign_in("designer")
    browser.get("/designer/forms/admit_child.json")
    return browser


@pytest.mark.parametrize("schema", [deep(100_000), '{"type": "object", "properties": {"a": ' * 100 + "{}" + "}}" * 100])
def test_a_form_preview_nested_very_deep_is_a_problem_not_a_crash(designer, schema):
    response = designer.client.post("/designer/forms/admit_child.json/preview",
                                    data={"schema": schema, "csrf_token": designer.csrf_token})
    assert response.status_code == 200
    assert response.get_json()["html"] == ""
    assert any("嵌套超过 64 层" in p for p in response.get_json()["problems"])


def test_a_form_nested_very_deep_is_not_saved(app, designer):
    from webapp.services import designs
    page = designer.post("/designer/forms/admit_child.json", {"schema": deep(100_000)})
    assert page.status_code == 422 and "嵌套超过 64 层" in page.get_data(as_text=True)
    with app.app_context():
        assert designs.saved_form(db.session(), "admit_child.json") is None
    assert designer.get("/designer/forms/admit_child.json").status_code == 200


def test_a_form_nested_up_to_the_limit_still_previews(designer):
    schema = {"type": "object", "properties": {}}
    inner = schema
    for level in range(30):  # 62 JSON levels: objects within properties
        inner["properties"]["f"] = {"type": "object", "title": f"第{level}层", "properties": {}}
        inner = inner["properties"]["f"]
    inner["properties"]["name"] = {"type": "string", "title": "最里层"}
    response = designer.client.post("/designer/forms/admit_child.json/preview",
                                    data={"schema": json.dumps(schema, ensure_ascii=False),
                                          "csrf_token": designer.csrf_token})
    assert response.status_code == 200
    assert "最里层" in response.get_json()["html"] or response.get_json()["problems"]


def test_a_nul_character_is_refused_before_it_reaches_the_database(api, client, start_data):
    """PostgreSQL cannot store U+0000; no field means one. The API says 400, a form 422 beside nothing saved."""
    token = client.post("/api/v1/auth/token", json={"username": "village\u0000", "password": "x"})
    assert token.status_code == 400 and "空字符" in token.get_json()["error"]
    data = {**start_data, "child": {**start_data["child"], "name": "小\u0000明"}}
    started = api("village.430104001001").post("/processes/entrustment_care/instances", {"region": "430104001001", "data": data})
    assert started.status_code == 400 and "空字符" in started.get_json()["error"]


def test_a_form_with_a_nul_character_is_invalid_whatever_the_way_in():
    from webapp.services import forms
    from webapp.services.errors import Invalid
    with pytest.raises(Invalid) as refused:
        forms.validate({"type": "object", "properties": {"note": {"type": "string"}}}, {"note": "备\u0000注"})
    assert "空字符" in refused.value.errors["_"]
