"""The resettlement steps now live in `webapp/services/scenarios/steps/resettlement.py` (registered with pytest-bdd
by `scenario_steps.py`); names the tests import are re-exported here."""
from webapp.services.scenarios.steps.resettlement import *  # noqa: F401,F403
