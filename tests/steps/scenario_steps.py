"""pytest-bdd's view of the step vocabulary: every step of `webapp/services/scenarios/steps/`.

The steps live in the app so that the web replay of a scenario (a tester's "回放") runs the
same code as `make test`; here each is handed to pytest-bdd once, with the `story` fixture.
"""
import pytest
from pytest_bdd import given, parsers, then, when

from webapp.services.scenarios import Story
from webapp.services.scenarios.steps.generic import (  # noqa: F401 (names other step modules and tests import)
    _complete, child_for, complete_task_with_table, complete_with_table, table, table_data, time_passes, time_reaches,
    titled)
from webapp.services.scenarios.lookup import all_steps

DECORATORS = {"given": given, "when": when, "then": then}


@pytest.fixture
def story(app):
    with app.app_context():
        story = Story(app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"])
        yield story
        story.close()


for _step in all_steps():
    DECORATORS[_step.kind](parsers.parse(_step.pattern))(_step.func)
