"""Fixtures of the compatibility suite: the public diagrams, the adapted ones and their forms."""
import json
from pathlib import Path

import pytest

from tests.conftest import Api
from webapp.services import definitions, forms

HERE = Path(__file__).parent
PUBLIC = HERE / "fixtures"
ADAPTED = HERE / "adapted"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))


def all_forms(app=None) -> dict:
    found = forms.load_forms(app.config["FORMS_DIR"] if app is not None else HERE.parent.parent / "forms")
    found["fixture_note.json"] = json.loads((HERE.parent / "fixtures" / "fixture_note.json").read_text(encoding="utf-8"))
    found.update({p.name: json.loads(p.read_text(encoding="utf-8")) for p in ADAPTED.glob("*.json")})
    return found


@pytest.fixture
def adapted(app):
    """The adapted diagrams deployed (through the same check as `tonghu deploy`)."""
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        files = {p.name: p.read_text(encoding="utf-8") for p in sorted(ADAPTED.glob("*.bpmn"))}
        deployed = definitions.deploy(s, files, all_forms(app), engine.clock.now())
        s.commit()
        assert sorted(d.process_id for d in deployed) == [
            "compat_collab", "compat_event_sub", "compat_events", "compat_message_start", "compat_subprocess"]
    return app


@pytest.fixture
def api(client):
    """`api(username)`: one bearer-token client per user for the test (a login hashes a password: once)."""
    made = {}

    def for_user(username):
        if username not in made:
            made[username] = Api(client, username)
        return made[username]

    return for_user
