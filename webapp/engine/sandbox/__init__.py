"""The sandbox for designers' expressions and scripts (conditions, dueAt, scripts, timers, DMN).

`problems()` is the static rule (check and deploy); `evaluate()` / `execute()` apply the same
rule again and run the code under a budget of steps, time and size. See README, "What
designers may write".
"""
from .errors import SandboxError, SandboxLimit, SandboxViolation
from .limits import Budget
from .rules import HELPERS, SAFE_BUILTINS, problems
from .runner import evaluate, execute, is_reserved

__all__ = ["Budget", "HELPERS", "SAFE_BUILTINS", "SandboxError", "SandboxLimit", "SandboxViolation",
           "evaluate", "execute", "is_reserved", "problems"]
