"""Service-task operators: a mapping name -> plain callable, and one dispatcher.

A handler is a function ``fn(ctx, **params) -> dict``. Its parameters are typed with
annotations; the dispatcher checks the names and types the diagram passes before calling,
so a diagram error is reported as such and not as a crash inside the handler.
"""
import inspect
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable


class HandlerError(Exception):
    """A handler's refusal, carried to the diagram as a BPMN error with this code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Document:
    title: str
    html: str


@dataclass(frozen=True)
class FollowUp:
    """Another procedure to start for the same child when this step is saved."""

    process_id: str
    data: dict


@dataclass(frozen=True)
class PlanRequest:
    """Open, close or update the child's monitoring plans when this step is saved.

    `action` is "open" (fields: kinds, anchor, until, carer), "close" (reason) or
    "update" (plan_id, carer).
    """

    action: str
    fields: dict


@dataclass(frozen=True)
class Notice:
    """A notice for every official of one office, e.g. the school, police and village told of a return home."""

    department: str
    level: str
    message: str


@dataclass(frozen=True)
class RiskGrade:
    """Set the child's guardianship risk grade in the registry (green, yellow, orange, red), hunan §六.4."""

    grade: str
    reason: str


@dataclass(frozen=True)
class EndAgreement:
    """End the child's running entrustment agreement (entrustment_care) because its ground is gone:
    `reason` is the agreement's termination code (`guardianship_revoked`, `capacity_restored`),
    `basis` says which ruling ended it (hunan §三.1; 民法典 art. 36, 38)."""

    reason: str
    basis: str


# What a handler may ask for besides its answer. They are values: the engine returns them from
# the step that ran, and the case service applies them in the same transaction as the step
# (`webapp/services/cases/effects.py`, one consumer per kind).
Effect = Document | FollowUp | PlanRequest | Notice | RiskGrade | EndAgreement


@dataclass
class HandlerContext:
    """What a handler may read about the case, and the effects it asks for."""

    case_id: int | None
    region_code: str
    process_id: str
    task_title: str
    data: dict
    now: datetime
    effects: list[Effect] = field(default_factory=list)
    # Deployment settings a handler may read, as plain values (e.g. "living_support"); never written.
    settings: dict = field(default_factory=dict)

    def file_document(self, title: str, html: str) -> None:
        self.effects.append(Document(title, html))

    def start_procedure(self, process_id: str, data: dict) -> None:
        """Ask for `process_id` to start for this child, in the same transaction as this step."""
        self.effects.append(FollowUp(process_id, data))

    def monitoring(self, action: str, **fields) -> None:
        """Ask for the child's monitoring plans to be opened, closed or updated with this step."""
        self.effects.append(PlanRequest(action, fields))

    def notify_office(self, department: str, level: str, message: str) -> None:
        """Tell the office of `department` acting at `level` for the case's place (an office-wide notice)."""
        self.effects.append(Notice(department, level, message))

    def set_risk_grade(self, grade: str, reason: str) -> None:
        """Ask for the child's risk grade in the registry to be set with this step."""
        self.effects.append(RiskGrade(grade, reason))

    def end_agreement(self, reason: str, basis: str) -> None:
        """Ask for the child's running entrustment agreement to end with this step (see `EndAgreement`)."""
        self.effects.append(EndAgreement(reason, basis))

    @property
    def documents(self) -> list[Document]:
        return [e for e in self.effects if isinstance(e, Document)]


@dataclass(frozen=True)
class Operator:
    name: str
    title: str
    fn: Callable[..., dict]

    @property
    def parameters(self) -> dict[str, type]:
        sig = inspect.signature(self.fn)
        return {n: p.annotation for n, p in list(sig.parameters.items())[1:]}


OPERATORS: dict[str, Operator] = {}


def operator(name: str, title: str):
    """Register the decorated function as the service-task operator `name`."""

    def register(fn):
        if name in OPERATORS:
            raise ValueError(f"operator {name} registered twice")
        OPERATORS[name] = Operator(name, title, fn)
        return fn

    return register


def dispatch(name: str, ctx: HandlerContext, params: dict[str, Any]) -> dict:
    op = OPERATORS.get(name)
    if op is None:
        raise HandlerError("unknown_operator", f"未注册的服务任务处理程序：{name}")
    expected = op.parameters
    unknown = set(params) - set(expected)
    if unknown:
        raise HandlerError("bad_parameters", f"处理程序 {name} 不接受参数：{', '.join(sorted(unknown))}")
    for pname, ptype in expected.items():
        if pname in params and isinstance(ptype, type) and not isinstance(params[pname], ptype):
            raise HandlerError("bad_parameters", f"处理程序 {name} 的参数 {pname} 应为 {ptype.__name__}")
    return op.fn(ctx, **params)
