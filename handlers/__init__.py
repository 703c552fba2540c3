"""Service-task handlers, one module per concern; importing this package registers them all."""
from . import documents, monitoring, procedures  # noqa: F401  (they register their operators)
from . import psych  # noqa: F401  (psychological health referral)
from . import revocation  # noqa: F401  (revocation of guardianship, restoration)
from . import resettlement  # noqa: F401  (orphan resettlement at 18)
from . import assessment  # noqa: F401  (the family guardianship capacity assessment's record and risk grade)
from . import left_behind  # noqa: F401  (left-behind children entrusted to a person)
from .registry import (OPERATORS, Document, Effect, EndAgreement, FollowUp, HandlerContext, HandlerError, Notice, PlanRequest, RiskGrade,
                       dispatch, operator)
from . import living  # noqa: F401  (basic living support)
from . import intake  # noqa: F401  (intake of a street, abandoned or rescued child)
from . import detention  # noqa: F401  (children of a parent taken into custody)
from . import legal_aid  # noqa: F401  (legal aid green channel for child victims)

__all__ = ["OPERATORS", "Document", "Effect", "EndAgreement", "FollowUp", "HandlerContext", "HandlerError", "Notice", "PlanRequest",
           "RiskGrade", "dispatch", "operator"]
