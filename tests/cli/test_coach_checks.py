"""What the register refuses to record: hours of a year not yet begun or more than the year
has, and a coach linked to an intervention the register does not list on that date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from smr_register.errors import ExitCode, InvalidValue
from smr_register.services.coach_records import check_practice_year
from tests.fixtures import Run, dump

COACH = ["coach", "add", "--reg-no", "100234", "--last-name", "Berg", "--education", "mbo4",
         "--registered", "01-10-2019"]


def test_hours_of_the_current_year_are_taken_and_of_the_next_refused(run: Run,
                                                                     db_path: Path) -> None:
    assert run(*COACH).exit_code == ExitCode.OK
    this_year = date.today().year  # noqa: DTZ011 - the command reads the same clock
    assert run("coach", "hours", "100234", "--year", str(this_year), "--hours", "10"
               ).exit_code == ExitCode.OK
    before = dump(db_path)
    future = run("coach", "hours", "100234", "--year", str(this_year + 1), "--hours", "10")
    assert future.exit_code == ExitCode.USAGE
    assert "--year" in future.stderr and "is in the future" in future.stderr
    counts = run("coach", "hours", "100234", "--year", str(this_year + 1), "--intakes", "3")
    assert counts.exit_code == ExitCode.USAGE
    assert dump(db_path) == before


def test_more_hours_than_the_year_has_are_refused(run: Run, db_path: Path) -> None:
    assert run(*COACH).exit_code == ExitCode.OK
    assert run("coach", "hours", "100234", "--year", "2024", "--hours", "8784"
               ).exit_code == ExitCode.OK  # a leap year
    before = dump(db_path)
    over = run("coach", "hours", "100234", "--year", "2023", "--hours", "8760,01")
    assert over.exit_code == ExitCode.USAGE
    assert "more than 2023 has (8,760 hours)" in over.stderr
    assert dump(db_path) == before


@pytest.mark.parametrize(("year", "today", "ok"), [
    (2026, date(2026, 12, 31), True), (2027, date(2026, 12, 31), False),
    (2027, date(2027, 1, 1), True), (2026, date(2026, 1, 1), True),
])
def test_a_year_is_recorded_from_its_first_day(year: int, today: date, ok: bool) -> None:
    if ok:
        check_practice_year(year, Decimal(1), today)
    else:
        with pytest.raises(InvalidValue, match="in the future"):
            check_practice_year(year, Decimal(1), today)


@pytest.mark.parametrize(("year", "hours", "ok"), [
    (2023, "8759.99", True), (2023, "8760", True), (2023, "8760.01", False),
    (2024, "8784", True), (2024, "8784.01", False),
])
def test_hours_up_to_what_the_year_has(year: int, hours: str, ok: bool) -> None:
    if ok:
        check_practice_year(year, Decimal(hours), date(2026, 12, 1))
    else:
        with pytest.raises(InvalidValue, match="more than"):
            check_practice_year(year, Decimal(hours), date(2026, 12, 1))


@pytest.fixture
def listed(run: Run) -> None:
    assert run(*COACH).exit_code == ExitCode.OK
    assert run("intervention", "add", "--name", "StopStart Online", "--since", "01-06-2017",
               "--until", "31-12-2024").exit_code == ExitCode.OK


@pytest.mark.usefixtures("listed")
@pytest.mark.parametrize(("on", "ok"), [
    ("31-05-2017", False), ("01-06-2017", True), ("31-12-2024", True), ("01-01-2025", False),
])
def test_a_coach_is_linked_only_while_the_register_lists_it(run: Run, on: str,
                                                            ok: bool) -> None:
    result = run("coach", "intervention", "100234", "add", "StopStart Online", "--date", on)
    if ok:
        assert result.exit_code == ExitCode.OK, result.stderr
    else:
        assert result.exit_code == ExitCode.REGISTER
        assert "listed from 01-06-2017 until 31-12-2024" in result.stderr
        assert "only while the register lists it" in result.stderr


@pytest.mark.usefixtures("listed")
def test_an_intervention_no_longer_listed_today_is_refused(run: Run, db_path: Path) -> None:
    before = dump(db_path)
    result = run("coach", "intervention", "100234", "add", "StopStart Online")
    assert result.exit_code == ExitCode.REGISTER
    assert dump(db_path) == before
