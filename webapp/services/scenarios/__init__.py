"""Scenarios as a product feature: the Chinese Gherkin of `features/` read by procedure, the step
vocabulary shared with pytest-bdd, replays against a draft on a throwaway database, and the
scenarios testers write in the browser."""
from pathlib import Path

from .story import Story

# The step library, for `tonghu trace` (a shortcut step quotes the tasks it completes).
STEPS_DIR = Path(__file__).parent / "steps"

__all__ = ["STEPS_DIR", "Story"]
