"""Designers' code against the sandbox's rule, under the name its callers know (see `services/checking/scripts.py`)."""
from .checking.scripts import BPMN_CODE, bpmn_problems, dmn_problems

__all__ = ["BPMN_CODE", "bpmn_problems", "dmn_problems"]
