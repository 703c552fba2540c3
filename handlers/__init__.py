"""Service-task handlers, one module per concern; importing this package registers them all."""
from . import documents, monitoring, procedures  # noqa: F401  (they register their operators)
from . import psych  # noqa: F401  (psychological health referral)
from . import revocation  # noqa: F401  (revocation of guardianship, restoration)
from . import resettlement  # noqa: F401  (orphan resettlement at 18)
from . import living  # noqa: F401  (basic living support)
from .registry import OPERATORS, Document, Effect, FollowUp, HandlerContext, HandlerError, Notice, PlanRequest, dispatch, operator

__all__ = ["OPERATORS", "Document", "Effect", "FollowUp", "HandlerContext", "HandlerError", "Notice", "PlanRequest",
           "dispatch", "operator"]
