"""Public diagrams of the Spiff and bpmn.io world (issue 18): `check` tells the truth about each
one, in one Chinese line, and never raises, whatever the file; the ones that pass deploy and
start as `expected.json` says."""
import random
import re

import pytest
from sqlalchemy import select

from tests.conftest import START_DATA
from webapp.models import User
from webapp.services import cases, definitions
from webapp.services.checks import check_report
from webapp.services.errors import ServiceError

from .conftest import EXPECTED, PUBLIC, all_forms

CJK = re.compile(r"[\u4e00-\u9fff]")


def read(key: str) -> dict[str, str]:
    return {key.split("/")[-1]: (PUBLIC / key).read_text(encoding="utf-8")}


def test_every_public_file_is_listed_with_its_expected_outcome():
    on_disk = {f"{p.parent.name}/{p.name}" for p in PUBLIC.glob("*/*") if p.suffix in (".bpmn", ".dmn")}
    assert on_disk == set(EXPECTED) and len(on_disk) >= 30
    sources = {key.split("/")[0] for key in on_disk}
    assert sources >= {"spiffworkflow", "bpmn-js-examples", "spiff-arena", "sample-process-models", "spiff-example-cli",
                       "camunda-bpm-examples", "flowable-examples"}
    for source in sources:  # each copied with its licence and where it came from
        folder = PUBLIC / source
        assert {"LICENSE", "COPYING"} & {p.name for p in folder.iterdir()}, source
        assert sum(1 for key in on_disk if key.startswith(source + "/")) >= 9, source


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_check_says_what_expected_json_says_in_one_chinese_line(key):
    report = check_report(read(key), all_forms())
    expected = EXPECTED[key]
    for item in report.problems + report.warnings:
        assert "\n" not in str(item) and CJK.search(item.message), str(item)
        assert "Traceback" not in item.message and " at 0x" not in item.message, str(item)
    if expected["check"] == "passes":
        assert report.problems == [] and report.warnings == [], [str(p) for p in report.problems + report.warnings]
    elif expected["check"] == "warning":  # it can run; the warning says who must act from outside
        assert report.problems == [], [str(p) for p in report.problems]
        assert any(w.message.startswith(expected["says"]) for w in report.warnings), [str(w) for w in report.warnings]
    else:
        assert any(p.message.startswith(expected["says"]) for p in report.problems), [str(p) for p in report.problems]


FRAGMENTS = {  # what the issue found, each now a clear problem
    "spiffworkflow/non-executable-process.bpmn": "不可执行（isExecutable=\"false\"）",
    "bpmn-js-examples/newDiagram.bpmn": "不可执行",
    "spiffworkflow/dmn12-chapter-11-example.dmn": "每个 DMN 文件只支持一个决策表",
    "spiffworkflow/dmn13-shape-with-label-text.dmn": "不是决策表",
    "spiffworkflow/camunda-ExclusiveGatewayIfElseAndDecision.bpmn": "camunda:decisionRef",
    "spiffworkflow/data_store.bpmn": "Tonghu 不支持数据存储",
    "bpmn-js-examples/transaction-boundaries.bpmn": "没有设置时间",
    "spiffworkflow/timer-cycle.bpmn": "调用了未知函数 custom_function",
    "spiffworkflow/transaction.bpmn": "“Get Data”不在任何泳道中",
    "bpmn-js-examples/nested-subprocesses.bpmn": "“Check Items”不在任何泳道中",
    "spiffworkflow/script-start.bpmn": "“manual”不在任何泳道中",
    # the parser's English complaints, said in Chinese
    "camunda-bpm-examples/mainProcess.bpmn": "调用的流程“subProcess”不在这些文件中",
    "spiffworkflow/spiff-business_rule_task.bpmn": "调用的决策表 decision_1 不存在",
    "camunda-bpm-examples/loanApproval.bpmn": "有服务任务没有指定处理程序",
    # what would crash a case at start
    "camunda-bpm-examples/xslt-example.bpmn": "脚本任务“convert input”的脚本语言是 xslt",
}


@pytest.mark.parametrize("key", sorted(FRAGMENTS))
def test_the_gaps_of_the_issue_are_named_on_the_element(key):
    messages = [str(p) for p in check_report(read(key), all_forms()).problems]
    hits = [m for m in messages if FRAGMENTS[key] in m]
    assert hits, messages
    if "泳道" in FRAGMENTS[key] or "时间" in FRAGMENTS[key] or "未知函数" in FRAGMENTS[key]:
        assert all(" [" in m for m in hits)  # on the element, not the file or the process


def test_a_name_with_a_line_break_is_flattened():
    text = (PUBLIC / "bpmn-js-examples/qr-code.bpmn").read_text(encoding="utf-8")
    assert "Scan successful?&#10;" in text  # a line break inside the name
    messages = [p.message for p in check_report({"qr-code.bpmn": text}, all_forms()).problems]
    assert any("“Scan successful?”" in m for m in messages), messages


def mutations(text: str, rng: random.Random):
    yield text[: rng.randrange(1, len(text))]                                  # truncated
    yield text.replace('id="', 'id="x', 1).replace("Ref=\"", "Ref=\"missing_", 2)  # dangling references
    at = rng.randrange(len(text))
    yield text[:at] + "<bpmn:task id=\"t\"></bpmn:definitions>" + text[at:]    # broken nesting
    yield re.sub(r"<bpmn:(\w+)", lambda m: "<bpmn:" + rng.choice(["task", "lane", "process", "subProcess", m[1]]), text)
    yield re.sub(r'="[^"]*"', lambda m: '=""' if rng.random() < 0.2 else m[0], text)  # emptied attributes
    yield text.replace("http://www.omg.org/spec/BPMN/20100524/MODEL", "urn:other", 1)
    yield "\x00" + text[:200]


def test_no_traceback_whatever_the_file():
    """Truncated and mutated copies of every public file: a list of problems, never an exception."""
    rng, forms = random.Random(18), all_forms()
    checked = 0
    for key in sorted(EXPECTED):
        name, text = next(iter(read(key).items()))
        for variant in mutations(text, rng):
            report = check_report({name: variant}, forms)  # must not raise
            assert all("\n" not in str(p) for p in report.problems)
            checked += 1
    assert checked == 7 * len(EXPECTED)


def test_tonghu_check_prints_no_traceback(app, runner):
    result = runner.invoke(args=["check", str(PUBLIC / "spiffworkflow")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output and "未通过校验" in result.output
    assert "不可执行" in result.output and "提示 " in result.output


def test_tonghu_check_reads_flowable_file_names_in_a_folder(app, runner, tmp_path):
    """Flowable names its diagrams `*.bpmn20.xml`: a folder of them is checked, not "no BPMN files"."""
    (tmp_path / "test-process.bpmn20.xml").write_text(
        (PUBLIC / "flowable-examples/test-process.bpmn").read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(args=["check", str(tmp_path)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    # no `isExecutable` at all: executable, as Flowable reads it; what is refused is what Tonghu cannot route
    assert "不可执行" not in result.output
    assert "test-process.bpmn20.xml [userTask01]: “User Task 01”不在任何泳道中" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(k for k, v in EXPECTED.items() if "start" in v))
def test_the_diagrams_that_pass_deploy_and_start_as_expected(app, key):
    """Deployed as they are, started by county civil affairs for a child: the status they reach."""
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        deployed = definitions.deploy(s, read(key), all_forms(app), engine.clock.now())
        user = s.scalars(select(User).where(User.username == "civil_affairs.430104000000")).one()
        outcome = []
        for definition in deployed:
            try:
                with s.begin_nested():
                    case = cases.start_case(s, engine, definition.process_id, "430104001001", dict(START_DATA), user,
                                            engine.clock.now())
            except ServiceError as err:  # refused with a clear answer, never a 500
                assert err.status < 500, err.message
                outcome.append(f"refused {err.status}: {err.message[:24]}")
                continue
            waits = sorted(w["name"] for w in case.waiting_for or [])
            outcome.append(case.status + (f" waiting {','.join(waits)}" if waits else ""))
        s.commit()
    assert outcome == EXPECTED[key]["start"]
