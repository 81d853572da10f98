"""Points only for attendance that happened: absent people and runs still to come earn nothing.

An attendance column (Aanwezig, Afwezig, Present, ...) is read, not reported as "not used": an
absent row is rejected, an unclear one held. A run that has not taken place on the date of entry
(`--as-of`, default today, never later) earns nothing yet, imported or credited by hand.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import Run, dump
from tests.fixtures.imports import ok, register_credits
from tests.fixtures.registers import Register

CODE, RUN_TEXT = "TST-100", "14-05-2024"
LATER = "01-03-2027"  # a run the agenda announces, after the date of entry of these tests
ENTRY = "30-11-2026"


@pytest.fixture
def register(run: Run, demo_db: Register) -> Register:
    """The demo register with one more course, with a run held and a run still to come."""
    ok(run("agenda", "course", "add", "--code", CODE, "--title", "Bewijs van aanwezigheid",
           "--provider", "Academie Rookvrije Zorg", "--points", "2", "--accredited-from",
           "01-01-2020", "--accredited-until", "31-12-2030", db=demo_db))
    for day in (RUN_TEXT, LATER):
        ok(run("agenda", "run", "add", "--course", CODE, "--date", day, db=demo_db))
    return demo_db


def credited(register: Register) -> set[tuple[str, date]]:
    return {(reg_no, day) for reg_no, code, day, _points in register_credits(register)
            if code == CODE}


def imported(run: Run, register: Register, path: Path, *args: str) -> tuple[Any, list[Any]]:
    result = run("import", "attendance", str(path), "--format", "json", *args, db=register)
    assert result.exit_code in (ExitCode.OK, ExitCode.FINDINGS), result.stderr
    return result, json.loads(result.stdout)["files"][0]["rows"]


def decided(row: dict[str, Any]) -> tuple[str, str | None]:
    return row["outcome"], row["reason"]


# ---- attendance columns ------------------------------------------------------------------------

def test_absent_rows_earn_nothing_and_the_column_is_used(
        run: Run, register: Register, make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([["Reg.nr", "Achternaam", "Voorletters", "Cursuscode", "Datum",
                       "Aanwezig", "Opmerking"],
                      ["103627", "Jong", "R.", CODE, RUN_TEXT, "ja"],
                      ["105361", "Öztürk", "B.H.", CODE, RUN_TEXT, "nee"],
                      ["004579", "Amrani", "R.W.", CODE, RUN_TEXT, "X"],
                      ["104734", "Öztürk", "B.A.", CODE, RUN_TEXT, None],
                      ["101072", "Jong", "K.", CODE, RUN_TEXT, "deels"],
                      ["103757", "Jong", "M.", CODE, RUN_TEXT, 0],
                      ["004919", "Jong", "R.J.", CODE, RUN_TEXT, "afwezig"]])

    result, rows = imported(run, register, path)

    assert [decided(r) for r in rows] == [
        ("credited", None), ("rejected", "absent"), ("credited", None),
        ("rejected", "missing-value"), ("held", "attendance-unclear"), ("rejected", "absent"),
        ("rejected", "absent")]
    assert rows[1]["message"] == "Aanwezig says 'nee': absent, so no points"
    assert (rows[1]["column"], rows[1]["value"]) == ("Aanwezig", "nee")
    assert rows[3]["message"] == "Aanwezig is empty: attendance is not recorded"
    assert [c["reg_no"] for c in rows[4]["candidates"]] == ["101072"]
    assert "'deels'" in rows[4]["message"]
    assert credited(register) == {("103627", date(2024, 5, 14)), ("004579", date(2024, 5, 14))}
    assert "columns not used: Opmerking" in result.stderr
    assert "rejected: absent 3, missing-value 1" in result.stderr

    ok(run("import", "resolve", "1:6", "--coach", "101072", db=register))  # after a call
    assert ("101072", date(2024, 5, 14)) in credited(register)


def test_an_absence_column_reads_the_other_way_round(
        run: Run, register: Register, make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([["Reg.nr", "Achternaam", "Voorletters", "Cursuscode", "Datum", "Afwezig"],
                      ["103627", "Jong", "R.", CODE, RUN_TEXT, None],
                      ["105361", "Öztürk", "B.H.", CODE, RUN_TEXT, "x"],
                      ["004579", "Amrani", "R.W.", CODE, RUN_TEXT, "nee"],
                      ["104734", "Öztürk", "B.A.", CODE, RUN_TEXT, "afwezig"],
                      ["101072", "Jong", "K.", CODE, RUN_TEXT, "aanwezig"],
                      ["103757", "Jong", "M.", CODE, RUN_TEXT, "?"]])

    _result, rows = imported(run, register, path)

    assert [decided(r) for r in rows] == [
        ("credited", None), ("rejected", "absent"), ("credited", None), ("rejected", "absent"),
        ("credited", None), ("held", "attendance-unclear")]
    assert rows[1]["message"] == "Afwezig says 'x': absent, so no points"


@pytest.mark.parametrize(("header", "present", "absent"), [
    ("Aanwezigheid", "aanwezig", "afwezig"),
    ("Present", "yes", "no"),
    ("Attendance", "present", "absent"),
    ("Aanwezig (j/n)", "j", "n"),
    ("Aanwezig", True, False),
    ("Aanwezig", 1, "0"),
    ("Afgemeld", "nee", "ja"),
])
def test_attendance_columns_in_dutch_and_english(
        run: Run, register: Register, make_xlsx: Callable[..., Path], header: str,
        present: Any, absent: Any) -> None:
    path = make_xlsx([["Reg.nr", "Achternaam", "Voorletters", "Cursuscode", "Datum", header],
                      ["103627", "Jong", "R.", CODE, RUN_TEXT, present],
                      ["105361", "Öztürk", "B.H.", CODE, RUN_TEXT, absent]])

    _result, rows = imported(run, register, path)

    assert [decided(r) for r in rows] == [("credited", None), ("rejected", "absent")]


# ---- attendance before it happened -------------------------------------------------------------

def test_a_run_after_the_date_of_entry_earns_nothing_yet(
        run: Run, register: Register, make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([["Reg.nr", "Achternaam", "Voorletters", "Cursuscode", "Datum"],
                      ["103627", "Jong", "R.", CODE, RUN_TEXT],
                      ["105361", "Öztürk", "B.H.", CODE, LATER]])

    _result, rows = imported(run, register, path, "--as-of", ENTRY)

    assert [decided(r) for r in rows] == [("credited", None), ("rejected", "run-not-yet-held")]
    assert rows[1]["message"] == ("TST-100 on 01-03-2027 has not taken place on the date of "
                                  "entry, 30-11-2026: attendance earns points once it has")
    assert credited(register) == {("103627", date(2024, 5, 14))}


@pytest.mark.parametrize(("entry", "expected"), [
    ("13-05-2024", ("rejected", "run-not-yet-held")),  # the day before the run
    ("14-05-2024", ("credited", None)),  # the day of the run
    ("15-05-2024", ("credited", None)),  # the day after
])
def test_the_run_counts_from_its_own_day(
        run: Run, register: Register, make_xlsx: Callable[..., Path], entry: str,
        expected: tuple[str, str | None]) -> None:
    path = make_xlsx([["Reg.nr", "Achternaam", "Voorletters", "Cursuscode", "Datum"],
                      ["103627", "Jong", "R.", CODE, RUN_TEXT]])

    _result, [row] = imported(run, register, path, "--as-of", entry)

    assert decided(row) == expected


def test_a_manual_credit_for_a_run_still_to_come_is_refused(
        run: Run, register: Register) -> None:
    before = dump(register)

    refused = ok(run("credit", "add", "103627", "--course", CODE, "--date", LATER, "--as-of",
                     ENTRY, db=register), ExitCode.USAGE)

    assert ("--date: '01-03-2027' has not taken place on the date of entry, 30-11-2026: "
            "attendance earns points once it has") in refused.stderr
    assert dump(register) == before
    ok(run("credit", "add", "103627", "--course", CODE, "--date", RUN_TEXT, "--as-of", ENTRY,
           db=register))
    assert credited(register) == {("103627", date(2024, 5, 14))}


def test_the_date_of_entry_is_never_after_today(
        run: Run, register: Register, make_xlsx: Callable[..., Path]) -> None:
    tomorrow = (date.today() + timedelta(days=1)).strftime("%d-%m-%Y")  # noqa: DTZ011
    path = make_xlsx([["Reg.nr", "Achternaam", "Voorletters", "Cursuscode", "Datum"],
                      ["103627", "Jong", "R.", CODE, RUN_TEXT]])
    before = dump(register)

    imports = ok(run("import", "attendance", str(path), "--as-of", tomorrow, db=register),
                 ExitCode.USAGE)
    manual = ok(run("credit", "add", "103627", "--course", CODE, "--date", RUN_TEXT,
                    "--as-of", tomorrow, db=register), ExitCode.USAGE)

    for refused in (imports, manual):
        assert f"--as-of: '{tomorrow}' is after today" in refused.stderr
    assert dump(register) == before
