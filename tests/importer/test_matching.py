"""Which coach a row means: `matching` as pure functions over an index of plain data."""

from __future__ import annotations

from datetime import date

import pytest

from smr_register.importer.index import CoachRef, RegisterIndex, one_edit
from smr_register.importer.matching import (
    Agreement,
    Person,
    by_number,
    coach_by_number,
    exact_match,
    first_names_agree,
    given_names_agree,
    identify,
    name_agreement,
    title_fits,
)
from smr_register.importer.reasons import Outcome, Reason

JANSEN = CoachRef(1, "004512", "J.", "Jan", None, "Jansen", date(1970, 3, 1), "12345678901",
                  "active")
BERG = CoachRef(2, "100200", "A.", None, "van den", "Berg", date(1980, 5, 5), None, "active")
BAKKER = CoachRef(3, "100300", "P.", None, None, "Bakker", date(1970, 3, 1), None, "active")
AMRANI = CoachRef(6, "100600", "S.", None, None, "El Amrani", None, None, "active")
ZERO_A = CoachRef(4, "0777", "K.", None, None, "Kok", None, None, "active")
ZERO_B = CoachRef(5, "00777", "L.", None, None, "Kok", None, None, "active")


@pytest.fixture
def index() -> RegisterIndex:
    return RegisterIndex([JANSEN, BERG, BAKKER, ZERO_A, ZERO_B])


def person(name: str, reg_no: str | None = None, *, big: str | None = None,
           initial: str | None = None, birth: date | None = None) -> Person:
    return Person(reg_no, big, name, initial, birth)


@pytest.mark.parametrize(("coach", "sheet", "initial", "expected"), [
    (JANSEN, "jansen", None, Agreement.EXACT),
    (JANSEN, "jan jansen", "j", Agreement.EXACT),
    (JANSEN, "jansen", "p", Agreement.NEAR),  # the initial disagrees
    (JANSEN, "janssen", None, Agreement.NEAR),  # a typo
    (BERG, "van den berg", None, Agreement.EXACT),  # the last name without its prefix
    (AMRANI, "elamrani", None, Agreement.EXACT),  # a last name written together
    (AMRANI, "s el amrani", "s", Agreement.EXACT),
    (BAKKER, "dekker", None, Agreement.DIFFERENT),
    (JANSEN, "jacobs", None, Agreement.DIFFERENT),
])
def test_name_agreement(coach: CoachRef, sheet: str, initial: str | None,
                        expected: Agreement) -> None:
    assert name_agreement(coach, person(sheet, initial=initial)) == expected


def test_an_exact_match_needs_the_name_the_initial_and_no_other_birth_date() -> None:
    assert exact_match(JANSEN, person("jansen"))
    assert exact_match(JANSEN, person("jansen", birth=date(1970, 3, 1)))
    assert not exact_match(JANSEN, person("jansen", birth=date(1970, 3, 2)))
    assert not exact_match(JANSEN, person("jansen", initial="p"))
    assert not exact_match(JANSEN, person("janssen"))


def test_the_plain_case_is_a_known_number_whose_name_agrees(index: RegisterIndex) -> None:
    assert by_number(index, person("jansen", "004512")) is JANSEN
    assert by_number(index, person("bakker", "004512")) is None
    assert by_number(index, person("jansen", "4512")) is None  # found by `identify`, not here
    assert by_number(index, person("jansen")) is None


def test_a_number_without_its_leading_zeros_is_found(index: RegisterIndex) -> None:
    found = identify(index, person("jansen", "4512"))

    assert found.coach is JANSEN and found.outcome is None


def test_a_number_fitting_several_coaches_without_zeros_is_held(index: RegisterIndex) -> None:
    found = identify(index, person("kok", "777"))

    assert (found.outcome, found.reason) == (Outcome.HELD, Reason.NEAR_MATCH)
    assert [c["reg_no"] for c in found.candidates or []] == ["0777", "00777"]


def test_a_big_number_identifies_when_the_registration_number_is_missing(
        index: RegisterIndex) -> None:
    assert identify(index, person("jansen", big="12345678901")).coach is JANSEN


@pytest.mark.parametrize(("sheet", "birth", "reason", "candidates"), [
    ("jansen", date(1971, 3, 1), Reason.BIRTH_DATE_MISMATCH, ["004512"]),
    ("janssen", None, Reason.NEAR_MATCH, ["004512"]),
    # another name: the number's coach, and who shares the birth date with a similar name
    ("bakker", date(1970, 3, 1), Reason.NAME_MISMATCH, ["004512", "100300"]),
])
def test_a_number_whose_coach_does_not_agree_is_held_with_candidates(
        index: RegisterIndex, sheet: str, birth: date | None, reason: Reason,
        candidates: list[str]) -> None:
    found = identify(index, person(sheet, "004512", birth=birth))

    assert (found.coach, found.outcome, found.reason) == (None, Outcome.HELD, reason)
    assert [c["reg_no"] for c in found.candidates or []] == candidates


def test_without_a_number_name_and_birth_date_identify(index: RegisterIndex) -> None:
    assert identify(index, person("bakker", birth=date(1970, 3, 1))).coach is BAKKER
    near = identify(index, person("backer", birth=date(1970, 3, 1)))
    assert (near.outcome, near.reason) == (Outcome.HELD, Reason.NEAR_MATCH)
    assert [c["reg_no"] for c in near.candidates or []] == ["100300"]


def test_a_number_one_keystroke_away_is_held_never_credited(index: RegisterIndex) -> None:
    found = identify(index, person("jansen", "004521"))  # two digits swapped

    assert (found.outcome, found.reason) == (Outcome.HELD, Reason.NEAR_MATCH)
    assert found.candidates == [JANSEN.candidate("registration number 004512 is one keystroke "
                                                 "away")]


def test_no_one_of_that_number_or_name_is_an_unknown_coach(index: RegisterIndex) -> None:
    found = identify(index, person("de vries", "999999", birth=date(1990, 1, 1)))

    assert (found.outcome, found.reason) == (Outcome.REJECTED, Reason.UNKNOWN_COACH)
    assert found.message == ("not in the register: no coach with registration number 999999 or "
                             "this name and birth date")


def test_one_edit_covers_a_digit_missing_extra_mistyped_or_swapped() -> None:
    edits = set(one_edit("123"))

    assert {"23", "1023", "124", "213", "132"} <= edits
    assert "123" not in edits and "321" not in edits


@pytest.mark.parametrize(("sheet", "agenda", "fits"), [
    (None, "Motiverende gespreksvoering", True),
    ("Motiverende gespreksvoering (dag 1)", "Motiverende gespreksvoering", True),
    ("motiverende gespreksvoering", "Motiverende Gespreksvoering", True),
    ("Gespreksvoering motiverend", "Motiverende gespreksvoering", True),
    ("Longziekten voor huisartsen", "Motiverende gespreksvoering", False),
])
def test_a_title_fits_when_shortened_or_reworded_not_when_another_course(
        sheet: str | None, agenda: str, fits: bool) -> None:
    assert title_fits(sheet, agenda) is fits


OZTURK = CoachRef(7, "105361", "B.H.", "Bianca", None, "Öztürk", None, None, "active")


@pytest.mark.parametrize(("whole", "agrees"), [
    ("jose ozturk", False), ("bianca ozturk", True), ("mevr b h ozturk", True),
    ("ozturk b", True), ("ozturk", True), ("k ozturk", False), ("bh ozturk", True),
    ("b van ozturk", True), ("biance ozturk", True),  # a typo apart
])
def test_first_names_and_initials_are_read_around_the_last_name(whole: str,
                                                                 agrees: bool) -> None:
    assert given_names_agree(OZTURK, Person("105361", None, whole, None, None,
                                            whole_name=True)) is agrees


def test_a_first_name_column_must_agree_with_the_registered_first_name() -> None:
    assert not given_names_agree(OZTURK, Person(None, None, "ozturk", "b", None, "bram"))
    assert given_names_agree(OZTURK, Person(None, None, "ozturk", "b", None, "bianca"))
    assert first_names_agree("chris", "christiaan") and not first_names_agree("jan", "piet")


def test_coach_by_number_reads_a_number_as_the_sheet_writes_it(index: RegisterIndex) -> None:
    def find(number: str) -> tuple[object, list[str]]:
        coach, several = coach_by_number(number, index.by_reg.get,
                                         lambda key: index.by_stripped.get(key, ()))
        return coach, [c.reg_no for c in several]

    assert find("004512") == (JANSEN, [])
    assert find("4512") == (JANSEN, [])
    assert find("777") == (None, ["0777", "00777"])
    assert find("999") == (None, [])
