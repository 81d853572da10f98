"""Points only on proof: sheets as providers send them, imported into the demo register.

Each case was found crediting points it should not: a first name that is not the
register's, a number the register does not hold re-pointed to another coach, a name without a
number rejected though its coach is plain to see, and `import resolve` not finding the number
the sheet (and the importer) used.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import Run, dump
from tests.fixtures.imports import import_rows, ok, register_credits
from tests.fixtures.registers import Register

HEADER = ["Reg.nr", "Achternaam", "Tussenvoegsel", "Voorletters", "Voornaam", "Geb.datum",
          "Cursuscode", "Datum"]
WHOLE_NAME = ["Reg.nr", "Naam", "Cursuscode", "Datum"]
CODE, RUN = "TST-100", date(2024, 5, 14)
RUN_TEXT = "14-05-2024"


@pytest.fixture
def register(run: Run, demo_db: Register) -> Register:
    """The demo register with one more course and run, which no coach is credited for."""
    ok(run("agenda", "course", "add", "--code", CODE, "--title", "Bewijs van aanwezigheid",
           "--provider", "Academie Rookvrije Zorg", "--points", "2", "--accredited-from",
           "01-01-2020", "--accredited-until", "31-12-2030", db=demo_db))
    ok(run("agenda", "run", "add", "--course", CODE, "--date", RUN_TEXT, db=demo_db))
    return demo_db


def credits_for_course(register: Register) -> set[str]:
    """The coaches credited for the test course."""
    return {reg_no for reg_no, code, _day, _points in register_credits(register)
            if code == CODE}


def imported(run: Run, register: Register, path: Path, *args: str) -> list[dict[str, Any]]:
    """The rows of the json report of importing `path`."""
    result = run("import", "attendance", str(path), "--format", "json", *args, db=register)
    assert result.exit_code in (ExitCode.OK, ExitCode.FINDINGS), result.stderr
    return json.loads(result.stdout)["files"][0]["rows"]


def decided(row: dict[str, Any]) -> tuple[str, str | None, list[str]]:
    return row["outcome"], row["reason"], [c["reg_no"] for c in row["candidates"]]


# ---- a first name that disagrees ---------------------------------------------------------------

@pytest.mark.parametrize(("cells", "expected"), [
    # the case: B.H. Öztürk, first name Bianca, as "José Öztürk" in a whole-name column
    (["105361", "José Öztürk"], ("held", "first-name-mismatch", ["105361"])),
    (["105361", "Bianca Öztürk"], ("credited", None, [])),
    (["105361", "Mevr. B.H. Öztürk"], ("credited", None, [])),
    (["105361", "Öztürk, B."], ("credited", None, [])),
    (["105361", "Öztürk"], ("credited", None, [])),
    (["105361", "K. Öztürk"], ("held", "first-name-mismatch", ["105361"])),
])
def test_a_whole_name_whose_first_name_or_initials_differ_is_held(
        run: Run, register: Register, make_xlsx: Callable[..., Path], cells: list[Any],
        expected: tuple[str, str | None, list[str]]) -> None:
    path = make_xlsx([WHOLE_NAME, [*cells, CODE, RUN_TEXT]])

    [row] = imported(run, register, path)

    assert decided(row) == expected
    assert credits_for_course(register) == ({"105361"} if expected[0] == "credited" else set())


def test_a_first_name_column_that_differs_is_held_even_when_the_initial_agrees(
        run: Run, register: Register, make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([HEADER,
                      ["105361", "Öztürk", None, "B.", "Bram", None, CODE, RUN_TEXT],
                      ["105361", "Öztürk", None, "B.H.", "José", None, CODE, RUN_TEXT],
                      ["103627", "Jong", "de", "R.", "Renata", None, CODE, RUN_TEXT],
                      ["004579", "Amrani", "el", None, "Roos", None, CODE, RUN_TEXT]])

    rows = imported(run, register, path)

    assert [decided(r) for r in rows] == [
        ("held", "first-name-mismatch", ["105361"]),
        ("duplicate", "duplicate-in-file", ["105361"]),  # the same person and run, held once
        ("credited", None, []),  # Renata for Renate: a typo apart
        ("credited", None, []),
    ]
    assert credits_for_course(register) == {"103627", "004579"}


# ---- an unknown number -------------------------------------------------------------------------

def test_an_unknown_number_is_held_with_the_coach_its_name_and_birth_date_fit(
        run: Run, register: Register, make_xlsx: Callable[..., Path]) -> None:
    """103628 is not in the register; the name and birth date are those of 103627."""
    path = make_xlsx([HEADER, ["103628", "Jong", "de", "R.", None, "27-05-1964", CODE,
                               RUN_TEXT]])

    [row] = imported(run, register, path)

    assert decided(row) == ("held", "unknown-number", ["103627"])
    assert "registration number 103628 not in the register" in row["message"]
    assert credits_for_course(register) == set()
    review = json.loads(ok(run("import", "review", "--format", "json", db=register)).stdout)
    assert [(r["ref"], r["reason"]) for r in review["rows"]] == [("1:2", "unknown-number")]

    ok(run("import", "resolve", "1:2", "--coach", "103627", db=register))

    assert credits_for_course(register) == {"103627"}
    assert import_rows(register, 1) == {2: ("credited", "unknown-number")}


def test_an_unknown_number_with_a_known_big_number_is_held_too(
        run: Run, register: Register, make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([["Reg.nr", "Achternaam", "Voorletters", "BIG-nummer", "Cursuscode",
                       "Datum"],
                      ["999999", "Öztürk", "B.H.", "78646408080", CODE, RUN_TEXT]])

    [row] = imported(run, register, path)

    assert decided(row) == ("held", "unknown-number", ["105361"])
    assert credits_for_course(register) == set()


# ---- a name without a number -------------------------------------------------------------------

def test_a_name_without_a_number_is_held_with_its_candidates(
        run: Run, register: Register, make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([HEADER,
                      [None, "Öztürk", None, "B.", None, None, CODE, RUN_TEXT],
                      [None, "Jong", "de", "R.", "Renate", None, CODE, RUN_TEXT],
                      [None, "Onbekend", None, "X.", None, None, CODE, RUN_TEXT]])

    rows = imported(run, register, path)

    assert [decided(r) for r in rows] == [
        ("held", "no-number", ["104734", "105361"]),  # two Bianca Öztürks
        ("held", "no-number", ["103627"]),  # Renate, not Roos or Khadija de Jong
        ("rejected", "unknown-coach", []),  # no coach of that name: nothing to review
    ]
    assert credits_for_course(register) == set()


# ---- import resolve takes the number as the sheet has it ---------------------------------------

def test_resolve_takes_a_number_without_its_leading_zeros_as_the_importer_does(
        run: Run, register: Register, make_xlsx: Callable[..., Path]) -> None:
    """The sheet's 4579 is the register's 004579 (Excel dropped the zeros): held for the first
    name, it is resolved with the number the review shows."""
    path = make_xlsx([HEADER, [4579, "Amrani", "el", "R.W.", "Mohammed", None, CODE,
                               RUN_TEXT]])
    [row] = imported(run, register, path)
    assert decided(row) == ("held", "first-name-mismatch", ["004579"])

    unknown = ok(run("import", "resolve", "1:2", "--coach", "4578", db=register),
                 ExitCode.REGISTER)
    assert "no coach with registration number 4578" in unknown.stderr
    bad = ok(run("import", "resolve", "1:2", "--coach", "Jansen", db=register), ExitCode.USAGE)
    assert "--coach" in bad.stderr
    ok(run("import", "resolve", "1:2", "--coach", "4579", db=register))

    assert credits_for_course(register) == {"004579"}


def test_resolve_refuses_a_number_that_fits_several_coaches_without_zeros(
        run: Run, register: Register, make_xlsx: Callable[..., Path]) -> None:
    ok(run("coach", "add", "--reg-no", "04579", "--last-name", "Amrani", "--initials", "R.",
           "--registered", "01-01-2024", db=register))
    path = make_xlsx([HEADER, ["104579", "Amrani", None, "R.", None, None, CODE, RUN_TEXT]])
    imported(run, register, path)
    before = dump(register)

    several = ok(run("import", "resolve", "1:2", "--coach", "4579", db=register),
                 ExitCode.REGISTER)

    assert "fits 2 coaches (004579, 04579)" in several.stderr
    assert dump(register) == before


# ---- candidates in the review and in the report ------------------------------------------------

def test_held_rows_show_their_candidates_in_every_report(
        run: Run, register: Register, make_xlsx: Callable[..., Path], tmp_path: Path) -> None:
    path = make_xlsx([HEADER, ["103628", "Jong", "de", "R.", None, "27-05-1964", CODE,
                               RUN_TEXT]])
    report = tmp_path / "rapport.xlsx"

    table = run("import", "attendance", str(path), "--report", str(report), db=register)

    assert "103627 R. de Jong" in table.stdout
    review = ok(run("import", "review", db=register)).stdout
    assert "103627 R. de Jong (active)" in review
    shown = ok(run("import", "show", "1", db=register)).stdout
    assert "103627 R. de Jong" in shown
    csv_text = ok(run("import", "show", "1", "--format", "csv", db=register)).stdout
    assert "103627 R. de Jong" in csv_text
    from openpyxl import load_workbook

    sheet = load_workbook(report)["lijst"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(v for v in values if "Kandidaten" in v)
    held = values[values.index(header) + 1]
    # for the provider: who the row may be, as the public register shows coaches (no birth
    # dates, no states)
    assert held[header.index("Kandidaten")] == "103627 R. de Jong"
