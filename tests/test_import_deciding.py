"""Each row of an attendance list decided in memory: `deciding` over plain data, no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from smr_register.importer.deciding import Decider, on_run_date, reviewed_before
from smr_register.importer.index import CoachRef, CourseRef, RegisterIndex
from smr_register.importer.matching import Person
from smr_register.importer.reading import Table
from smr_register.importer.reasons import Outcome, Reason
from smr_register.importer.report import RowResult

HEADERS = ["Reg.nr", "Achternaam", "Voorletters", "Geboortedatum", "Cursuscode", "Cursusnaam",
           "Datum", "Punten"]
KEYS = ["reg_no", "last_name", "initials", "birth_date", "course_code", "course_title", "date",
        "points"]
TITLE = "Motiverende gespreksvoering"
MAY = date(2024, 5, 14)

JANSEN = CoachRef(1, "004512", "J.", None, None, "Jansen", date(1970, 3, 1), None, "active")
GONE = CoachRef(2, "100200", "P.", None, None, "Visser", None, None, "withdrawn")
LEAP = CoachRef(3, "100300", "H.", None, None, "Bos", date(1924, 2, 29), None, "active")
COURSE = CourseRef(1, "C-1", TITLE, 150, date(2024, 1, 1), date(2024, 12, 31), "Trimbos")


@pytest.fixture
def index() -> RegisterIndex:
    return RegisterIndex([JANSEN, GONE, LEAP], [COURSE],
                         [(10, 1, MAY), (11, 1, date(2024, 2, 1))])


def decider(index: RegisterIndex) -> Decider:
    table = Table(path=Path("lijst.xlsx"), sha256="0" * 64, file_type="xlsx", sheet="Blad1",
                  encoding=None, delimiter=None, header_row=1, headers=HEADERS,
                  columns={key: i for i, key in enumerate(KEYS)}, unknown=[])
    return Decider(index, table, None, keep_cells=False, today=date(2026, 1, 1))


def row(reg_no: Any = "004512", name: Any = "Jansen", initials: Any = "J.", birth: Any = None,
        code: Any = "C-1", title: Any = TITLE, on: Any = MAY, points: Any = None) -> list[Any]:
    return [reg_no, name, initials, birth, code, title, on, points]


def decided(index: RegisterIndex, *rows: list[Any]) -> list[RowResult]:
    """The rows decided and settled, numbered from 2 as below a header on row 1."""
    the_decider = decider(index)
    return [the_decider.settle(the_decider.decide(number, cells))
            for number, cells in enumerate(rows, start=2)]


def outcome(result: RowResult) -> tuple[Outcome, Reason | None]:
    return result.outcome, result.reason


def test_a_plain_row_is_credited_with_the_agendas_points(index: RegisterIndex) -> None:
    [result] = decided(index, row())

    assert outcome(result) == (Outcome.CREDITED, None)
    assert (result.coach, result.coach_id, result.course, result.run_id, result.run_date,
            result.points) == ("004512", 1, "C-1", 10, MAY, Decimal("1.5"))


def test_other_points_on_the_sheet_are_a_note_on_a_credited_row(index: RegisterIndex) -> None:
    [other] = decided(index, row(points="2"))
    [same] = decided(index, row(points="1,5"))
    [unreadable] = decided(index, row(points="veel"))

    assert outcome(other) == (Outcome.CREDITED, Reason.POINTS_DIFFER)
    assert (other.column, other.value, other.points) == ("Punten", "2", Decimal("1.5"))
    assert other.message == ("the sheet says 2 points, the training agenda 1.5: credited 1.5")
    assert outcome(same) == (Outcome.CREDITED, None)
    assert outcome(unreadable) == (Outcome.CREDITED, Reason.BAD_NUMBER)


@pytest.mark.parametrize(("cells", "reason", "column"), [
    (row(code="C-9"), Reason.UNKNOWN_COURSE, "Cursuscode"),
    (row(code=None), Reason.MISSING_VALUE, "Cursuscode"),
    (row(on=date(2025, 1, 6)), Reason.OUTSIDE_ACCREDITATION, "Datum"),
    (row(on=date(2024, 5, 15)), Reason.NO_RUN_ON_DATE, "Datum"),
    (row(on="morgen"), Reason.BAD_DATE, "Datum"),
    (row(name=None), Reason.MISSING_VALUE, "Achternaam"),
    (row(reg_no="100200", name="Visser", initials="P."), Reason.COACH_WITHDRAWN, None),
    (row(reg_no="999999", name="de Vries"), Reason.UNKNOWN_COACH, "Reg.nr"),
])
def test_rows_rejected_with_their_reason_and_column(index: RegisterIndex, cells: list[Any],
                                                    reason: Reason, column: str | None) -> None:
    [result] = decided(index, cells)

    assert outcome(result) == (Outcome.REJECTED, reason)
    assert result.column == column


def test_blank_total_and_repeated_lines(index: RegisterIndex) -> None:
    results = decided(index, row(), [None] * 8, ["", " ", "", "", "", "", "", ""],
                      [None, "Totaal", None, None, None, None, None, 3], row())

    assert [outcome(r) for r in results] == [
        (Outcome.CREDITED, None), (Outcome.SKIPPED, Reason.BLANK_ROW),
        (Outcome.SKIPPED, Reason.BLANK_ROW), (Outcome.SKIPPED, Reason.TOTAL_ROW),
        (Outcome.DUPLICATE, Reason.DUPLICATE_IN_FILE)]
    assert results[-1].message == "the same line as row 2"


def test_a_credit_already_in_the_register_or_earlier_in_the_file_is_a_duplicate(
        index: RegisterIndex) -> None:
    index.credits[(1, 10)] = "batch 3 row 7"
    [again] = decided(index, row(points="2"))
    assert outcome(again) == (Outcome.DUPLICATE, Reason.ALREADY_CREDITED)
    assert again.message == ("coach 004512 is already credited for C-1 on 14-05-2024 "
                             "(batch 3 row 7)")
    assert (again.column, again.value) == (None, None)

    index.credits.clear()
    first, second = decided(index, row(), row(initials="J"))
    assert outcome(first) == (Outcome.CREDITED, None)
    assert outcome(second) == (Outcome.DUPLICATE, Reason.DUPLICATE_IN_FILE)
    assert second.message == "coach 004512 for C-1 on 14-05-2024 is credited by row 2"


def test_another_title_under_the_code_is_held_with_the_coach_as_candidate(
        index: RegisterIndex) -> None:
    [result] = decided(index, row(title="Longziekten voor huisartsen"))

    assert outcome(result) == (Outcome.HELD, Reason.COURSE_TITLE_MISMATCH)
    assert (result.coach, result.coach_id, result.run_id) == (None, None, 10)
    assert result.candidates == [JANSEN.candidate("identified by the row")]
    assert result.identity == "reg:004512|big:|name:jansen|born:"


def test_the_same_person_held_twice_is_held_once(index: RegisterIndex) -> None:
    first, second = decided(index, row(name="Janssen"), row(name="Janssen", points=1.5))

    assert outcome(first) == (Outcome.HELD, Reason.NEAR_MATCH)
    assert outcome(second) == (Outcome.DUPLICATE, Reason.DUPLICATE_IN_FILE)
    assert second.message == "the same person and course run as row 2 (held)"
    assert second.identity is None and second.candidates == first.candidates


@pytest.mark.parametrize(("before", "expected", "message"), [
    ("held", (Outcome.DUPLICATE, Reason.ALREADY_HELD), "already waiting for review as 3:7"),
    ("credited", (Outcome.DUPLICATE, Reason.ALREADY_CREDITED),
     "resolved on review as 3:7: credited to coach 004512"),
    ("rejected", (Outcome.REJECTED, Reason.REJECTED_ON_REVIEW), "rejected on review as 3:7"),
])
def test_a_row_held_in_an_earlier_batch_is_not_queued_again(
        index: RegisterIndex, before: str, expected: tuple[Outcome, Reason],
        message: str) -> None:
    index.held[(10, "reg:004512|big:|name:janssen|born:")] = ("3:7", before, "004512")

    [result] = decided(index, row(name="Janssen"))

    assert (outcome(result), result.message) == (expected, message)
    assert reviewed_before("3:7", before, "004512") == (*expected, message)


def test_a_birth_date_after_the_course_is_a_century_earlier(index: RegisterIndex) -> None:
    """Born 29-02-24: in 2024 for a course of May 2024, a century earlier for a course of
    February 2024, and 1924 had a 29 February."""
    may, february = decided(index, row("100300", "Bos", "H.", date(2024, 2, 29)),
                            row("100300", "Bos", "H.", date(2024, 2, 29), on=date(2024, 2, 1)))

    assert outcome(may) == (Outcome.HELD, Reason.BIRTH_DATE_MISMATCH)
    assert outcome(february) == (Outcome.CREDITED, None)
    person = Person("100300", None, "bos", "h", date(2024, 2, 29))
    assert on_run_date(person, date(2024, 2, 1)).birth == date(1924, 2, 29)
    assert on_run_date(person, MAY) is person
