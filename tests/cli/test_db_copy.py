"""`smr db copy --to`: a whole register into an empty database, verified, and back again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from smr_register.cli import app
from smr_register.errors import ExitCode
from tests.fixtures import Run, dump, init_register
from tests.fixtures.registers import ON_POSTGRESQL, Register, Registers, engine_of, shown_as

# Commands whose json must be the same on the register and on its copy.
READS = [["coach", "list"], ["audit", "--as-of", "01-12-2026"], ["supervisor", "list"],
         ["report", "public"], ["agenda", "list"], ["history", "100234"]]


def copy_to(source: Register, target: Register, *more: str) -> object:
    return CliRunner().invoke(app, ["--db", str(source), "db", "copy", "--to", str(target),
                                    *more])


def same_answers(first: Register, second: Register) -> None:
    runner = CliRunner()
    for args in READS:
        ours, theirs = (runner.invoke(app, ["--db", str(r), *args, "--format", "json"])
                        for r in (first, second))
        assert (ours.exit_code, ours.stdout) == (theirs.exit_code, theirs.stdout), args


def test_a_copy_holds_every_row_and_answers_the_same(demo_template: Register,
                                                     registers: Registers) -> None:
    target = registers.new("copy")
    result = copy_to(demo_template, target, "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    tables = {t["table"]: t for t in json.loads(result.stdout)}
    before = dump(demo_template)
    assert {name: t["rows"] for name, t in tables.items()} == {
        name: len(rows) for name, rows in before.items() if name != "alembic_version"}
    assert f"Copied {shown_as(demo_template)} to {shown_as(target)}: " in result.stderr
    assert dump(target) == before
    same_answers(demo_template, target)


def test_the_copy_goes_on_numbering_where_the_register_was(demo_template: Register,
                                                           registers: Registers) -> None:
    target = registers.new("copy")
    assert copy_to(demo_template, target).exit_code == ExitCode.OK
    runner = CliRunner()
    added = runner.invoke(app, ["--db", str(target), "coach", "add", "--reg-no", "999001",
                                "--last-name", "Nieuw", "--registered", "01-01-2026"])
    assert added.exit_code == ExitCode.OK, added.output
    engine = engine_of(target)
    try:
        with engine.connect() as conn:
            ids = conn.execute(text("SELECT id FROM coach ORDER BY id DESC LIMIT 2")).scalars()
            newest, before = ids.all()
    finally:
        engine.dispose()
    assert newest == before + 1


def test_a_target_with_rows_is_refused_and_left_alone(demo_template: Register,
                                                      db_path: Register, run: Run) -> None:
    assert run("agenda", "provider", "add", "--name", "Academie").exit_code == ExitCode.OK
    before = dump(db_path)
    result = copy_to(demo_template, db_path)
    assert result.exit_code == ExitCode.REGISTER
    assert "is not empty (1 history row, 1 provider row)" in result.stderr
    assert dump(db_path) == before


def test_an_initialised_empty_register_may_be_the_target(demo_template: Register,
                                                         db_path: Register) -> None:
    result = copy_to(demo_template, db_path)
    assert result.exit_code == ExitCode.OK, result.output
    assert len(dump(db_path)["coach"]) == len(dump(demo_template)["coach"])


def test_a_database_with_other_tables_is_refused(demo_template: Register,
                                                 registers: Registers) -> None:
    target = registers.new("other")
    engine = engine_of(target)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE orders (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    result = copy_to(demo_template, target)
    assert result.exit_code == ExitCode.REGISTER
    assert "holds other tables" in result.stderr


def test_the_register_cannot_be_copied_onto_itself(demo_db: Register) -> None:
    result = copy_to(demo_db, demo_db)
    assert result.exit_code == ExitCode.USAGE
    assert "the register itself" in result.stderr


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs SMR_TEST_DATABASE_URL (PostgreSQL)")
def test_from_a_sqlite_file_to_postgresql_and_back(registers: Registers,
                                                   tmp_path: Path) -> None:
    sqlite_register = init_register(tmp_path / "demo.sqlite", "--demo")
    on_postgresql = registers.new("moved")
    there = copy_to(sqlite_register, on_postgresql)
    assert there.exit_code == ExitCode.OK, there.output
    back = tmp_path / "back.sqlite"
    home = copy_to(on_postgresql, back)
    assert home.exit_code == ExitCode.OK, home.output
    assert dump(back) == dump(sqlite_register)
    same_answers(sqlite_register, on_postgresql)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs SMR_TEST_DATABASE_URL (PostgreSQL)")
def test_a_backup_on_postgresql_is_a_pg_dump_file(demo_template: Register,
                                                  tmp_path: Path) -> None:
    import shutil

    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not on PATH")
    target = tmp_path / "register.dump"
    result = CliRunner().invoke(app, ["--db", str(demo_template), "db", "backup", str(target)])
    assert result.exit_code == ExitCode.OK, result.output
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
