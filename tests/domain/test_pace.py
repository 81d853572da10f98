"""The statuses before the renewal window: on-track or behind the expected pace.

The period 01-01-2022 to 31-12-2026 has its anniversaries on 1 January; the renewal window opens
182 days before the end, on 02-07-2026. Each threshold is tested the day before, on and after.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from smr_register.domain.wording import STATUS_MEANINGS
from smr_register.rules import (
    FLAGGED,
    CoachFacts,
    Decision,
    Pace,
    Period,
    Status,
    assess,
    coach_has_findings,
    has_findings,
)
from tests.domain.test_rules import END, RULES, START, coach, credit

DAY = timedelta(days=1)
WINDOW = END - timedelta(days=182)  # 02-07-2026, the first day of the renewal window
NOTHING = coach(credited=(), hours={})


def at_pace(years: int) -> CoachFacts:
    """Exactly what the pace asks after `years` whole years: 3 points and 20 hours a year, the
    points in a new calendar year every other year (1 of 3 after 2 years, 2 after 4), the hours
    in a calendar year of their own each year (their spread over 5 years keeps pace too)."""
    points = tuple(credit(date(2022 + 2 * i, 3, 1), "3") for i in range((years + 1) // 2))
    extra = (credit(date(2022, 6, 1), str(3 * years - 3 * len(points))),) if years else ()
    return coach(credited=points + extra,
                 hours={2022 + i: Decimal(20) for i in range(years)})


def status(facts: CoachFacts, on: date) -> Status:
    return assess(facts, RULES, on).status


@pytest.mark.parametrize(("on", "expected"), [
    (date(2022, 12, 31), Status.ON_TRACK),  # no whole year passed: nothing expected yet
    (date(2023, 1, 1), Status.BEHIND),  # first anniversary: 3 points, 20 hours expected
    (date(2023, 1, 2), Status.BEHIND),
])
def test_nothing_done_is_behind_from_the_first_anniversary(on: date, expected: Status) -> None:
    assert status(NOTHING, on) is expected


@pytest.mark.parametrize("years", [1, 2, 3, 4])
def test_exactly_at_pace_is_on_track_until_the_next_anniversary(years: int) -> None:
    facts = at_pace(years)
    anniversary = date(2022 + years, 1, 1)
    assert status(facts, anniversary) is Status.ON_TRACK
    assert status(facts, anniversary + DAY) is Status.ON_TRACK
    next_one = date(2023 + years, 1, 1)
    if next_one < WINDOW:
        assert status(facts, next_one - DAY) is Status.ON_TRACK
        assert status(facts, next_one) is Status.BEHIND


def test_the_renewal_window_replaces_the_pace() -> None:
    """Behind the day before the window; at-risk on its first day and after."""
    assert status(NOTHING, WINDOW - DAY) is Status.BEHIND
    assert status(NOTHING, WINDOW) is Status.AT_RISK
    assert status(NOTHING, WINDOW + DAY) is Status.AT_RISK
    assert assess(NOTHING, RULES, WINDOW).pace is None
    assert assess(NOTHING, RULES, WINDOW - DAY).pace == Pace(4, 5, Decimal(1))


def test_years_with_points_are_expected_rounded_down() -> None:
    """3 years in 5: after 2 years 1.2 -> 1, after 4 years 2.4 -> 2."""
    assert Pace(2, 5, Decimal(1)).expected(3) == 1
    assert Pace(4, 5, Decimal(1)).expected(3) == 2
    one_year = coach(credited=(credit(date(2022, 3, 1), "15"),))  # hours spread over 5 years
    assert status(one_year, date(2025, 12, 31)) is Status.ON_TRACK
    assert status(one_year, date(2026, 1, 1)) is Status.BEHIND
    found = assess(one_year, RULES, date(2026, 1, 1)).finding("spread")
    assert (found.expected, found.behind) == (2, True)


def test_amounts_are_expected_rounded_up_to_a_tenth() -> None:
    assert Pace(1, 3, Decimal(1)).expected(Decimal(100)) == Decimal("33.4")
    assert Pace(2, 5, Decimal("0.5")).expected(Decimal(15)) == Decimal(3)


def test_the_pace_share_is_the_rules_files() -> None:
    lenient = replace(RULES, pace_share=Decimal(0))
    assert assess(NOTHING, lenient, WINDOW - DAY).status is Status.ON_TRACK
    half = replace(RULES, pace_share=Decimal("0.5"))
    found = assess(NOTHING, half, date(2024, 1, 1)).finding("points")
    assert found.expected == Decimal(3)


def test_behind_says_what_the_pace_expects_by_now() -> None:
    found = assess(at_pace(1), RULES, date(2024, 1, 1)).finding("points")
    assert found.behind and found.expected == Decimal(6)
    assert found.sentence.endswith("After 2 of the 5 years of your period, 6 are expected by "
                                   "now to keep pace.")
    assert found.short == "12 points (6 expected by now)"
    assert not assess(at_pace(1), RULES, date(2024, 1, 1)).finding("spread").behind


def test_a_changed_minimum_sets_the_pace_and_a_waiver_removes_it() -> None:
    lower = Decision("points", "part-time", "Kwaliteitscommissie SMR", date(2022, 1, 1),
                     value=Decimal(5))
    facts = replace(at_pace(1), exceptions=(lower,))
    found = assess(facts, RULES, date(2024, 1, 1)).finding("points")
    assert (found.expected, found.behind) == (Decimal(2), False)
    waived = replace(lower, value=None)
    found = assess(replace(NOTHING, exceptions=(waived,)), RULES, date(2024, 1, 1)).finding(
        "points")
    assert found.met and found.expected is None


def test_basisprofiel_missing_in_the_transition_is_behind() -> None:
    old = coach(profiles={}, periods=(Period(date(2017, 1, 1), START - DAY), Period(START, END)))
    assert status(old, date(2025, 8, 31)) is Status.BEHIND
    assert status(old, date(2025, 9, 2)) is Status.NON_COMPLIANT


def test_a_renewed_period_starts_its_pace_again() -> None:
    renewed = Period(END + DAY, date(2031, 12, 31), renewed_on=WINDOW)
    facts = replace(coach(), periods=(Period(START, END), renewed))
    assert status(facts, WINDOW) is Status.RENEWED
    assert status(facts, date(2027, 12, 31)) is Status.ON_TRACK
    assert status(facts, date(2028, 1, 1)) is Status.BEHIND


def test_every_status_is_explained() -> None:
    assert set(STATUS_MEANINGS) == {s.value for s in Status}


def test_which_statuses_are_findings() -> None:
    assert {Status.DUE, Status.AT_RISK, Status.NON_COMPLIANT, Status.EXPIRED} == FLAGGED
    assert not has_findings(["on-track", "behind", "renewed", "suspended"], ())
    assert has_findings(["behind"], (Status.BEHIND,))
    assert has_findings(["suspended"], (Status.SUSPENDED,))
    assert [s.value for s in Status if coach_has_findings(s)] == [
        "due", "at-risk", "non-compliant", "expired", "suspended", "withdrawn"]
