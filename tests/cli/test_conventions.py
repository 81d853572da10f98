"""Small conventions: errors name the setting the user gave, a registration years ahead is
refused with the reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from smr_register.cli import app
from smr_register.errors import ExitCode
from tests.fixtures import Run, dump


def test_a_bad_smr_as_of_is_named_as_such(run: Run, db_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(db_path), "audit"],
                                env={"SMR_AS_OF": "31-02-2026"})
    assert result.exit_code == ExitCode.USAGE
    assert "SMR_AS_OF: '31-02-2026' is not a date" in result.stderr
    assert "--as-of" not in result.stderr
    typed = run("audit", "--as-of", "31-02-2026")
    assert typed.exit_code == ExitCode.USAGE and "--as-of: '31-02-2026'" in typed.stderr


def test_a_date_option_is_named_in_its_error(run: Run) -> None:
    run("coach", "add", "--reg-no", "1", "--last-name", "A", "--registered", "01-01-2024")
    result = run("coach", "suspend", "1", "--reason", "x", "--from", "31-02-2026")
    assert result.exit_code == ExitCode.USAGE and "--from: '31-02-2026'" in result.stderr
    result = run("coach", "profile", "1", "add", "basisprofiel", "--date", "31-02-2026")
    assert result.exit_code == ExitCode.USAGE and "--date: '31-02-2026'" in result.stderr


def test_a_registration_years_ahead_is_refused(run: Run, db_path: Path) -> None:
    before = dump(db_path)
    result = run("coach", "add", "--reg-no", "1", "--last-name", "A", "--registered",
                 "01-01-2035")
    assert result.exit_code == ExitCode.USAGE
    assert "--registered: '01-01-2035' is more than a year after today" in result.stderr
    assert "is the year mistyped?" in result.stderr
    assert dump(db_path) == before
    from datetime import date, timedelta

    soon = date.today() + timedelta(days=30)  # noqa: DTZ011 - the command's today
    assert run("coach", "add", "--reg-no", "1", "--last-name", "A", "--registered",
               f"{soon:%d-%m-%Y}").exit_code == ExitCode.OK


def test_a_coaches_sheet_row_years_ahead_is_rejected(
        run: Run, make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([["Reg.nr", "Achternaam", "Registratiedatum"],
                      ["4700", "Visser", "01-03-2024"], ["4701", "Mulder", "01-03-2035"]])
    result = run("coach", "import", str(path))
    assert result.exit_code == ExitCode.FINDINGS
    assert "01-03-2035" in result.stdout + result.stderr
    listed = run("coach", "list", "-f", "csv").stdout
    assert "004700" in listed or "4700" in listed
    assert "4701" not in listed
