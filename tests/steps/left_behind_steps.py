"""The left_behind steps now live in `webapp/services/scenarios/steps/left_behind.py` (registered with pytest-bdd
by `scenario_steps.py`); names the tests import are re-exported here."""
from webapp.services.scenarios.steps.left_behind import *  # noqa: F401,F403
