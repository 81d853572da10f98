"""Malformed spreadsheets, CSVs and command-line values: never an internal error (exit 70) or a
traceback, and nothing written whenever the exit code says nothing was written.

Bounded for CI (hypothesis, a few dozen examples per test); SMR_FUZZ_EXAMPLES=2000 runs longer.
"""

from __future__ import annotations

import csv
import os
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from smr_register.cli import app
from smr_register.errors import ExitCode
from tests.fixtures import dump
from tests.fixtures.imports import HEADER, build_register

EXAMPLES = int(os.environ.get("SMR_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

# Headers the importers know, headers they do not, and hostile ones.
HEADERS = [*HEADER, "Registratienummer", "Cursuscode", "Titel", "Aanbieder", "Punten",
           "Geaccrediteerd van", "Geaccrediteerd tot", "Datum uitvoering", "Achternaam",
           "Registratiedatum", "Geboortedatum", "Aanwezig", "", "?", "=1+1",
           '=HYPERLINK("http://x.invalid","klik")', "Punten", "Datum"]

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
NUMBER = st.one_of(st.integers(min_value=-10**25, max_value=10**25),
                   st.floats(allow_nan=True, allow_infinity=True),
                   st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str))
DATE_TEXT = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(
        lambda d: d.strftime("%d-%m-") + f"{d.year:04d}"),
    st.sampled_from(["31-02-2026", "00-00-0000", "9999-12-31", "0001-01-01", "1-1-1",
                     "2026-13-01", "14-05-2024", "12/31/2024", "gisteren"]))
CELL = st.one_of(st.none(), TEXT, NUMBER, DATE_TEXT,
                 st.datetimes(min_value=datetime(1900, 3, 1),  # noqa: DTZ001 - cells have no zone
                              max_value=datetime(9999, 1, 1)),  # noqa: DTZ001
                 st.sampled_from(["004512", "100234", "C-2024-017", "C-2024-020", "1,5",
                                  "1.000.000,5", "１２３４５６", "Totaal", "nee", "=1+1"]))
SHEET = st.tuples(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10),
                  st.lists(st.lists(CELL, max_size=12), max_size=15))


@pytest.fixture(scope="module")
def small_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The import tests' register: five coaches, three courses (built once)."""
    path = tmp_path_factory.mktemp("fuzz") / "register.sqlite"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(path), "init"]).exit_code == 0

    def run(*args: str) -> Any:
        return runner.invoke(app, ["--db", str(path), *args], catch_exceptions=False)

    build_register(run)
    return path


def _check(register: Path, args: list[str], tmp: Path) -> None:
    """Run the command on a copy; exit 70 or a traceback fails, and so does a write when the
    exit code is 2 or more (usage, input, register, database: nothing written)."""
    copy = tmp / "copy.sqlite"
    shutil.copyfile(register, copy)
    before = dump(copy)
    result = CliRunner().invoke(app, ["--db", str(copy), *args])
    assert result.exit_code != ExitCode.INTERNAL, (args, result.stderr)
    assert "Traceback" not in result.stderr, (args, result.stderr)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), (args, repr(result.exception))
    if result.exit_code >= ExitCode.USAGE or "--dry-run" in args:
        assert dump(copy) == before, (args, result.exit_code, result.stderr)


def _xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append([_openpyxl_safe(v) for v in row])
    book.save(path)
    return path


def _openpyxl_safe(value: Any) -> Any:
    """openpyxl refuses control characters and numbers Excel cannot hold; a provider's program
    would not write them either, so they become text (still hostile)."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    if isinstance(value, int) and abs(value) > 2**53:
        return str(value)
    return value


def _csv(path: Path, header: list[str], rows: list[list[Any]], delimiter: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        for row in [header, *rows]:
            writer.writerow(["" if v is None else str(v) for v in row])
    return path


IMPORTS = [["import", "attendance"], ["agenda", "import"], ["coach", "import"]]


@FUZZ
@given(sheet=SHEET, command=st.sampled_from(IMPORTS), dry=st.booleans())
def test_malformed_spreadsheets(small_register: Path, tmp_path: Path,
                                sheet: tuple[list[str], list[list[Any]]], command: list[str],
                                dry: bool) -> None:
    header, rows = sheet
    path = _xlsx(tmp_path / "sheet.xlsx", header, rows)
    _check(small_register, [*command, str(path), *(["--dry-run"] if dry else [])], tmp_path)


@FUZZ
@given(sheet=SHEET, command=st.sampled_from(IMPORTS), delimiter=st.sampled_from(";,\t|"))
def test_malformed_csv(small_register: Path, tmp_path: Path,
                       sheet: tuple[list[str], list[list[Any]]], command: list[str],
                       delimiter: str) -> None:
    header, rows = sheet
    path = _csv(tmp_path / "sheet.csv", header, rows, delimiter)
    _check(small_register, [*command, str(path)], tmp_path)


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".xlsx", ".xls", ".ods", ".csv"]),
       command=st.sampled_from(IMPORTS))
def test_files_that_are_not_spreadsheets(small_register: Path, tmp_path: Path, data: bytes,
                                         suffix: str, command: list[str]) -> None:
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(data)
    _check(small_register, [*command, str(path)], tmp_path)


VALUE = st.one_of(TEXT, NUMBER.map(str), DATE_TEXT,
                  st.sampled_from(["10000000000000000000000", "1e308", "-1", "0", "1_000",
                                   "999999999999", "31-12-9999", "01-01-0001", "%", "_",
                                   "[bold red]x[/]", "x" * 5000, "１２３４５６"]))
COMMANDS = [
    lambda v: ["audit", "--as-of", v],
    lambda v: ["audit", "--due-within", v],
    lambda v: ["audit", v],
    lambda v: ["report", "expiry", "--within", v],
    lambda v: ["report", "notices", "--as-of", v],
    lambda v: ["renew", "004512", "--as-of", v, "--dry-run"],
    lambda v: ["coach", "list", "--search", v],
    lambda v: ["coach", "show", v],
    lambda v: ["coach", "add", "--reg-no", v, "--last-name", "Test", "--registered",
               "01-01-2024"],
    lambda v: ["coach", "add", "--reg-no", "555555", "--last-name", v, "--registered", v],
    lambda v: ["coach", "hours", "004512", "--year", "2024", "--hours", v],
    lambda v: ["coach", "hours", "004512", "--year", v, "--hours", "10"],
    lambda v: ["agenda", "course", "add", "--code", v, "--title", "T", "--provider",
               "Trimbos-instituut", "--points", v, "--accredited-from", "01-01-2024",
               "--accredited-until", "31-12-2024"],
    lambda v: ["credit", "add", "004512", "--course", "C-2024-017", "--date", v],
    lambda v: ["exception", "add", "004512", "--rule", "points", "--reason", "r",
               "--decided-by", "QC", "--value", v],
    lambda v: ["import", "show", v],
    lambda v: ["import", "undo", v, "--reason", "r"],
    lambda v: ["privacy", "purge", "--inactive-years", v, "--dry-run"],
]


@FUZZ
@given(value=VALUE, make=st.sampled_from(COMMANDS))
def test_malformed_command_values(small_register: Path, tmp_path: Path, value: str,
                                  make: Any) -> None:
    _check(small_register, make(value), tmp_path)
