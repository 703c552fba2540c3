"""Migrations: a release-0.1 database upgrades with its cases intact, and models match migrations.

`tests/fixtures/release-0.1.sqlite` was made by tools/make_release_fixture.py the way
release 0.1 made databases (`create_all`, no version table), with running cases of every
procedure. The upgrade must keep every row and let each case be driven on to its end.
"""
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, String, create_engine, func, inspect, select

from tests import case_driver
from webapp import create_app, schema
from webapp.engine import Clock
from webapp.models import Base, Case, CaseFileEntry, Child, HumanTask, ProcessDefinition, User

FIXTURE = Path(__file__).parent / "fixtures" / "release-0.1.sqlite"
PROCEDURES = {"entrustment_care", "guardianship_revocation", "guardianship_restoration", "orphan_resettlement",
              "psych_referral", "monitoring_visit"}


def app_on(url, clock=None):
    return create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret", "CLOCK": clock or Clock()})


def counts(make) -> dict:
    with make() as s:
        return {m.__name__: s.scalar(select(func.count()).select_from(m)) for m in (Child, Case, HumanTask, User, CaseFileEntry)}


@pytest.mark.slow
def test_a_release_0_1_database_upgrades_and_its_running_cases_reach_their_end(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURE, path)
    clock = Clock()
    clock.travel_to(datetime(2027, 7, 1, tzinfo=timezone.utc))  # after the fixture's last moment
    app = app_on(f"sqlite:///{path}", clock)
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    try:
        assert schema.current(make.kw["bind"]) is None  # release 0.1 had no version table
        before = counts(make)
        with make() as s:
            # columns, not entities: the old schema lacks columns the models have since gained
            running = list(s.execute(select(Case.id, ProcessDefinition.process_id).join(
                ProcessDefinition, Case.definition_id == ProcessDefinition.id).where(Case.status == "running")))
            # a monitoring visit first: ending its agreement would (rightly) cancel it
            running.sort(key=lambda item: item[1] != "monitoring_visit")
            assert {process for _id, process in running} == PROCEDURES
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert schema.current(make.kw["bind"]) == schema.head()
        assert counts(make) == before  # nothing lost
        assert schema.differences(make.kw["bind"]) == []

        for case_id, process in running:
            case = case_driver.drive_to_end(make, engine, case_id)
            assert case.status == "completed", (process, case.status, case.error_message)
            assert case.end_event, process
        with make() as s:
            assert s.scalar(select(func.count()).select_from(HumanTask).where(
                HumanTask.case_id.in_([c for c, _ in running]), HumanTask.state == "open")) == 0
    finally:
        make.kw["bind"].dispose()


def test_upgrade_downgrade_and_current_on_sqlite(tmp_path):
    app = app_on(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    runner, bind = app.test_cli_runner(), app.extensions["tonghu.sessionmaker"].kw["bind"]
    try:
        assert runner.invoke(args=["db", "current"]).output.strip() == "无（空数据库）"
        up = runner.invoke(args=["db", "upgrade"])
        assert up.exit_code == 0 and f"→ {schema.head()}（最新）" in up.output, up.output
        assert runner.invoke(args=["db", "current"]).output.strip() == f"{schema.head()}（最新）"
        assert {"cases", "human_tasks", "alembic_version"} <= set(inspect(bind).get_table_names())
        steps = len(schema.history())
        for _ in range(steps):  # every revision steps back, one at a time, to the empty database
            down = runner.invoke(args=["db", "downgrade", "-1"])
            assert down.exit_code == 0, down.output
        assert set(inspect(bind).get_table_names()) == {"alembic_version"}
        again = runner.invoke(args=["db", "downgrade", "-1"])
        assert again.exit_code != 0 and "无可回退" in again.output
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        assert runner.invoke(args=["db", "check"]).output.strip() == "模型与迁移一致"
    finally:
        bind.dispose()


def test_a_model_change_without_a_migration_is_caught(tmp_path, monkeypatch):
    app = app_on(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    runner, bind = app.test_cli_runner(), app.extensions["tonghu.sessionmaker"].kw["bind"]
    try:
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        changed = MetaData()
        for table in Base.metadata.tables.values():
            table.to_metadata(changed)
        changed.tables["children"].append_column(Column("nickname", String(20)))
        monkeypatch.setattr(schema, "_metadata", lambda: changed)
        result = runner.invoke(args=["db", "check"])
        assert result.exit_code != 0 and "模型与迁移不一致（1 处）" in result.output, result.output
        assert "nickname" in result.output
    finally:
        bind.dispose()


def test_a_database_that_is_not_tonghus_is_left_alone(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'other.sqlite'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE cases (id INTEGER PRIMARY KEY, note TEXT)")
        conn.exec_driver_sql("INSERT INTO cases (note) VALUES ('keep me')")
    with pytest.raises(schema.SchemaError, match="不是童护 0.1 版的数据库"):
        schema.upgrade(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT note FROM cases").scalar() == "keep me"
        assert set(inspect(conn).get_table_names()) == {"cases"}
    engine.dispose()


def test_backup_copies_a_live_sqlite_database(tmp_path, app):
    runner = app.test_cli_runner()
    target = tmp_path / "backup.sqlite"
    with app.extensions["tonghu.sessionmaker"]() as writing:  # a transaction open meanwhile
        writing.add(Child(id_number="430104201501019999", name="备份", birth_date=datetime(2015, 1, 1).date(),
                          gender="male", region_code="430104001001", created_at=datetime.now(timezone.utc)))
        writing.flush()
        result = runner.invoke(args=["db", "backup", str(target)])
        writing.commit()
    assert result.exit_code == 0, result.output
    copy = create_engine(f"sqlite:///{target}")
    with copy.connect() as conn:
        assert schema.current(copy) == schema.head()
        assert conn.exec_driver_sql("SELECT count(*) FROM users").scalar() > 50
        assert conn.exec_driver_sql("SELECT count(*) FROM children WHERE name = '备份'").scalar() == 0  # not yet committed
    copy.dispose()
    refused = runner.invoke(args=["db", "backup", str(target)])
    assert refused.exit_code != 0 and "已存在，不会覆盖" in refused.output


@pytest.mark.postgres
@pytest.mark.slow
def test_migrations_run_both_ways_on_postgresql_and_match_the_models(postgres_url):
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    try:
        schema.upgrade(engine)
        assert schema.current(engine) == schema.head()
        assert schema.differences(engine) == []
        schema.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        schema.upgrade(engine)
        assert schema.differences(engine) == []
    finally:
        engine.dispose()


def test_migrations_ship_inside_the_package():
    assert (schema.MIGRATIONS / "env.py").is_file() and list((schema.MIGRATIONS / "versions").glob("*.py"))
    assert schema.history()[-1][0] == schema.BASELINE
