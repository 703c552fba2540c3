"""SQLAlchemy models, one module per concern."""
from .audit import AuditEntry
from .base import Base
from .case import CASE_STATUSES, Case, CaseFileEntry, Child, HumanTask, WaitingTimer
from .design import Draft
from .monitoring import MonitoringPlan, MonitoringVisit
from .org import LEVELS, Department, Office, Region, User, level_of, region_at_level
from .process import ProcessDefinition
from .roster import RosterFileCheck, RosterRun, RosterTask
from .scheduling import Notification, SchedulerLease
from .security import LoginLock, UserSession
from .unit import Unit

__all__ = [
    "AuditEntry", "Base", "CASE_STATUSES", "Case", "CaseFileEntry", "Child", "HumanTask",
    "WaitingTimer", "LEVELS", "Department", "Office", "Region", "User", "level_of",
    "region_at_level", "ProcessDefinition", "Draft",
    "MonitoringPlan", "MonitoringVisit", "Notification", "SchedulerLease",
    "LoginLock", "UserSession", "Unit", "RosterFileCheck", "RosterRun", "RosterTask",
]
