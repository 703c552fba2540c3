"""SpiffWorkflow wrapper: parse bundles, run workflows, own the clock."""
from .bundle import Bundle, BundleError, Lane, ProcessInfo
from .clock import Clock
from .engine import Engine, PendingTimer, ReadyTask, Run, TaskNotReady, context_factory_for
from .scripting import ServiceTaskFailed

__all__ = [
    "Bundle", "BundleError", "Lane", "ProcessInfo", "Clock", "Engine", "PendingTimer",
    "ReadyTask", "Run", "TaskNotReady", "context_factory_for", "ServiceTaskFailed",
]
