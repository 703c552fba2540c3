"""Fixtures: an app on a fresh SQLite file with the demo organisation and processes/ deployed.

The schema comes from the migrations (`tonghu demo-data` upgrades to head), as in a deployment.
"""
import os
import re
import shutil
from contextlib import contextmanager
from datetime import timedelta

import pytest

os.environ["TONGHU_ENV"] = "test"  # before the app's config is read: no production refusals here

from webapp import create_app, db  # noqa: E402
from webapp.engine import Clock  # noqa: E402
from webapp.i18n import compile_catalogs  # noqa: E402

compile_catalogs()  # the build step `make` runs, for a bare `pytest` after editing a .po

pytest_plugins = ["tests.steps.scenario_steps", "tests.steps.entrustment_steps"]
pytest_plugins += ["tests.steps.psych_steps"]
pytest_plugins += ["tests.steps.revocation_steps"]
pytest_plugins += ["tests.steps.resettlement_steps"]
pytest_plugins += ["tests.steps.timer_steps"]
pytest_plugins += ["tests.steps.unit_steps"]
pytest_plugins += ["tests.steps.left_behind_steps"]
pytest_plugins += ["tests.steps.registry_steps"]
pytest_plugins += ["tests.steps.living_steps"]
pytest_plugins += ["tests.steps.roster_steps"]

PASSWORD = "tonghu-demo"


@pytest.fixture
def clock():
    return Clock()


def _config(path, clock):
    return {"TESTING": True, "DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "test-secret", "CLOCK": clock}


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory):
    """Build the demo database once (password hashing is slow on purpose); tests copy it."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite"
    app = create_app(_config(path, Clock()))
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()
    return path


@pytest.fixture
def app(tmp_path, clock, demo_database):
    path = tmp_path / "test.sqlite"
    shutil.copyfile(demo_database, path)
    app = create_app(_config(path, clock))
    yield app
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


@contextmanager
def demo_app_on_postgres(postgres_url: str):
    """An app on the cluster's database, emptied and loaded with the demo data (about half a minute)."""
    from sqlalchemy import create_engine
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": postgres_url, "SECRET_KEY": "pg-secret", "CLOCK": Clock()})
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    try:
        yield app
    finally:
        app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory):
    """A throwaway PostgreSQL cluster for the module (tests/pg_cluster.py); its SQLAlchemy URL."""
    from tests.pg_cluster import NoPostgres, throwaway_cluster
    try:
        with throwaway_cluster(tmp_path_factory.mktemp("pg")) as url:
            yield url
    except NoPostgres as err:
        pytest.fail(str(err))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db_session(app):
    with app.app_context():
        yield db.session()


class Api:
    """A bearer-token client of /api/v1 for one user."""

    def __init__(self, client, username, password=PASSWORD):
        self.client = client
        response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert response.status_code == 200, response.get_json()
        self.headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
        self.username = username

    def get(self, path):
        return self.client.get(f"/api/v1{path}", headers=self.headers)

    def post(self, path, json=None):
        return self.client.post(f"/api/v1{path}", headers=self.headers, json=json if json is not None else {})


@pytest.fixture
def api(client):
    """`api("civil_affairs.430104000000")` gives that user's API client."""
    return lambda username: Api(client, username)


class Browser:
    """Logs a user into the web UI; keeps the CSRF token of the last page."""

    def __init__(self, client):
        self.client = client

    def login(self, username, password=PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password})

    csrf_token = None

    def _remember(self, response):
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
        if match:
            self.csrf_token = match.group(1)
        return response

    def get(self, path, **kwargs):
        """GET a page and keep its CSRF token for the next POST."""
        return self._remember(self.client.get(path, **kwargs))

    def post(self, path, data=None, **kwargs):
        """POST a form as the page would, with the CSRF token of the last page seen."""
        if self.csrf_token is None:
            self.get("/login")
        data = {"csrf_token": self.csrf_token, **(data or {})}
        return self._remember(self.client.post(path, data=data, **kwargs))

    def sign_in(self, username, password=PASSWORD):
        """Log in through the login form, CSRF token included."""
        self.get("/login")
        return self.post("/login", {"username": username, "password": password})


@pytest.fixture
def browser(app):
    """A web client with CSRF checks on, as a real browser meets them."""
    app.config["WTF_CSRF_ENABLED"] = True
    return Browser(app.test_client())


CHILD = {"name": "小明", "id_number": "430104201501010015", "birth_date": "2015-01-01", "gender": "male"}
START_DATA = {"child": CHILD, "category": "de_facto_unsupported", "reason": "父母外出务工，祖母年迈多病，无力照料", "discovered_by": "monthly_contact"}


@pytest.fixture
def start_data():
    return {**START_DATA, "child": dict(CHILD)}


def later(clock, days):
    clock.advance(timedelta(days=days))
