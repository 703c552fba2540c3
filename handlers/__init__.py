"""Service-task handlers, one module per concern; importing this package registers them all."""
from . import documents  # noqa: F401  (registers its operators)
from .registry import OPERATORS, Document, HandlerContext, HandlerError, dispatch, operator

__all__ = ["OPERATORS", "Document", "HandlerContext", "HandlerError", "dispatch", "operator"]
