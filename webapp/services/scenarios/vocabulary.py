"""The generic step vocabulary of the Chinese scenarios: one registry for pytest-bdd and the web replay.

A step is a plain function `(story, <parameters>[, datatable])` registered under a kind
(`given`, `when`, `then`) and a `parse` pattern, exactly as pytest-bdd reads it
(`tests/steps/scenario_steps.py` hands every registered step to pytest-bdd), so a scenario
replayed in the browser runs the same code as `make test`.
"""
import inspect
import re
from dataclasses import dataclass, field
from typing import Callable

KINDS = ("given", "when", "then")
KIND_NAMES = {"given": "假如", "when": "当", "then": "那么"}

# What a parameter asks for, in the words of a policy tester (the step list in the browser).
PARAMETER_NAMES = {
    "username": "用户名（如 village.430104001001）", "region": "12 位行政区划代码", "child": "儿童姓名",
    "process_id": "流程标识（如 psych_referral）", "task_name": "任务标识或中文名称", "name": "名称",
    "days": "天数", "hours": "小时数", "moment": "日期或时刻（如 2027-06-01）", "day": "日期（如 2027-06-01）",
    "end_event": "结束事件标识或名称", "title": "档案条目标题", "text": "文字", "status": "状态码",
    "names": "任务标识，以“、”分隔", "count": "次数", "department": "部门代码", "grade": "风险等级",
}


@dataclass(frozen=True)
class Step:
    kind: str
    pattern: str
    func: Callable = field(compare=False)

    @property
    def parameters(self) -> list[str]:
        return [m.split(":")[0] for m in re.findall(r"\{([^{}]*)\}", self.pattern)]

    @property
    def takes_table(self) -> bool:
        return "datatable" in inspect.signature(self.func).parameters

    @property
    def doc(self) -> str:
        return (inspect.getdoc(self.func) or "").split("\n")[0]

    @property
    def module(self) -> str:
        return self.func.__module__.rpartition(".")[2]


_STEPS: list[Step] = []


def _register(kind: str, pattern: str):
    def decorator(func):
        _STEPS.append(Step(kind, pattern, func))
        return func
    return decorator


def given(pattern: str):
    return _register("given", pattern)


def when(pattern: str):
    return _register("when", pattern)


def then(pattern: str):
    return _register("then", pattern)


def registered() -> list[Step]:
    """The steps registered so far (`lookup.all_steps` imports the step modules first)."""
    return list(_STEPS)
