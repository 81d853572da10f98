"""Tables at the terminal: at 60, 80 and 100 columns a date, a number, a registration number
or a status is never cut; less important columns are left out and named under the table."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from smr_register.cli import app
from smr_register.errors import ExitCode
from tests.fixtures.imports import HEADER, MESSY_ROWS, TITLE_ROWS, build_register, ok

AS_OF = "01-12-2026"
WIDTHS = (60, 80, 100)
LEFT_OUT = "Left out for lack of width"


def smr(register: Any, width: int, *args: str) -> Result:
    """`smr --db register args` at a terminal `width` columns wide (output for people)."""
    return CliRunner().invoke(app, ["--db", str(register), *args], env={"COLUMNS": str(width)},
                              catch_exceptions=False)


def csv_rows(register: Any, *args: str) -> list[dict[str, str]]:
    result = smr(register, 200, *args, "--format", "csv")
    return list(csv.DictReader(io.StringIO(result.stdout)))


def shown(day: str) -> str:
    """An ISO date as the table shows it."""
    return f"{date.fromisoformat(day):%d-%m-%Y}" if day else ""


def line_with(output: str, token: str) -> str:
    """The one line of the table where `token` stands as a whole cell (between borders)."""
    lines = [line for line in output.splitlines()
             if re.search(rf"[│┃]\s*{re.escape(token)}\s*[│┃]", line)]
    assert lines, f"{token!r} is not a whole cell in:\n{output}"
    return lines[0]


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in re.split(r"[│┃]", line)[1:-1]]


def fits(output: str, width: int) -> None:
    assert "…" not in output, output
    assert max((len(line) for line in output.splitlines()), default=0) <= width, output


@pytest.mark.parametrize("width", WIDTHS)
def test_audit_at_risk_keeps_numbers_dates_and_statuses_whole(demo_db: Path,
                                                              width: int) -> None:
    rows = csv_rows(demo_db, "audit", "--as-of", AS_OF, "--status", "at-risk")
    assert rows
    result = smr(demo_db, width, "audit", "--as-of", AS_OF, "--status", "at-risk")
    assert result.exit_code == ExitCode.FINDINGS
    fits(result.stdout, width)
    for row in rows:
        line = cells(line_with(result.stdout, row["reg_no"]))
        assert "at-risk" in line
        assert shown(row["valid_until"]) in line
        assert row["days_left"] in line
    if width < 100:  # the rule columns give way first, and the table says so
        assert LEFT_OUT in result.stdout and "Hours" in result.stdout.split(LEFT_OUT)[1]
    else:
        assert LEFT_OUT not in result.stdout


@pytest.mark.parametrize("width", WIDTHS)
def test_audit_of_everyone_keeps_every_status_whole(demo_db: Path, width: int) -> None:
    rows = csv_rows(demo_db, "audit", "--as-of", AS_OF)
    result = smr(demo_db, width, "audit", "--as-of", AS_OF)
    fits(result.stdout, width)
    for row in rows:
        assert row["status"] in cells(line_with(result.stdout, row["reg_no"]))


@pytest.mark.parametrize("width", WIDTHS)
def test_coach_list_keeps_registration_numbers_states_and_dates(demo_db: Path,
                                                                width: int) -> None:
    rows = csv_rows(demo_db, "coach", "list")
    result = smr(demo_db, width, "coach", "list")
    fits(result.stdout, width)
    for row in rows[:60]:
        line = cells(line_with(result.stdout, row["reg_no"]))
        assert row["state"] in line
        if "Valid until" not in result.stdout.split(LEFT_OUT)[-1]:
            assert shown(row["valid_until"]) in line
    assert "Profiles" in result.stdout.split(LEFT_OUT)[1]


@pytest.mark.parametrize("width", WIDTHS)
def test_agenda_supervisors_and_reports_fit_without_cutting(demo_db: Path, width: int) -> None:
    for args in (("agenda", "list"), ("supervisor", "list"),
                 ("report", "expiry", "--as-of", AS_OF),
                 ("report", "stats", "--as-of", AS_OF),
                 ("report", "public", "--as-of", AS_OF, "--format", "table"),
                 ("coach", "show", "101248")):
        result = smr(demo_db, width, *args)
        assert result.exit_code in (ExitCode.OK, ExitCode.FINDINGS), result.output
        fits(result.stdout, width)
    for row in csv_rows(demo_db, "agenda", "list")[:20]:
        line = cells(line_with(smr(demo_db, width, "agenda", "list").stdout, row["code"]))
        assert row["points"] in line
        assert shown(row["accredited_until"]) in line
    expiry = smr(demo_db, width, "report", "expiry", "--as-of", AS_OF).stdout
    for row in csv_rows(demo_db, "report", "expiry", "--as-of", AS_OF):
        line = cells(line_with(expiry, row["reg_no"]))
        assert row["status"] in line and shown(row["valid_until"]) in line
    supervisors = smr(demo_db, width, "supervisor", "list").stdout
    for row in csv_rows(demo_db, "supervisor", "list"):
        assert row["count"] in cells(line_with(supervisors, row["supervisor"]))


@pytest.fixture
def imported(run: Any, db_path: Any, make_xlsx: Any) -> Any:
    """A register with one attendance import: credited, held and rejected rows."""
    build_register(run)
    sheet = make_xlsx([[], HEADER, *MESSY_ROWS], title_rows=TITLE_ROWS, merge_title=True,
                      name="presentielijst-trimbos-2024.xlsx")
    ok(run("import", "attendance", str(sheet)), ExitCode.FINDINGS)
    return db_path


@pytest.mark.parametrize("width", WIDTHS)
def test_import_tables_keep_numbers_and_outcomes(imported: Any, width: int) -> None:
    batches = csv_rows(imported, "import", "list")
    result = smr(imported, width, "import", "list")
    fits(result.stdout, width)
    line = cells(line_with(result.stdout, batches[0]["batch"]))
    for key in ("rows", "credited", "held", "rejected"):
        assert batches[0][key] in line
    assert "sha256" in result.stdout.split(LEFT_OUT)[1]
    shown_rows = smr(imported, width, "import", "show", batches[0]["batch"]).stdout
    fits(shown_rows, width)
    for row in csv_rows(imported, "import", "show", batches[0]["batch"]):
        line = cells(line_with(shown_rows, row["row"]))
        assert row["outcome"] in line
    review = smr(imported, width, "import", "review").stdout
    fits(review, width)
    for row in csv_rows(imported, "import", "review"):
        assert row["ref"] in review
