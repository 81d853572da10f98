"""Schema versions: Alembic from the first migration to head keeps every row; mismatches refused."""

from __future__ import annotations

import json
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from smr_register import db
from smr_register.errors import ExitCode
from tests.fixtures import Run, dump
from tests.fixtures.registers import Registers


def script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location",
                           str(Path(db.__file__).parent / "store" / "migrations"))
    return ScriptDirectory.from_config(config)


def test_code_knows_the_newest_migration() -> None:
    assert script().get_current_head() == db.SCHEMA_REVISION


def test_upgrade_from_the_first_migration_keeps_every_row(registers: Registers, runner) -> None:  # type: ignore[no-untyped-def]
    from smr_register.cli import app

    first = [rev.revision for rev in script().walk_revisions()][-1]
    path = registers.new("old")
    engine = db.make_engine(db.database_url(str(path)))
    db.upgrade(engine, first)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO coach (id, reg_no, last_name, state) VALUES (1, '004512', 'Bakker', "
            "'active'), (2, '100234', 'Berg', 'suspended')"))
        conn.execute(text(
            "INSERT INTO registration_period (coach_id, starts_on, valid_until) VALUES "
            "(1, '2019-01-01', '2023-12-31'), (2, '2022-10-01', '2027-09-30')"))
        conn.execute(text("INSERT INTO provider (id, name) VALUES (1, 'Academie')"))
        conn.execute(text(
            "INSERT INTO course (id, code, title, provider_id, points_centi, accredited_from, "
            "accredited_until) VALUES (1, 'C-1', 'Cursus', 1, 150, '2019-01-01', '2026-12-31')"))
        conn.execute(text("INSERT INTO course_run (id, course_id, run_date) VALUES "
                          "(1, 1, '2020-02-02')"))
        conn.execute(text(
            "INSERT INTO point_credit (coach_id, run_id, points_centi, source, credited_at) "
            "VALUES (1, 1, 150, 'manual', '2020-02-03 10:00:00')"))
        conn.execute(text(
            "INSERT INTO import_batch (id, kind, file_name, sha256, imported_at, actor, "
            "rows_read, credited, held, rejected, skipped) VALUES (1, 'attendance', "
            "'lijst.xlsx', 'abc', '2020-02-04 09:00:00', 'admin', 4, 1, 0, 0, 3)"))
        conn.execute(text(
            "INSERT INTO import_row (batch_id, row_number, outcome, reason, raw) VALUES "
            "(1, 5, 'credited', NULL, '{}'), (1, 6, 'duplicate', 'already-credited', '{}'), "
            "(1, 7, 'duplicate', 'duplicate-in-file', '{}'), (1, 8, 'skipped', 'blank-row', "
            "'{}')"))
    before = db.dump(engine)
    engine.dispose()
    if first != db.SCHEMA_REVISION:
        refused = runner.invoke(app, ["--db", str(path), "coach", "list"])
        assert refused.exit_code == ExitCode.DATABASE
        assert "needs an upgrade" in refused.stderr
    result = runner.invoke(app, ["--db", str(path), "db", "upgrade"])
    assert result.exit_code == ExitCode.OK, result.stderr
    after = dump(path)
    for table, rows in before.items():
        if table in ("alembic_version", "import_batch", "coach"):  # checked below
            continue
        assert len(after[table]) == len(rows), table
        for old, new in zip(rows, after[table], strict=True):
            assert new[: len(old)] == old, table
    # 0006 moved the coach's state into dated spells; the other columns are kept
    assert [row[:3] for row in after["coach"]] == [row[:3] for row in before["coach"]]
    assert [row[1:3] for row in after["coach_state"]] == [(2, "suspended")]
    listed = runner.invoke(app, ["--db", str(path), "coach", "list", "-f", "csv"])
    assert listed.exit_code == ExitCode.OK
    assert "004512" in listed.stdout
    batches = runner.invoke(app, ["--db", str(path), "import", "list", "-f", "json"])
    (batch,) = json.loads(batches.stdout)
    assert (batch["rows"], batch["credited"], batch["file"], batch["sha256"]) == (
        4, 1, "lijst.xlsx", "abc")
    assert (batch["skipped"], batch["duplicates"]) == (1, 2)  # 0002 splits the old count


def test_register_newer_than_the_code_is_refused(run: Run, db_path: Path) -> None:
    engine = db.make_engine(db.database_url(str(db_path)))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    result = run("coach", "list")
    assert result.exit_code == ExitCode.DATABASE
    assert "newer than this version" in result.stderr


def test_upgrade_of_a_current_register_changes_nothing(run: Run, db_path: Path) -> None:
    before = dump(db_path)
    result = run("db", "upgrade")
    assert result.exit_code == ExitCode.OK
    assert "already at schema" in result.stderr
    assert dump(db_path) == before


def test_db_status(run: Run) -> None:
    result = run("db", "status")
    assert result.exit_code == ExitCode.OK
    assert f"schema: {db.SCHEMA_REVISION}" in result.stdout


def test_the_migrations_build_the_schema_the_models_describe(registers: Registers) -> None:
    """A model changed without a migration (or the reverse) shows up here, not in a register."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from smr_register.store.models import load_all

    load_all()

    engine = db.make_engine(db.database_url(str(registers.new("fresh"))))
    db.upgrade(engine, "head")
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_every_moment_is_stored_with_its_time_zone(registers: Registers) -> None:
    """The models and the migrations agree on zones (Alembic's comparison does not look): every
    timestamp column is UTCDateTime, and timestamptz where the database has zones."""
    from sqlalchemy import DateTime, inspect
    from sqlmodel import SQLModel

    from smr_register.store.models import UTCDateTime, load_all

    load_all()
    engine = db.make_engine(db.database_url(str(registers.new("zones"))))
    try:
        db.upgrade(engine, "head")
        reflected = inspect(engine)
        for table in SQLModel.metadata.sorted_tables:
            stored = {c["name"]: c["type"] for c in reflected.get_columns(table.name)}
            for column in table.columns:
                if not isinstance(column.type, DateTime | UTCDateTime):
                    continue
                assert isinstance(column.type, UTCDateTime), f"{table.name}.{column.name}"
                if engine.dialect.name == "postgresql":
                    assert stored[column.name].timezone, f"{table.name}.{column.name}"
    finally:
        engine.dispose()


def _at_0005_with_states(registers: Registers) -> tuple[Engine, Path]:
    """A register at schema 0005 whose coaches were suspended, reinstated and withdrawn by the
    commands of that version: the coach row holds the latest state, the history each change."""
    path = registers.new("states")
    engine = db.make_engine(db.database_url(str(path)))
    db.upgrade(engine, "0005")
    coach = ("INSERT INTO coach (id, reg_no, last_name, state, state_reason, state_date, "
             "sort_key, search_text) VALUES ")
    history = ("INSERT INTO history (at, actor, command, entity, entity_id, coach_id, action, "
               "after, reason) VALUES ")

    def change(coach_id: int, action: str, day: str, reason: str) -> str:
        after = json.dumps({"state": action, "state_date": day, "state_reason": reason})
        return (f"('2026-01-01 10:00:00', 'admin', 'coach {action}', 'coach', {coach_id}, "
                f"{coach_id}, '{action}', '{after}', '{reason}')")

    with engine.begin() as conn:
        conn.execute(text(coach + "(1, '100001', 'Actief', 'active', 'betaald', '2026-11-02', "
                          "'', ''), (2, '100002', 'Geschorst', 'suspended', 'klacht', "
                          "'2026-05-12', '', ''), (3, '100003', 'Weg', 'withdrawn', 'gestopt', "
                          "'2024-03-31', '', ''), (4, '100004', 'Oud', 'suspended', NULL, NULL, "
                          "'', ''), (5, '100005', 'Nooit', 'active', NULL, NULL, '', '')"))
        conn.execute(text(history + ", ".join([
            change(1, "suspended", "2026-10-01", "jaarbijdrage"),
            change(1, "active", "2026-11-02", "betaald"),
            change(2, "suspended", "2026-05-12", "klacht"),
            change(3, "suspended", "2023-01-01", "onderzoek"),
            change(3, "withdrawn", "2024-03-31", "gestopt")])))
    return engine, path


def test_0006_moves_each_state_change_into_a_dated_spell(registers: Registers) -> None:
    engine, path = _at_0005_with_states(registers)
    db.upgrade(engine, "0006")
    with engine.connect() as conn:
        spells = [tuple(str(v) if v is not None else None for v in row) for row in conn.execute(
            text("SELECT coach_id, state, starts_on, ends_on, reason FROM coach_state "
                 "ORDER BY coach_id, starts_on"))]
        columns = [row[1] for row in conn.execute(text(
            "SELECT 0, column_name FROM information_schema.columns WHERE table_name = 'coach'"
            if engine.dialect.name == "postgresql"
            else "PRAGMA table_info(coach)"))]
    engine.dispose()
    assert spells == [
        ("1", "suspended", "2026-10-01", "2026-11-01", "jaarbijdrage"),
        ("2", "suspended", "2026-05-12", None, "klacht"),
        ("3", "suspended", "2023-01-01", "2024-03-30", "onderzoek"),
        ("3", "withdrawn", "2024-03-31", None, "gestopt"),
        ("4", "suspended", "1900-01-01", None, ""),  # no history, no date: since always
    ]
    assert not {"state", "state_reason", "state_date"} & set(columns)


def test_0006_downgrade_puts_the_latest_state_back(registers: Registers) -> None:
    engine, _path = _at_0005_with_states(registers)
    db.upgrade(engine, "0006")
    from alembic import command

    command.downgrade(db._alembic_config(engine), "0005")
    with engine.connect() as conn:
        rows = [tuple(str(v) if v is not None else None for v in row) for row in conn.execute(
            text("SELECT reg_no, state, state_date, state_reason FROM coach ORDER BY reg_no"))]
    engine.dispose()
    assert rows == [("100001", "active", "2026-11-02", "jaarbijdrage"),
                    ("100002", "suspended", "2026-05-12", "klacht"),
                    ("100003", "withdrawn", "2024-03-31", "gestopt"),
                    ("100004", "suspended", "1900-01-01", ""),
                    ("100005", "active", None, None)]


def test_0008_keeps_courses_and_referrals_and_adds_the_basisprofiel_parts(
        registers: Registers, runner) -> None:  # type: ignore[no-untyped-def]
    from smr_register.cli import app

    path = registers.new("before-0008")
    engine = db.make_engine(db.database_url(str(path)))
    db.upgrade(engine, "0007")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO coach (id, reg_no, last_name, sort_key, search_text) "
                          "VALUES (1, '100234', 'Berg', 'berg', 'berg')"))
        conn.execute(text("INSERT INTO registration_period (coach_id, starts_on, valid_until) "
                          "VALUES (1, '2022-10-01', '2027-09-30')"))
        conn.execute(text("INSERT INTO provider (id, name) VALUES (1, 'Academie')"))
        conn.execute(text(
            "INSERT INTO course (id, code, title, provider_id, points_centi, accredited_from, "
            "accredited_until) VALUES (1, 'BT-1', 'Basistraining', 1, 800, '2022-01-01', "
            "'2027-12-31')"))
        conn.execute(text("INSERT INTO practice_year (coach_id, year, hours_centi, referrals, "
                          "source) VALUES (1, 2023, 4000, 3, 'manual')"))
    engine.dispose()
    assert runner.invoke(app, ["--db", str(path), "db", "upgrade"]).exit_code == ExitCode.OK
    engine = db.make_engine(db.database_url(str(path)))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT basic_training FROM course")).scalar() in (False, 0)
        assert conn.execute(text(
            "SELECT referrals, referrals_somatic FROM practice_year")).one() == (3, None)
        assert conn.execute(text("SELECT COUNT(*) FROM role_assessment")).scalar() == 0
    engine.dispose()
    result = runner.invoke(app, ["--db", str(path), "coach", "training", "100234", "--date",
                                 "01-06-2023", "--evidence", "Diploma", "--accepted-by", "KC"])
    assert result.exit_code == ExitCode.OK, result.stderr


def test_upgrade_to_0009_keeps_the_register_and_then_keeps_decisions(registers: Registers,
                                                                     runner) -> None:  # type: ignore[no-untyped-def]
    """A register with data at 0008 gains the decision table; its first renewal is kept."""
    from smr_register.cli import app

    path = registers.new("at-0008")
    engine = db.make_engine(db.database_url(str(path)))
    db.upgrade(engine, "0008")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO coach (id, reg_no, last_name, sort_key, search_text) "
                          "VALUES (1, '004512', 'Bakker', 'bakker', 'bakker')"))
        conn.execute(text("INSERT INTO coach_state (coach_id, state, starts_on, ends_on, "
                          "reason) VALUES (1, 'suspended', '2024-03-01', '2024-04-01', "
                          "'jaarbijdrage')"))
        conn.execute(text("INSERT INTO registration_period (coach_id, starts_on, valid_until) "
                          "VALUES (1, '2021-12-02', '2026-12-01')"))
        conn.execute(text("INSERT INTO rule_exception (coach_id, rule, reason, decided_by, "
                          "decided_on) VALUES (1, 'points', 'ziek', 'KC', '2022-01-01'), "
                          "(1, 'spread', 'ziek', 'KC', '2022-01-01'), "
                          "(1, 'hours', 'ziek', 'KC', '2022-01-01')"))
        conn.execute(text("INSERT INTO profile_held (coach_id, profile, attained_on) VALUES "
                          "(1, 'basisprofiel', '2022-06-01')"))
        conn.execute(text("INSERT INTO profile_held (coach_id, profile, attained_on, ended_on) "
                          "VALUES (1, 'pregnancy', '2022-06-01', '2025-01-01')"))
    before = db.dump(engine)
    engine.dispose()
    assert runner.invoke(app, ["--db", str(path), "db", "upgrade"]).exit_code == ExitCode.OK
    after = dump(path)
    assert after["decision"] == []
    assert {t: r for t, r in after.items() if t not in ("decision", "alembic_version")} == {
        t: r for t, r in before.items() if t != "alembic_version"}
    renewed = runner.invoke(app, ["--db", str(path), "renew", "--due-within", "30", "--as-of",
                                  "01-12-2026"])
    # renewed or refused (the rules of later schemas may ask more than this register holds):
    # either way the batch's decision about the coach is kept
    assert renewed.exit_code in (ExitCode.OK, ExitCode.FINDINGS), renewed.stderr
    listed = runner.invoke(app, ["--db", str(path), "decisions", "004512", "-f", "json"])
    (decision,) = json.loads(listed.stdout)["decisions"]
    kind = "renewal" if renewed.exit_code == ExitCode.OK else "refusal"
    assert (decision["kind"], decision["decided_on"], decision["reg_no"]) == (
        kind, "2026-12-01", "004512")
