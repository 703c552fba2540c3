"""SQLAlchemy models, one module per concern."""
from .audit import AuditEntry
from .base import Base
from .case import CASE_STATUSES, Case, CaseFileEntry, Child, HumanTask, WaitingTimer
from .child_categories import ChildCategory
from .design import Draft, ProcedureState
from .living import LivingPayment, LivingSupport
from .documents import DocumentCounter, DocumentPdf
from .monitoring import MonitoringPlan, MonitoringVisit
from .name_grams import ChildNameGram
from .org import LEVELS, Department, Office, Region, User, level_of, region_at_level
from .process import ProcessDefinition
from .registry import Guardian, RegistryChange
from .scenario import SavedScenario, ScenarioRun
from .roster import RosterFileCheck, RosterRun, RosterTask
from .school_check import SchoolCheck
from .scheduling import Notification, SchedulerLease
from .security import LoginThrottle, UserSession
from .unit import Unit

__all__ = [
    "AuditEntry", "Base", "CASE_STATUSES", "Case", "CaseFileEntry", "Child", "HumanTask",
    "WaitingTimer", "LEVELS", "Department", "Office", "Region", "User", "level_of",
    "region_at_level", "ProcessDefinition", "Draft", "DocumentCounter", "ProcedureState", "DocumentPdf",
    "MonitoringPlan", "MonitoringVisit", "Notification", "SchedulerLease",
    "LoginThrottle", "UserSession", "Unit", "Guardian", "RegistryChange", "LivingSupport", "LivingPayment",
    "SavedScenario", "ScenarioRun", "RosterFileCheck", "RosterRun", "RosterTask", "ChildNameGram", "SchoolCheck",
    "ChildCategory",
]
