"""SpiffWorkflow wrapper: parse bundles, run workflows, own the clock."""
from .bundle import Bundle, BundleError, Lane, ProcessInfo
from .clock import Clock
from .data_problems import DataInputMissing
from .engine import Engine, Run, TaskNotReady, context_factory_for
from .events import NotWaiting, WaitingEvent
from .reading import PendingTimer, ReadyTask
from .scripting import ServiceTaskFailed

__all__ = [
    "Bundle", "BundleError", "Lane", "ProcessInfo", "Clock", "Engine", "PendingTimer",
    "ReadyTask", "Run", "TaskNotReady", "context_factory_for", "ServiceTaskFailed",
    "DataInputMissing", "NotWaiting", "WaitingEvent",
]
