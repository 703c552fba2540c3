"""The intake steps live in `webapp/services/scenarios/steps/intake.py` (registered with pytest-bdd by
`scenario_steps.py`); names the tests import are re-exported here."""
from webapp.services.scenarios.steps.intake import *  # noqa: F401,F403
