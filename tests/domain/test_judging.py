"""Which version judges a period: a version's `applies_to`, tested around its date.

A proposed version 2027.1 (20 points, in force from 01-01-2027) is added to the packaged rules
as `running`, `starting` or `ending`; coaches' periods start or end the day before, on and after
its date.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from smr_register.domain.periods import first_period_end
from smr_register.domain.ruleset import RulesBook, parse_rules
from smr_register.errors import RulesFileError
from smr_register.rules import Period, judge
from tests.domain.test_rules import coach
from tests.domain.test_sealing import NEW_VERSION, PACKAGED

DAY = timedelta(days=1)
NEW = date(2027, 1, 1)
ON = date(2027, 6, 1)  # the new version is in force


def book(applies_to: str) -> RulesBook:
    text = PACKAGED.read_text(encoding="utf-8") + NEW_VERSION.replace(
        'applies_to = "starting"', f'applies_to = "{applies_to}"')
    return parse_rules(text, "proposed.toml")


def starting_on(start: date) -> Period:
    return Period(start, first_period_end(start, 5))


def ending_on(end: date) -> Period:
    return Period(date(end.year - 5, end.month, end.day) + DAY, end)


@pytest.mark.parametrize(("start", "version"), [
    (NEW - DAY, "2022.1"), (NEW, "2027.1"), (NEW + DAY, "2027.1")])
def test_starting_judges_periods_that_start_on_or_after_its_date(start: date,
                                                                 version: str) -> None:
    facts = coach(periods=(starting_on(start),))
    result = judge(facts, book("starting"), max(ON, start))
    assert result.rules_id == version
    assert result.finding("points").required == Decimal(20 if version == "2027.1" else 15)


def test_the_reason_names_the_version_passed_over() -> None:
    result = judge(coach(periods=(starting_on(NEW - DAY),)), book("starting"), ON)
    assert result.rules_why == (
        "Rules 2022.1 judge this period: in force since 01-09-2022 for every registration period "
        "running on 01-06-2027. Rules 2027.1 (in force since 01-01-2027) apply only to periods "
        "that start on or after that day; this period started on 31-12-2026.")
    newer = judge(coach(periods=(starting_on(NEW),)), book("starting"), ON)
    assert newer.rules_why == ("Rules 2027.1 judge this period: in force since 01-01-2027 for "
                               "periods that start on or after that day, and this period "
                               "started on 01-01-2027.")


@pytest.mark.parametrize(("end", "version"), [
    (NEW - DAY, "2022.1"), (NEW, "2027.1"), (NEW + DAY, "2027.1")])
def test_ending_judges_periods_that_end_on_or_after_its_date(end: date, version: str) -> None:
    result = judge(coach(periods=(ending_on(end),)), book("ending"), NEW - DAY)
    assert result.rules_id == "2022.1"  # before its date nothing changes
    result = judge(coach(periods=(ending_on(end),)), book("ending"), ON)
    assert result.rules_id == version  # also a period that ended: judged as when it ended


def test_running_judges_every_period_from_its_date() -> None:
    facts = coach(periods=(starting_on(date(2023, 3, 1)),))
    assert judge(facts, book("running"), NEW - DAY).rules_id == "2022.1"
    assert judge(facts, book("running"), NEW).rules_id == "2027.1"
    assert "for every registration period running on 01-01-2027" in judge(
        facts, book("running"), NEW).rules_why


def test_a_renewal_brings_the_new_period_under_a_starting_version() -> None:
    first = starting_on(date(2022, 1, 1))
    renewed = Period(first.valid_until + DAY, date(2031, 12, 31), renewed_on=date(2026, 12, 1))
    facts = coach(periods=(first, renewed))
    assert judge(facts, book("starting"), date(2026, 12, 31)).rules_id == "2022.1"
    assert judge(facts, book("starting"), NEW).rules_id == "2027.1"


def test_the_first_version_judges_every_period() -> None:
    text = PACKAGED.read_text(encoding="utf-8").replace('applies_to = "running"',
                                                        'applies_to = "starting"', 1)
    with pytest.raises(RulesFileError, match="'2013.1'.applies_to: the first version"):
        parse_rules(text, "bad.toml")


def test_an_unknown_applies_to_is_refused() -> None:
    with pytest.raises(RulesFileError, match=r"version '2027.1'.applies_to: must be one of "
                                             r"running, starting, ending"):
        book("sometimes")
