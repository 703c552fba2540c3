"""The roster steps now live in `webapp/services/scenarios/steps/roster.py` (registered with pytest-bdd
by `scenario_steps.py`); names the tests import are re-exported here."""
from webapp.services.scenarios.steps.roster import *  # noqa: F401,F403
