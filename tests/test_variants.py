"""Regional variants shipped as data (processes/variants/<prefix>/): what demo-data deploys, where a
case starts, what the tables decide, the commands and the designer's list of which version applies where.

The Chinese scenarios (features/living_support_variants.feature) walk the cases end to end; these
pin the tables row by row, the overlay rule (only the procedures a file touches) and bad input.
"""
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from sqlalchemy import select

from handlers import HandlerError
from webapp.engine.scripting import TonghuScriptEngine
from webapp.models import ProcessDefinition
from webapp.services import definitions, variants
from webapp.services.errors import Invalid

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = ROOT / "processes"
STAGES = ("compulsory", "high_school", "secondary_vocational", "higher_vocational", "undergraduate")
CATEGORIES = ("orphan_allowance", "de_facto_allowance", "low_income", "extreme_poverty", "temporary_assistance")


def table(path: Path, decision: str):
    parser = SpiffBpmnParser()
    parser.add_dmn_xml(etree.fromstring(path.read_bytes()), filename=path.name)
    engine = parser.get_engine(decision, None)
    return lambda data: engine.result(SimpleNamespace(
        data=data, workflow=SimpleNamespace(script_engine=TonghuScriptEngine())))


def test_past_18_national_continues_school_not_university_and_shanghai_adds_university():
    national = table(PROCESSES / "continues_past_18.dmn", "continues_past_18")
    shanghai = table(PROCESSES / "variants" / "31" / "continues_past_18.dmn", "continues_past_18")
    assert {s: national({"study_stage": s})["continues_past_18"] for s in STAGES} == {
        "compulsory": True, "high_school": True, "secondary_vocational": True,
        "higher_vocational": False, "undergraduate": False}
    assert all(shanghai({"study_stage": s})["continues_past_18"] is True for s in STAGES)  # shanghai (一)
    assert national({"study_stage": "postgraduate"})["continues_past_18"] is False
    assert shanghai({"study_stage": "postgraduate"})["continues_past_18"] is False


def test_medical_aid_national_sets_no_ratio_and_chongqing_sets_its_own():
    national = table(PROCESSES / "medical_aid.dmn", "medical_aid")
    chongqing = table(PROCESSES / "variants" / "50" / "medical_aid.dmn", "medical_aid")
    assert all(national({"support_category": c}) == {"medical_aid_percent": None, "medical_aid_table": None,
                                                     "medical_expense_percent": None} for c in CATEGORIES)
    decided = {c: chongqing({"support_category": c}) for c in CATEGORIES}  # chongqing (五)
    assert {c: r["medical_aid_percent"] for c, r in decided.items()} == {
        "orphan_allowance": 100, "de_facto_allowance": 100, "low_income": 90, "extreme_poverty": None,
        "temporary_assistance": None}
    assert {c: r["medical_expense_percent"] for c, r in decided.items()} == {
        "orphan_allowance": 70, "de_facto_allowance": 70, "low_income": 70, "extreme_poverty": 70,
        "temporary_assistance": None}
    assert decided["low_income"]["medical_aid_table"] == "重庆市城乡居民医保一档参保资助比例"


def test_the_ratios_are_not_in_code_defaults():
    from webapp import living_settings
    assert living_settings.DEFAULTS["medical_aid"] == {} and living_settings.DEFAULTS["medical_expense_aid"] == {}


def test_demo_data_deploys_the_shipped_variants_and_a_case_starts_on_its_place(db_session):
    rows = {v.prefix: v for v in variants.variants(db_session, "basic_living_support")}
    assert [(p, v.place) for p, v in rows.items()] == [("", "全国（未设地区版本的地方）"), ("31", "上海市"), ("50", "重庆市")]
    assert 'id="rule_university"' in rows["31"].definition.files["continues_past_18.dmn"]
    assert 'id="rule_university"' not in rows[""].definition.files["continues_past_18.dmn"]
    assert 'id="rule_orphan_de_facto"' in rows["50"].definition.files["medical_aid.dmn"]
    assert 'id="rule_orphan_de_facto"' not in rows[""].definition.files["medical_aid.dmn"]
    assert 'id="rule_university"' not in rows["50"].definition.files["continues_past_18.dmn"]
    for code, prefix in (("310104001001", "31"), ("500103001001", "50"), ("430104001001", ""), ("610102001001", "")):
        assert variants.for_region(db_session, "basic_living_support", code).region_prefix == prefix, code
    # only the procedure whose diagram calls the changed tables has variants
    others = db_session.scalars(select(ProcessDefinition.process_id).where(
        ProcessDefinition.region_prefix != "", ProcessDefinition.process_id != "basic_living_support")).all()
    assert others == []


def test_overlay_takes_only_the_procedures_a_file_touches_and_refuses_a_file_nobody_uses(db_session):
    base = variants.national_files(db_session)
    files = variants.overlay(base, {"continues_past_18.dmn": (PROCESSES / "variants/31/continues_past_18.dmn")
                                    .read_text(encoding="utf-8")})
    assert "basic_living_support.bpmn" in files and "psych_referral.bpmn" not in files
    assert variants.overlay(base, {"continues_past_18.dmn": base["continues_past_18.dmn"]}) == {}  # a copy: no change
    with pytest.raises(Invalid) as unused:
        variants.overlay(base, {"nobody.dmn": base["continues_past_18.dmn"].replace(
            'id="continues_past_18"', 'id="nobody_calls_me"')})
    assert "没有被任何流程使用" in unused.value.errors["files"]
    with pytest.raises(Invalid) as broken:
        variants.overlay(base, {"continues_past_18.dmn": "<definitions"})
    assert "无法解析" in broken.value.errors["files"]


def test_deploy_region_deploys_the_variant_folder_once_and_refuses_bad_places(runner, app, tmp_path):
    folder = tmp_path / "31"
    shutil.copytree(PROCESSES / "variants" / "31", folder)
    out = runner.invoke(args=["deploy", str(folder), "--region", "31"])
    assert out.exit_code == 0 and "没有变化" in out.output, out.output  # demo-data deployed it already
    for bad, message in (("3", "前缀"), ("61", "没有以 61 开头"), ("", None)):
        if message:
            out = runner.invoke(args=["deploy", str(folder), "--region", bad])
            assert out.exit_code != 0 and message in out.output, out.output
    # a Shanghai table that also continues for postgraduates: a new Shanghai version, nothing else
    text = (folder / "continues_past_18.dmn").read_text(encoding="utf-8")
    (folder / "continues_past_18.dmn").write_text(text.replace("'undergraduate', 'higher_vocational'",
                                                               "'undergraduate', 'higher_vocational', 'postgraduate'"),
                                                  encoding="utf-8")
    with app.app_context():
        from webapp import db
        before = variants.for_region(db.session(), "basic_living_support", "310104001001").version
    out = runner.invoke(args=["deploy", str(folder), "--region", "31"])
    assert out.exit_code == 0 and "basic_living_support" in out.output and "31 地区版本" in out.output, out.output
    assert out.output.count("已部署") == 1, out.output
    with app.app_context():
        from webapp import db
        session = db.session()
        assert variants.for_region(session, "basic_living_support", "310104001001").version > before
        assert variants.for_region(session, "basic_living_support", "500103001001").region_prefix == "50"


def test_check_covers_the_variants(runner, tmp_path):
    copy = tmp_path / "processes"
    shutil.copytree(PROCESSES, copy)
    out = runner.invoke(args=["check", str(copy)])
    assert out.exit_code == 0, out.output
    broken = copy / "variants" / "50" / "medical_aid.dmn"
    broken.write_text(broken.read_text(encoding="utf-8").replace("<text>support_category</text>",
                                                                 "<text>__import__('os')</text>"), encoding="utf-8")
    out = runner.invoke(args=["check", str(copy)])
    assert out.exit_code != 0 and "地区版本 50：" in out.output, out.output


def test_a_bad_ratio_in_a_table_is_refused_in_chinese():
    from datetime import datetime

    from handlers import HandlerContext
    from handlers.living import grant_living_support
    from webapp import living_settings
    from webapp.engine.clock import LOCAL_TZ
    from webapp.services.scenarios.steps.generic import child_for
    data = {"support_category": "orphan_allowance", "approved": True, "child": child_for("小测", "2015-06-01"),
            "medical_aid_percent": 150}
    ctx = HandlerContext(case_id=1, region_code="500103001001", process_id="basic_living_support", task_title="核定",
                         data=data, now=datetime(2027, 3, 1, 9, tzinfo=LOCAL_TZ),
                         settings={"living_support": living_settings.DEFAULTS})
    with pytest.raises(HandlerError, match="1 至 100"):
        grant_living_support(ctx)


def test_the_designer_shows_which_version_applies_where(browser, db_session):
    browser.sign_in("designer")
    page = browser.get("/designer/procedures/basic_living_support").get_data(as_text=True)
    table = page[page.index('id="variants"'):page.index("</table>", page.index('id="variants"'))]
    for prefix, place in (("31", "上海市"), ("50", "重庆市")):
        version = definitions.latest(db_session, "basic_living_support", prefix).version
        row = table[table.index(f'data-prefix="{prefix}"'):]
        assert place in row[:300] and f"第 {version} 版" in row[:300], row[:300]
    assert 'data-prefix=""' in table and "全国" in table
    versions = page[page.index('id="versions"'):]
    assert versions.count("新案件使用此版") == 3  # the newest national version and each region's
    other = browser.get("/designer/procedures/psych_referral").get_data(as_text=True)
    assert 'data-prefix="31"' not in other


@pytest.mark.slow
def test_a_replay_runs_the_variant_scenarios_on_the_places_variants(app):
    """The tester's replay deploys the regional variants too: the Shanghai and Chongqing scenarios pass."""
    from datetime import datetime, timezone

    from webapp import scenario_jobs
    from webapp.models import ScenarioRun
    from webapp.services import designs
    from webapp.services.forms import load_forms
    from webapp.services.scenarios import features, runs
    chosen = [f for f in features.read_features(ROOT / "features") if f.source.endswith("living_support_variants.feature")]
    for feature in chosen:
        feature.scenarios = [s for s in feature.scenarios if s.name.startswith(("上海", "重庆"))]
    assert sum(len(f.scenarios) for f in chosen) == 5  # Shanghai's university case, Chongqing's four categories
    factory = app.extensions["tonghu.sessionmaker"]
    now = lambda: datetime.now(timezone.utc)  # noqa: E731
    with factory() as s:
        run = runs.start(s, "basic_living_support", {}, None, now())
        s.commit()
        replay = scenario_jobs.Replay(run.id, scenario_jobs.replay_files(s, {}),
                                      designs.effective_forms(s, load_forms(app.config["FORMS_DIR"])), chosen,
                                      designs.carried_variables(s), app.extensions["tonghu.engine"].settings,
                                      app.extensions["tonghu.engine"].living, variants=scenario_jobs.variant_files(s))
    assert sorted(prefix for prefix, _files in replay.variants) == ["31", "50"]
    scenario_jobs.run(replay, factory, now)
    with factory() as s:
        finished = s.get(ScenarioRun, run.id)
        assert finished.error is None and [r["status"] for r in finished.results] == ["passed"] * 5, finished.results
