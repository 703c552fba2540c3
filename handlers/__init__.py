"""Service-task handlers, one module per concern; importing this package registers them all."""
from . import documents, procedures  # noqa: F401  (they register their operators)
from .registry import OPERATORS, Document, FollowUp, HandlerContext, HandlerError, dispatch, operator

__all__ = ["OPERATORS", "Document", "FollowUp", "HandlerContext", "HandlerError", "dispatch", "operator"]
