"""A process without `isExecutable` is executable, as BPMN, Camunda and Flowable read it; an explicit
`isExecutable="false"` is refused with a clear message — by `tonghu check`, deploy and the designer."""
import pytest

from webapp.services import definitions
from webapp.services.designs.template import blank_bpmn

from tests.test_designer_procedures import Designer, blank

VILLAGE = "village.430104001001"
CHILD = {"name": "小红", "id_number": "430104201601010020", "birth_date": "2016-01-01", "gender": "female"}
PROCESS = "absent_flag_help"


def diagram(flag: str | None) -> str:
    xml = blank_bpmn(PROCESS, "未写可执行的流程", "village", "village", f"{PROCESS}_start.json")
    assert 'isExecutable="true"' in xml
    return xml.replace(' isExecutable="true"', "" if flag is None else f' isExecutable="{flag}"')


def start_form(app) -> dict:
    from webapp.services import forms
    found = forms.load_forms(app.config["FORMS_DIR"])
    found[f"{PROCESS}_start.json"] = {"title": "立案", "type": "object", "properties": {
        "child": found["entrustment_care_start.json"]["properties"]["child"]}}
    return found


def test_tonghu_check_passes_a_process_without_the_flag_and_refuses_false_by_name(runner, tmp_path):
    (tmp_path / "a.bpmn").write_text(diagram(None), encoding="utf-8")
    # the start form is not in forms/: only that is said, never "不可执行"
    result = runner.invoke(args=["check", str(tmp_path / "a.bpmn")])
    assert "不可执行" not in result.output, result.output
    (tmp_path / "a.bpmn").write_text(diagram("false"), encoding="utf-8")
    result = runner.invoke(args=["check", str(tmp_path / "a.bpmn")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert f'流程“未写可执行的流程”不可执行（isExecutable="false"）' in result.output
    (tmp_path / "a.bpmn").write_text(diagram("1"), encoding="utf-8")  # SpiffWorkflow reads only "true"
    result = runner.invoke(args=["check", str(tmp_path / "a.bpmn")])
    assert result.exit_code != 0 and '不可执行（isExecutable="1"，只能写 "true" 或 "false"）' in result.output


def test_deploy_takes_a_process_without_the_flag_and_a_case_runs_on_it(app, api):
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        with pytest.raises(definitions.DeployRefused) as refused:
            definitions.deploy(s, {"a.bpmn": diagram("false")}, start_form(app), engine.clock.now())
        assert any('isExecutable="false"' in p.message for p in refused.value.problems)
        deployed = definitions.deploy(s, {"a.bpmn": diagram(None)}, start_form(app), engine.clock.now())
        s.commit()
        assert [d.process_id for d in deployed] == [PROCESS]
    village = api(VILLAGE)
    assert PROCESS in {p["id"] for p in village.get("/processes").get_json()}
    started = village.post(f"/processes/{PROCESS}/instances", {"region": "430104001001", "data": {"child": CHILD}})
    assert started.status_code == 201, started.get_json()
    assert started.get_json()["status"] == "completed"  # start → end: it ran


def test_the_designer_checks_a_diagram_without_the_flag_as_executable(browser):
    designer = Designer(browser)
    blank(designer, process_id=PROCESS)
    main = designer.main_xml(PROCESS)
    absent = main["xml"].replace(' isExecutable="true"', "")
    assert absent != main["xml"]
    check = designer.json("post", f"/designer/procedures/{PROCESS}/check", {"files": {main["filename"]: absent}})
    assert check.get_json() == {"problems": [], "warnings": []}
    deployed = designer.json("post", f"/designer/procedures/{PROCESS}/deploy", {"files": {main["filename"]: absent}})
    assert deployed.status_code == 200, deployed.get_json()
    false = main["xml"].replace(' isExecutable="true"', ' isExecutable="false"')
    messages = [p["message"] for p in designer.json(
        "post", f"/designer/procedures/{PROCESS}/check", {"files": {main["filename"]: false}}).get_json()["problems"]]
    assert any('不可执行（isExecutable="false"）' in m for m in messages), messages


def test_a_deployed_procedure_is_at_once_among_the_lists_filters(app, browser):
    """The filters' procedure names are kept between pages until a version is deployed
    (`definitions.NAMES_STAMP`, read with the page's counts): a new one shows on the next page."""
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    browser.sign_in(VILLAGE)
    option = f'<option value="{PROCESS}"'
    for page in ("/", "/cases/search"):
        assert option not in browser.get(page).get_data(as_text=True)
    with make() as s:
        definitions.deploy(s, {"a.bpmn": diagram(None)}, start_form(app), engine.clock.now())
        s.commit()
    for page in ("/", "/cases/search"):
        shown = browser.get(page).get_data(as_text=True)
        assert option in shown and "未写可执行的流程" in shown, page
