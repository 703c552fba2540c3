"""Scenarios as a product feature: reading features by procedure, running a scenario through the
shared vocabulary, replaying a procedure's scenarios against a draft on a throwaway database."""
from datetime import datetime, timezone
from pathlib import Path

import pytest

from webapp import scenario_jobs
from webapp.models import ScenarioRun
from webapp.services import designs
from webapp.services.errors import Invalid
from webapp.services.forms import load_forms
from webapp.services.scenarios import Story, features, runner, runs

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"
SCHOOL_PATH = "monitoring_source == 'school_yearly_check'"
SCHOOL_SCENARIO = "学校每学年心理健康监测由学校记录"
SCHOOL_ROUTING_SCENARIO = "学校年度监测在儿童就读学校的任务列表中，变更学校后转至新学校"
# A concern found by the school's yearly check starts the referral at the school's step; a school starts one itself.
SCHOOL_CHECK_SCENARIO = "学校年度心理健康监测：每学年为在校学生开启一项轻量任务，未见异常只记入档案，发现苗头即发起转介"
SCHOOL_START_SCENARIO = "学校为本校学生发起心理健康转介，不能为其他学校的学生发起"


def now():
    return datetime.now(timezone.utc)


def psych_features():
    return features.of_procedure(features.read_features(FEATURES), "psych_referral")


def test_features_are_read_by_procedure_and_outlines_are_expanded():
    psych = psych_features()
    # the procedure's own feature, and the unit-routing feature whose scenarios also run it
    assert [f.source for f in psych] == ["psych_referral.feature", "unit_routing.feature"]
    names = [s.name for s in psych[0].scenarios]
    assert SCHOOL_SCENARIO in names and len(psych[0].background) == 2
    living = features.of_procedure(features.read_features(FEATURES), "basic_living_support")
    expanded = [s for f in living for s in f.scenarios if s.name.startswith("按认定的类别批准")]
    assert len(expanded) == 3 and "小芳" in expanded[0].name
    assert any('为儿童"小芳"发起' in step.text for step in expanded[0].steps)  # <儿童> replaced


def test_a_text_that_does_not_parse_is_refused_in_chinese():
    with pytest.raises(Invalid) as refused:
        features.parse_feature("功能: x\n  场景: a\n    当 一步\n  | 表格没有步骤 |\n  场景大纲 b\n", "x")
    assert "无法解析" in refused.value.message


def _run(app, text):
    feature = features.parse_feature(text, "written")
    story_factory = lambda: Story(app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"])  # noqa: E731
    return runner.run(story_factory, feature, feature.scenarios[0], deadline=float("inf"))


START = '''功能: 心理
  场景: 走访未见异常
    假如 "village.430104001001" 在 "430104001001" 为儿童"小雨"发起"psych_referral"流程：
      | 字段              | 值     |
      | monitoring_source | quarterly_visit |
      | reason            | 季度走访 |
'''


def test_a_scenario_runs_through_the_shared_vocabulary(app):
    outcome = _run(app, START + '    那么 任务"record_contact"在"village.430104001001"的任务列表中\n')
    assert outcome.status == "passed" and outcome.steps_run == 2, outcome


def test_the_first_failing_step_stops_the_scenario_with_the_reason_in_chinese(app):
    outcome = _run(app, START + '    那么 任务"record_contact"在"township.430104001000"的任务列表中\n'
                               '    而且 流程仍在进行中\n')
    assert outcome.status == "failed" and outcome.steps_run == 1
    assert outcome.failed_step == '那么 任务"record_contact"在"township.430104001000"的任务列表中'
    assert outcome.reason.startswith("township.430104001000 的列表中没有“record_contact”")


def test_an_unknown_step_and_a_missing_table_are_named(app):
    outcome = _run(app, START + "    那么 天下太平\n")
    assert outcome.status == "failed" and "没有与这一句相符的步骤" in outcome.reason
    outcome = _run(app, '功能: x\n  场景: y\n    当 "village.430104001001" 办理任务"record_contact"：\n')
    assert outcome.status == "failed" and "需要一个数据表" in outcome.reason


def _replay(app, changes):
    """A replay of psych_referral's scenarios as the designer's page starts it, run here to its end."""
    factory = app.extensions["tonghu.sessionmaker"]
    with factory() as s:
        run = runs.start(s, "psych_referral", changes, None, now())
        s.commit()
        forms = designs.effective_forms(s, load_forms(app.config["FORMS_DIR"]))
        replay = scenario_jobs.Replay(run.id, scenario_jobs.replay_files(s, changes), forms, psych_features(),
                                      designs.carried_variables(s), app.extensions["tonghu.engine"].settings,
                                      app.extensions["tonghu.engine"].living)
    scenario_jobs.run(replay, factory, now)
    with factory() as s:
        return s.get(ScenarioRun, run.id)


@pytest.mark.slow
def test_a_draft_that_breaks_one_path_fails_exactly_that_scenario(app):
    with app.app_context():
        from webapp import db
        xml = designs.procedure(db.session(), "psych_referral").files["psych_referral.bpmn"]
    assert SCHOOL_PATH in xml
    broken = {"psych_referral.bpmn": xml.replace(SCHOOL_PATH, "monitoring_source == 'no_such_source'")}
    run = _replay(app, broken)
    assert run.status == "failed" and run.error is None, run.error
    failed = [r for r in run.results if r["status"] == "failed"]
    # exactly the scenarios that take the school's path: the procedure's own, the yearly check's concern,
    # the school's own start and the routing one
    assert [r["name"] for r in failed] == [SCHOOL_SCENARIO, SCHOOL_CHECK_SCENARIO, SCHOOL_START_SCENARIO,
                                           SCHOOL_ROUTING_SCENARIO]
    assert failed[0]["failed_step"] == '那么 任务"school_check"在"education.430104000000"的任务列表中'
    assert "education.430104000000 的列表中没有“school_check”" in failed[0]["reason"]
    passed = [r for r in run.results if r["status"] == "passed"]
    assert len(passed) == len(run.results) - 5  # the long @slow one is left to make test
    assert run.content == runs.content_of(broken)
    with app.extensions["tonghu.sessionmaker"]() as s:
        assert runs.failing_run_for(s, "psych_referral", broken).id == run.id
        assert runs.failing_run_for(s, "psych_referral", {"psych_referral.bpmn": xml}) is None
