"""Values out of range, hostile text and races the outside tester found: each is a clear refusal
(exit 2 on the command line) or a sentence, never an internal error, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smr_register import db
from smr_register.errors import ExitCode
from tests.fixtures import Run, dump

HUGE = "10000000000000000000000"

REFUSED = [
    ["agenda", "course", "add", "--code", "X-1", "--title", "T", "--provider", "P",
     "--points", "1e308", "--accredited-from", "01-01-2026", "--accredited-until", "31-12-2026"],
    ["agenda", "course", "add", "--code", "X-1", "--title", "T", "--provider", "P",
     "--points", "999999999999", "--accredited-from", "01-01-2026",
     "--accredited-until", "31-12-2026"],
    ["coach", "hours", "004512", "--year", "2024", "--hours", "1e308"],
    ["coach", "hours", "004512", "--year", "2024", "--hours", "1_000"],
    ["coach", "hours", "004512", "--year", "2024", "--hours", "8785"],
    ["agenda", "course", "add", "--code", "X-2", "--title", "T", "--provider", "Trimbos",
     "--points", "1.000.000,5", "--accredited-from", "01-01-2026",
     "--accredited-until", "31-12-2026"],
    ["coach", "hours", "004512", "--year", "2024", "--clients", HUGE],
    ["exception", "add", "004512", "--rule", "points", "--reason", "r", "--decided-by", "QC",
     "--value", "1e308"],
    ["audit", "--due-within", HUGE, "--as-of", "01-12-2026"],
    ["report", "expiry", "--within", HUGE],
    ["privacy", "purge", "--inactive-years", HUGE, "--dry-run"],
    ["import", "show", "12345678901234567890123"],
    ["import", "undo", "12345678901234567890123", "--reason", "r"],
    ["coach", "add", "--reg-no", "777777", "--last-name", "X", "--registered", "31-12-9999"],
    ["coach", "add", "--reg-no", "777777", "--last-name", "X", "--registered", "01-01-2020",
     "--birth-date", "01-01-0001"],
    ["renew", "004512", "--as-of", "31-12-9999"],
    ["report", "notices", "--as-of", "9999-12-31"],
    ["audit", "--as-of", "01-01-0001"],
]


@pytest.mark.parametrize("args", REFUSED, ids=[" ".join(a[:3]) + f" {i}"
                                                for i, a in enumerate(REFUSED)])
def test_out_of_range_is_a_usage_error(run: Run, demo_db: Path, args: list[str]) -> None:
    before = dump(demo_db)
    result = run(*args, db=demo_db)
    assert result.exit_code == ExitCode.USAGE, (result.exit_code, result.stderr)
    assert "internal error" not in result.stderr
    assert dump(demo_db) == before


def test_full_width_digits_are_the_same_registration_number(run: Run, demo_db: Path) -> None:
    result = run("coach", "add", "--reg-no", "００４５１２", "--last-name", "Dubbel",
                 "--registered", "01-01-2020", db=demo_db)
    assert result.exit_code == ExitCode.REGISTER  # 004512 exists: a duplicate, not a new coach
    shown = run("coach", "show", "００４５１２", db=demo_db)
    assert shown.exit_code == ExitCode.OK and "004512" in shown.stdout


def test_other_scripts_digits_are_refused(run: Run, demo_db: Path) -> None:
    result = run("coach", "add", "--reg-no", "٤٥١٢", "--last-name", "X", "--registered",
                 "01-01-2020", db=demo_db)
    assert result.exit_code == ExitCode.USAGE


def test_markup_in_a_value_is_taken_literally(run: Run, demo_db: Path) -> None:
    assert run("agenda", "provider", "add", "--name", "[bold red]x[/]",
               db=demo_db).exit_code == ExitCode.OK
    result = run("agenda", "course", "add", "--code", "[/]", "--title", "[b]t", "--provider",
                 "[bold red]x[/]", "--points", "1", "--accredited-from", "01-01-2026",
                 "--accredited-until", "31-12-2026", db=demo_db)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "[/]" in result.stderr
    listed = run("agenda", "list", db=demo_db)
    assert listed.exit_code == ExitCode.OK, listed.stderr
    assert "[/]" in listed.stdout


def test_a_long_search_is_refused_not_a_crash(run: Run, demo_db: Path) -> None:
    result = run("coach", "list", "--search", "x" * 50_000, db=demo_db)
    assert result.exit_code == ExitCode.USAGE
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("wildcard", ["%", "_"])
def test_search_wildcards_match_themselves(run: Run, demo_db: Path, wildcard: str) -> None:
    result = run("coach", "list", "--search", wildcard, "--format", "json", db=demo_db)
    assert result.exit_code == ExitCode.OK
    assert json.loads(result.stdout) == []  # no coach's name holds a % or an _


def _sql(path: Path, statement: str) -> None:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(statement)


@pytest.mark.sqlite_file
def test_a_failed_upgrade_changes_nothing(run: Run, demo_db: Path) -> None:
    _sql(demo_db, "DROP TABLE alembic_version")
    before = dump(demo_db)
    result = run("db", "upgrade", db=demo_db)
    assert result.exit_code == ExitCode.DATABASE
    assert "nothing changed" in result.stderr
    assert dump(demo_db) == before  # not even the version table was created


@pytest.mark.sqlite_file
def test_upgrade_of_a_newer_register_is_a_database_error(run: Run, demo_db: Path) -> None:
    _sql(demo_db, "UPDATE alembic_version SET version_num = '9999'")
    result = run("db", "upgrade", db=demo_db)
    assert result.exit_code == ExitCode.DATABASE
    assert "9999" in result.stderr and "newer" in result.stderr


def test_implausible_dates_and_points_in_a_sheet_are_rejected_rows(run: Run, demo_db: Path,
                                                                  tmp_path: Path) -> None:
    """The same bounds as on the command line: a row with a date in year 9999 or 0001, or a
    course of a million points, is rejected with its reason; nothing of it is stored."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Cursuscode", "Titel", "Aanbieder", "Punten", "Geaccrediteerd van",
                  "Geaccrediteerd tot", "Datum uitvoering"])
    sheet.append(["Y-1", "Ver weg", "NSPOH", "2", "01-01-2026", "31-12-9999", None])
    sheet.append(["Y-2", "Lang geleden", "NSPOH", "2", "01-01-0001", "31-12-2026", None])
    sheet.append(["Y-3", "Heel veel", "NSPOH", "1.000.000,5", "01-01-2026", "31-12-2026", None])
    path = tmp_path / "agenda.xlsx"
    book.save(path)
    result = run("agenda", "import", str(path), "--format", "json", db=demo_db)
    assert result.exit_code == ExitCode.FINDINGS, result.stderr
    rows = json.loads(result.stdout)["files"][0]["rows"]
    assert [row["outcome"] for row in rows] == ["rejected"] * 3
    listed = run("agenda", "list", "--format", "json", db=demo_db).stdout
    assert "Y-1" not in listed and "Y-2" not in listed and "Y-3" not in listed


@pytest.mark.sqlite_file
def test_two_schema_versions_are_refused(run: Run, demo_db: Path) -> None:
    _sql(demo_db, "INSERT INTO alembic_version VALUES ('0002')")
    for command in (["coach", "list"], ["db", "status"]):
        result = run(*command, db=demo_db)
        assert result.exit_code == ExitCode.DATABASE, result.stderr
        assert f"0002, {db.SCHEMA_REVISION}" in result.stderr
    assert run("db", "check", db=demo_db).exit_code == ExitCode.FINDINGS
