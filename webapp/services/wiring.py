"""Who consumes which effect of a handler: the one place it is listed.

A run of the engine returns what its handlers asked for as values (`handlers.Effect`);
`cases.effects.apply` hands each kind to the consumer registered here. Hand-overs,
monitoring plans and risk grades are consumed by the services that own them, so the case
service cannot import them; `create_app` calls `connect` once.
"""
from handlers import Document, EndAgreement, FollowUp, Notice, PlanRequest, RiskGrade
from handlers.intake import Categorize
from handlers.living import SupportRequest

from . import agreements, intake, living, monitoring
from .cases import effects, lifecycle
from .registry import grading


def connect() -> None:
    effects.register(Document, effects.file_documents)
    effects.register(Notice, effects.notify_offices)
    effects.register(FollowUp, lifecycle.start_follow_ups)
    effects.register(PlanRequest, monitoring.apply_requests)
    effects.register(RiskGrade, grading.apply_case_grades)
    effects.register(SupportRequest, living.apply_requests)
    effects.register(EndAgreement, agreements.end_agreements)
    effects.register(Categorize, intake.apply_categories)
