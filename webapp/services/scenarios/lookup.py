"""Finding a step: the whole vocabulary (every module of `steps/`) and the step a line of a scenario names."""
from parse import compile as compile_pattern

from . import steps  # noqa: F401 (importing the step modules fills the registry)
from .vocabulary import Step, registered

_COMPILED: dict[str, object] = {}


def all_steps() -> list[Step]:
    return registered()


def match(kind: str, text: str) -> tuple[Step, dict] | None:
    """The step of that kind whose pattern matches the whole text, with its parsed parameters."""
    for step in all_steps():
        if step.kind != kind:
            continue
        parser = _COMPILED.get(step.pattern) or _COMPILED.setdefault(step.pattern, compile_pattern(step.pattern))
        result = parser.parse(text)
        if result is not None:
            return step, dict(result.named)
    return None
