"""Attacker's probe (session 4): a tester cannot pile up replays. Each click used to queue one
more background thread (each up to five minutes of a core, on throwaway databases) behind a lock:
a thousand clicks, hours of the server's time. A procedure has one replay at a time, the server a
few, and a refused click says why in Chinese (the written text kept)."""
import pytest
from sqlalchemy import func, select

from webapp import scenario_jobs
from webapp.models import ScenarioRun
from webapp.services.scenarios import runs

SCENARIO = "场景: 甲\n    那么 流程仍在进行中\n"


@pytest.fixture
def never_finishing(monkeypatch):
    """The background thread is never started: every run stays "running", as a long one would."""
    started = []
    monkeypatch.setattr(scenario_jobs, "start", lambda replay, real, now: started.append(replay.run_id))
    return started


def _runs(app) -> int:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.scalar(select(func.count()).select_from(ScenarioRun))


def test_one_replay_at_a_time_per_procedure_and_a_few_on_the_server(browser, app, never_finishing):
    browser.sign_in("tester")
    browser.get("/scenarios/psych_referral")
    assert browser.post("/scenarios/psych_referral/replay").status_code == 302
    again = browser.post("/scenarios/psych_referral/replay")
    assert again.status_code == 409 and "正在回放" in again.get_data(as_text=True)
    written = browser.post("/scenarios/psych_referral/write", {"text": SCENARIO, "action": "run"})
    assert written.status_code == 409 and "正在回放" in written.get_data(as_text=True)
    assert "流程仍在进行中" in written.get_data(as_text=True)  # the text is kept
    assert never_finishing == [1] and _runs(app) == 1

    others = [p for p in ("entrustment_care", "guardianship_revocation", "orphan_resettlement",
                          "basic_living_support", "left_behind_entrustment")]
    answers = [browser.post(f"/scenarios/{p}/replay").status_code for p in others]
    assert answers.count(302) == runs.MAX_RUNNING - 1 and set(answers[runs.MAX_RUNNING - 1:]) == {409}
    assert _runs(app) == runs.MAX_RUNNING == len(never_finishing)


def test_a_replay_whose_process_died_does_not_block_the_next(browser, app, never_finishing, clock):
    from datetime import timedelta
    browser.sign_in("tester")
    browser.get("/scenarios/psych_referral")
    assert browser.post("/scenarios/psych_referral/replay").status_code == 302
    clock.advance(timedelta(seconds=runs.STALE_AFTER_SECONDS + 1))
    assert browser.post("/scenarios/psych_referral/replay").status_code == 302
