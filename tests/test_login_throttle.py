"""Login throttling that an attacker cannot turn against the account's owner, shared by every app node.

Counters per (name, address), per address and per name from unusual addresses, in the database
(services/login.py); the blocks double with each further failure instead of one fixed lock.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from webapp import create_app, db
from webapp.engine import Clock
from webapp.models import AuditEntry

from .conftest import PASSWORD

VILLAGE = "village.430104001001"
ATTACKER, OFFICE, HOME = "203.0.113.66", "10.1.2.3", "10.9.9.9"


@pytest.fixture
def security_clock(app):
    clock = Clock()
    app.extensions["tonghu.security_clock"] = clock
    return clock


def token(client, address, username=VILLAGE, password="wrong"):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_an_attacker_cannot_lock_the_owner_out_of_their_usual_address(app, client, security_clock):
    assert token(client, OFFICE, password=PASSWORD).status_code == 200      # the owner's usual address
    for _ in range(4):
        assert token(client, ATTACKER).status_code == 401
    refused = token(client, ATTACKER)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "900"
    assert token(client, ATTACKER, password=PASSWORD).status_code == 429    # the attacker gets nothing more
    assert token(client, OFFICE, password=PASSWORD).status_code == 200      # the owner still signs in
    with app.app_context():
        locks = db.session().scalars(select(AuditEntry).where(AuditEntry.action == "login.locked")).all()
        failures = db.session().scalars(select(AuditEntry).where(AuditEntry.action == "login.failed")).all()
    assert [(a.target, a.remote_addr, a.detail["scope"]) for a in locks] == [(f"user:{VILLAGE}", ATTACKER, "pair")]
    assert [f.detail["reason"] for f in failures] == ["bad_credentials"] * 5 + ["locked"]


def test_each_further_failure_after_a_block_doubles_the_wait(client, security_clock):
    for _ in range(5):
        token(client, ATTACKER)
    security_clock.advance(timedelta(minutes=15, seconds=1))   # the first block has run out
    again = token(client, ATTACKER)
    assert again.status_code == 429 and again.headers["Retry-After"] == str(30 * 60)
    security_clock.advance(timedelta(minutes=30, seconds=1))
    assert token(client, ATTACKER).headers["Retry-After"] == str(60 * 60)
    security_clock.advance(timedelta(minutes=60 + 16))         # quiet longer than the first block: a new series
    assert token(client, ATTACKER).status_code == 401


def test_a_spread_attack_is_slowed_but_the_owner_keeps_their_usual_address(app, client, security_clock):
    app.config["LOGIN_NAME_MAX_FAILURES"] = 6
    assert token(client, HOME, password=PASSWORD).status_code == 200
    for i in range(3):  # three addresses, two guesses each: no pair and no address is blocked
        for _ in range(2):
            answer = token(client, f"198.51.100.{i}")
    assert answer.status_code == 429                              # the sixth failure blocks the name…
    assert token(client, "198.51.100.77", password=PASSWORD).status_code == 429   # …from new addresses
    assert token(client, HOME, password=PASSWORD).status_code == 200              # but not from home
    security_clock.advance(timedelta(minutes=16))
    assert token(client, "198.51.100.77", password=PASSWORD).status_code == 200


def test_the_admin_unlock_clears_the_name_from_every_address(app, client):
    for _ in range(5):
        token(client, ATTACKER)
    with app.app_context():
        from webapp.services import login
        s = db.session()
        assert set(login.locked_names(s, Clock().now())) == {VILLAGE}
        assert login.unlock(s, VILLAGE, Clock().now())
        s.commit()
        assert login.locked_names(s, Clock().now()) == {}
    assert token(client, ATTACKER, password=PASSWORD).status_code == 200


def test_two_app_nodes_share_the_address_limit(app):
    # another node on the same database: its own engine, pool and memory
    node_b = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "s", "CLOCK": Clock()})
    try:
        for node in (app, node_b):
            node.config["LOGIN_ADDRESS_LIMIT"] = "3 per minute"
        a, b = app.test_client(), node_b.test_client()
        assert token(a, ATTACKER, "nobody.1").status_code == 401
        assert token(b, ATTACKER, "nobody.2").status_code == 401
        assert token(a, ATTACKER, "nobody.3").status_code == 401
        refused = token(b, ATTACKER, VILLAGE, PASSWORD)        # the third failure was counted on the other node
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
        assert token(a, OFFICE, VILLAGE, PASSWORD).status_code == 200
    finally:
        node_b.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


from .test_postgres import pg_app  # noqa: E402,F401  (fixture; postgres_url comes from conftest.py)


@pytest.mark.postgres
@pytest.mark.slow
def test_two_app_nodes_share_the_limits_on_postgresql(pg_app):
    url = pg_app.config["DATABASE_URL"]
    node_b = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "pg-secret", "CLOCK": Clock()})
    try:
        a, b = pg_app.test_client(), node_b.test_client()
        for node in (a, b, a, b):
            assert token(node, ATTACKER).status_code == 401
        assert token(a, ATTACKER).status_code == 429
        assert token(b, ATTACKER, password=PASSWORD).status_code == 429
        assert token(b, OFFICE, password=PASSWORD).status_code == 200
    finally:
        node_b.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


def test_the_scheduler_forgets_stale_counters_but_not_blocks_or_usual_addresses(app):
    """`login_throttles` does not grow forever: the scheduler deletes counters quiet for a day
    and not blocking; a running block and a usual address (a recent success) stay."""
    from datetime import datetime, timezone

    from webapp.models import LoginThrottle
    from tests.helpers import run_due

    wall = datetime.now(timezone.utc)
    rows = {
        "quiet": LoginThrottle(scope="pair", username="a", address="198.51.100.1", failures=3,
                               last_failure_at=wall - timedelta(days=2)),
        "recent": LoginThrottle(scope="pair", username="b", address="198.51.100.2", failures=2,
                                last_failure_at=wall - timedelta(hours=2)),
        "blocked": LoginThrottle(scope="address", username="", address="198.51.100.3", failures=40,
                                 last_failure_at=wall - timedelta(days=2), blocked_until=wall + timedelta(hours=5)),
        "usual": LoginThrottle(scope="pair", username="c", address="198.51.100.4", failures=0,
                               last_success_at=wall - timedelta(days=10)),
        "long_ago": LoginThrottle(scope="pair", username="d", address="198.51.100.5", failures=0,
                                  last_success_at=wall - timedelta(days=200), last_failure_at=wall - timedelta(days=200)),
    }
    with app.extensions["tonghu.sessionmaker"]() as s:
        s.add_all(rows.values())
        s.commit()
    assert run_due(app)["login_throttles"] == 2
    with app.extensions["tonghu.sessionmaker"]() as s:
        left = {r.address for r in s.scalars(select(LoginThrottle))}
    assert left >= {"198.51.100.2", "198.51.100.3", "198.51.100.4"}
    assert not left & {"198.51.100.1", "198.51.100.5"}
    assert run_due(app)["login_throttles"] == 0
