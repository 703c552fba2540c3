"""Attacker's probe (session 4): one tester's saved scenario must neither break `make test` nor
change another tester's scenario. A `背景:` (background) in a written scenario used to be exported
after the other scenarios of the procedure's file: the file no longer parsed (the procedure's saved
scenarios all failed to collect), or, sorted first, its steps ran before every other scenario."""
from datetime import datetime, timezone

from webapp.models import User
from webapp.services.scenarios import features, saved
from sqlalchemy import select

PLAIN = "场景: 甲\n    那么 流程仍在进行中\n"
WITH_BACKGROUND = "背景:\n    假如 今天是 2027-01-01\n场景: 乙\n    那么 流程仍在进行中\n"
BACKGROUND_FIRST = "背景:\n  假如 今天是 2027-02-01\n\n@tag\n场景: 丙\n    假如 今天是 2027-03-01\n"


def test_a_saved_background_stays_with_its_own_scenario_in_the_exported_file(db_session, tmp_path):
    tester = db_session.scalars(select(User).where(User.username == "tester")).one()
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    for text in (BACKGROUND_FIRST, WITH_BACKGROUND, PLAIN):
        saved.save(db_session, "psych_referral", text, tester, now)
    [path] = saved.export(db_session, tmp_path)
    [feature] = features.read_features(tmp_path)
    steps = {s.name: [step.text for step in s.steps] for s in feature.scenarios}
    assert feature.background == []
    assert steps == {"甲": ["流程仍在进行中"], "乙": ["今天是 2027-01-01", "流程仍在进行中"],
                     "丙": ["今天是 2027-02-01", "今天是 2027-03-01"]}
    # and what the page replays is what make test runs
    shown = {s.name: [step.text for step in f.background + s.steps]
             for f in saved.as_features(saved.of_procedure(db_session, "psych_referral")) for s in f.scenarios}
    assert shown == steps
