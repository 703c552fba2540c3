"""The revocation steps now live in `webapp/services/scenarios/steps/revocation.py` (registered with pytest-bdd
by `scenario_steps.py`); names the tests import are re-exported here."""
from webapp.services.scenarios.steps.revocation import *  # noqa: F401,F403
