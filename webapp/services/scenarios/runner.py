"""Running one scenario against a Story: each line finds its step in the vocabulary and runs it;
the first line that fails stops the scenario, with the reason in Chinese."""
import time
from dataclasses import asdict, dataclass, field

from ..errors import ServiceError
from .features import Feature, Scenario, ScenarioStep
from .lookup import match

PASSED, FAILED, TIMEOUT = "passed", "failed", "timeout"


@dataclass
class Outcome:
    name: str
    line: int
    status: str
    failed_step: str | None = None
    failed_line: int | None = None
    reason: str | None = None
    steps_run: int = 0
    seconds: float = 0.0
    source: str = ""
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _run_step(story, step: ScenarioStep) -> str | None:
    """None when the step holds, else why not (in Chinese)."""
    found = match(step.kind, step.text)
    if found is None:
        return "没有与这一句相符的步骤，请从步骤列表中选用（注意引号、空格和冒号）"
    definition, params = found
    if definition.takes_table:
        if not step.table:
            return "这一步需要一个数据表（| 字段 | 值 |）"
        params["datatable"] = step.table
    elif step.table:
        return "这一步不带数据表，请删去其下的表格"
    try:
        definition.func(story, **params)
    except AssertionError as err:
        return str(err) or "检查未通过"
    except ServiceError as err:
        return f"被拒绝：{err.message}"
    except Exception as err:  # a step that breaks is that step's failure, never the replay's
        return f"步骤执行出错：{type(err).__name__}：{err}"
    return None


def run(story_factory, feature: Feature, scenario: Scenario, deadline: float) -> Outcome:
    """Run the background and the scenario on a fresh Story; stop at the first failure or the deadline."""
    started = time.monotonic()
    outcome = Outcome(scenario.name, scenario.line, PASSED, source=feature.source)
    story = story_factory()
    try:
        for step in feature.background + scenario.steps:
            if time.monotonic() > deadline:
                outcome.status, outcome.failed_step, outcome.failed_line = TIMEOUT, step.label, step.line
                outcome.reason = "回放超过时限，在这一步之前停止"
                break
            reason = _run_step(story, step)
            if reason is not None:
                outcome.status, outcome.failed_step, outcome.failed_line, outcome.reason = FAILED, step.label, step.line, reason
                break
            outcome.steps_run += 1
    finally:
        story.close()
        outcome.seconds = round(time.monotonic() - started, 2)
    return outcome
