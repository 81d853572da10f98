"""The rules as pure functions: each rule at its boundaries, each dated rule change around its date.

No database and no files (apart from the packaged rules file): facts are built in the test.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smr_register.domain.periods import first_period_end, renewed_period
from smr_register.domain.ruleset import (
    RulesBook,
    RuleSet,
    default_rules_path,
    load_rules,
    parse_rules,
)
from smr_register.domain.states import Spell
from smr_register.errors import NotFound
from smr_register.rules import (
    Assessment,
    CoachFacts,
    Credit,
    Decision,
    Finding,
    Period,
    Run,
    Status,
    SupervisorFacts,
    assess,
    finding_ids,
)

BOOK = load_rules()
RULES = BOOK.in_force(date(2026, 12, 1))  # 2022.1: 15 points, 3 years, 100 hours
START = date(2022, 1, 1)
END = date(2026, 12, 31)  # first_period_end(START, 5)
ON = date(2026, 12, 1)  # in the notice window (182 days before END)
DAY = timedelta(days=1)
BASIS = {"basisprofiel": date(2021, 6, 1)}


def run(day: date, accredited_from: date = date(2010, 1, 1),
        accredited_until: date = date(2035, 12, 31), course: str = "C1") -> Run:
    return Run(day, course, accredited_from, accredited_until, "Course")


def credit(day: date, points: str = "5", course: str = "C1", **window: date) -> Credit:
    return Credit(run(day, course=course, **window), Decimal(points))


SPREAD = (credit(date(2022, 3, 1)), credit(date(2023, 3, 1)), credit(date(2024, 3, 1)))
HOURS = {year: Decimal(20) for year in range(2022, 2027)}  # 100 hours over 5 years


def coach(start: date = START, credited: tuple[Credit, ...] = SPREAD,
          hours: dict[int, Decimal] | None = None, **changes: object) -> CoachFacts:
    """A coach who meets every rule, in the notice window on ON, unless told otherwise."""
    facts = CoachFacts(reg_no="100001", name="J. Jansen",
                       periods=(Period(start, first_period_end(start, 5)),),
                       profiles=BASIS, credits=credited, hours=HOURS if hours is None else hours)
    return replace(facts, **changes)


def finding(facts: CoachFacts, rule: str, on: date = ON, rules: RuleSet = RULES) -> Finding:
    return assess(facts, rules, on).finding(rule)


def status(facts: CoachFacts, on: date = ON, rules: RuleSet = RULES) -> Status:
    return assess(facts, rules, on).status


def later_rules(min_points: str, effective_from: str) -> RulesBook:
    """The packaged rules plus a later version that changes only the minimum points."""
    text = default_rules_path().read_text(encoding="utf-8")
    version = (text[text.rindex("[[version]]"):]
               .replace('id = "2022.1"', 'id = "2027.1"')
               .replace("effective_from = 2022-09-01", f"effective_from = {effective_from}")
               .replace('min_points = { value = "15"', f'min_points = {{ value = "{min_points}"'))
    return parse_rules(f"{text}\n{version}", "proposed.toml")


# ---- points --------------------------------------------------------------------------------

def test_exactly_the_minimum_points_is_met() -> None:
    assert finding(coach(credited=(*SPREAD[:2], credit(date(2024, 3, 1), "5"))), "points").met


def test_one_hundredth_short_is_not_met() -> None:
    short = finding(coach(credited=(*SPREAD[:2], credit(date(2024, 3, 1), "4.99"))), "points")
    assert (short.met, short.shortfall, short.blocking) == (False, Decimal("0.01"), False)


def test_credit_on_the_first_day_of_the_period_counts() -> None:
    assert credit(START) in finding(coach(credited=(credit(START),)), "points").details["counted"]


def test_credit_the_day_before_the_period_counts_zero() -> None:
    details = finding(coach(credited=(credit(START - DAY),)), "points").details
    assert [n.reason for n in details["not_counted"]] == ["before-period"]


def test_credit_on_the_last_day_of_the_period_counts() -> None:
    assert finding(coach(credited=(credit(END),)), "points", on=END).actual == Decimal(5)


def test_credit_after_the_period_counts_zero_once_expired() -> None:
    details = finding(coach(credited=(credit(END + DAY),)), "points", on=END + DAY).details
    assert [n.reason for n in details["not_counted"]] == ["after-period"]


def test_course_whose_accreditation_ended_the_day_before_the_run_counts_zero() -> None:
    late = credit(date(2023, 5, 1), accredited_until=date(2023, 4, 30))
    assert finding(coach(credited=(late,)), "points").details["not_counted"][0].reason == (
        "not-accredited")


def test_course_accredited_until_the_run_day_counts() -> None:
    last = credit(date(2023, 5, 1), accredited_until=date(2023, 5, 1))
    assert finding(coach(credited=(last,)), "points").actual == Decimal(5)


def test_course_accredited_from_the_day_after_the_run_counts_zero() -> None:
    early = credit(date(2023, 5, 1), accredited_from=date(2023, 5, 2))
    assert finding(coach(credited=(early,)), "points").actual == Decimal(0)


def test_credit_after_the_audit_date_is_not_listed_at_all() -> None:
    details = finding(coach(credited=(credit(ON + DAY),)), "points").details
    assert (details["counted"], details["not_counted"]) == ((), ())


def test_points_sentence_says_how_many_more_and_by_when() -> None:
    assert finding(coach(credited=SPREAD[:2]), "points").sentence == (
        "You have 10 of the 15 points required in your registration period (01-01-2022 to "
        "31-12-2026); 5 more are needed by 31-12-2026.")


# ---- spread and hours ----------------------------------------------------------------------

def test_points_in_exactly_the_minimum_of_years_is_met() -> None:
    assert finding(coach(), "spread").met


def test_points_in_one_year_too_few_is_short_one_year() -> None:
    two_years = (credit(date(2022, 3, 1), "10"), credit(date(2023, 3, 1)))
    spread = finding(coach(credited=two_years), "spread")
    assert (spread.met, spread.shortfall, spread.details["years_with_points"]) == (
        False, 1, (2022, 2023))


def test_exactly_the_minimum_hours_is_met() -> None:
    assert finding(coach(hours={2022: Decimal(100)}), "hours").met


def test_hours_one_hundredth_short_are_not_met() -> None:
    assert finding(coach(hours={2022: Decimal("99.99")}), "hours").shortfall == Decimal("0.01")


def test_hours_of_the_year_before_the_period_do_not_count() -> None:
    assert finding(coach(hours={2021: Decimal(100)}), "hours").actual == Decimal(0)


def test_hours_of_a_year_after_the_audit_date_do_not_count() -> None:
    assert finding(coach(hours={2027: Decimal(100)}), "hours", on=ON).actual == Decimal(0)


# ---- status and the notice window ----------------------------------------------------------

def test_first_day_of_the_notice_window_is_due() -> None:
    assert status(coach(), on=END - timedelta(days=182)) is Status.DUE


def test_day_before_the_notice_window_is_on_track() -> None:
    assert status(coach(), on=END - timedelta(days=183)) is Status.ON_TRACK


def test_short_in_the_notice_window_is_at_risk() -> None:
    assert status(coach(credited=SPREAD[:2])) is Status.AT_RISK


def test_short_but_in_step_before_the_notice_window_is_on_track() -> None:
    """10 of 15 points in 2 years after 3 of 5 years: the pace asks 9 points, 1 year, 60 hours."""
    assert status(coach(credited=SPREAD[:2]), on=date(2025, 1, 1)) is Status.ON_TRACK


def test_last_day_of_the_period_is_not_expired() -> None:
    assert status(coach(), on=END) is Status.DUE


def test_day_after_the_period_is_expired() -> None:
    assert status(coach(), on=END + DAY) is Status.EXPIRED


def test_not_registered_yet_raises_not_found() -> None:
    with pytest.raises(NotFound):
        assess(coach(), RULES, START - DAY)


def test_suspension_dated_after_the_audit_date_is_not_in_force() -> None:
    assert status(coach(states=(Spell("suspended", ON + DAY),))) is Status.DUE


def test_suspension_dated_on_the_audit_date_is_in_force() -> None:
    assert status(coach(states=(Spell("suspended", ON),))) is Status.SUSPENDED


@pytest.mark.parametrize(("on", "expected"), [
    (date(2026, 9, 30), Status.DUE), (date(2026, 10, 1), Status.SUSPENDED),
    (date(2026, 10, 15), Status.SUSPENDED), (date(2026, 11, 1), Status.SUSPENDED),
    (date(2026, 11, 2), Status.DUE)])
def test_a_suspension_that_ended_counts_only_between_its_days(on: date,
                                                              expected: Status) -> None:
    spell = Spell("suspended", date(2026, 10, 1), date(2026, 11, 1))
    assert status(coach(states=(spell,)), on=on) is expected


def test_withdrawn_comes_before_expired() -> None:
    assert status(coach(states=(Spell("withdrawn", ON),)), on=END + DAY) is Status.WITHDRAWN


def test_renewed_period_starts_the_day_after_the_end() -> None:
    assert renewed_period(END, 5) == (date(2027, 1, 1), date(2031, 12, 31))


def test_period_not_yet_started_is_reported_as_renewal_and_settles_due() -> None:
    later = Period(END + DAY, date(2031, 12, 31), renewed_on=ON)
    result = assess(coach(periods=(Period(START, END), later)), RULES, ON)
    assert (result.period, result.renewal, result.status) == (Period(START, END), later,
                                                               Status.RENEWED)
    assert assess(coach(periods=(Period(START, END),)), RULES, ON).status is Status.DUE


def test_renewal_decided_after_the_audit_date_is_not_known_yet() -> None:
    later = Period(END + DAY, date(2031, 12, 31), renewed_on=ON + DAY)
    result = assess(coach(periods=(Period(START, END), later)), RULES, ON)
    assert (result.renewal, result.status) == (None, Status.DUE)


# ---- basisprofiel and the transition (2022-09-01, deadline 2025-09-01) ----------------------

# Registered in 2017, before the new rules; renewed, current period START to END.
OLD_COACH = coach(profiles={}, periods=(Period(date(2017, 1, 1), START - DAY), Period(START, END)))


def test_transition_day_before_the_deadline_has_one_day_left() -> None:
    found = finding(OLD_COACH, "basisprofiel", on=date(2025, 8, 31))
    assert (found.met, found.blocking, found.details["days_left"]) == (False, False, 1)
    assert "1 day left" in found.sentence


def test_transition_deadline_day_is_the_last_day_not_yet_blocking() -> None:
    found = finding(OLD_COACH, "basisprofiel", on=date(2025, 9, 1))
    assert (found.met, found.blocking) == (False, False)
    assert "today is the last day" in found.sentence


def test_transition_day_after_the_deadline_blocks() -> None:
    assert status(OLD_COACH, on=date(2025, 9, 2)) is Status.NON_COMPLIANT


def test_basisprofiel_attained_after_the_audit_date_is_not_held() -> None:
    late = replace(OLD_COACH, profiles={"basisprofiel": date(2025, 9, 3)})
    assert status(late, on=date(2025, 9, 2)) is Status.NON_COMPLIANT


def test_registered_the_day_before_the_new_rules_gets_the_transition() -> None:
    assert not finding(coach(start=date(2022, 8, 31), profiles={}), "basisprofiel",
                       on=date(2023, 1, 1)).blocking


def test_registered_on_the_day_the_new_rules_start_needs_it_from_registration() -> None:
    assert finding(coach(start=date(2022, 9, 1), profiles={}), "basisprofiel",
                   on=date(2023, 1, 1)).blocking


def test_registered_the_day_after_the_new_rules_start_needs_it_from_registration() -> None:
    assert status(coach(start=date(2022, 9, 2), profiles={}), on=date(2023, 1, 1)) is (
        Status.NON_COMPLIANT)


def test_rules_version_changes_on_its_effective_date() -> None:
    assert [BOOK.in_force(d).id for d in (date(2022, 8, 31), date(2022, 9, 1),
                                          date(2022, 9, 2))] == ["2013.1", "2022.1", "2022.1"]


def test_basisprofiel_not_required_the_day_before_the_rules_change() -> None:
    on = date(2022, 8, 31)
    assert finding(OLD_COACH, "basisprofiel", on, BOOK.in_force(on)).sentence.startswith(
        "The rules in force on 31-08-2022 do not require")


@pytest.mark.parametrize("on", [date(2022, 9, 1), date(2022, 9, 2)])
def test_basisprofiel_transition_from_the_day_the_rules_change(on: date) -> None:
    found = finding(OLD_COACH, "basisprofiel", on, BOOK.in_force(on))
    assert (found.met, found.blocking, found.details["days_left"]) == (
        False, False, (date(2025, 9, 1) - on).days)


@pytest.mark.parametrize(("on", "required"), [(date(2026, 12, 31), Decimal(15)),
                                              (date(2027, 1, 1), Decimal(20)),
                                              (date(2027, 1, 2), Decimal(20))])
def test_changed_minimum_points_apply_from_their_date(on: date, required: Decimal) -> None:
    book = later_rules("20", "2027-01-01")
    assert finding(coach(), "points", on, book.in_force(on)).required == required


# ---- supervision ---------------------------------------------------------------------------

SUPERVISOR = SupervisorFacts("100002", periods=(Period(date(2020, 1, 1), date(2029, 12, 31)),))


def test_active_registered_supervisor_is_met() -> None:
    assert finding(coach(supervisor=SUPERVISOR), "supervision").met


def test_suspended_supervisor_blocks_the_supervisee() -> None:
    suspended = replace(SUPERVISOR, states=(Spell("suspended", date(2026, 5, 12)),))
    assert status(coach(supervisor=suspended)) is Status.NON_COMPLIANT


def test_supervisor_suspended_after_the_audit_date_still_counts_as_active() -> None:
    later = replace(SUPERVISOR, states=(Spell("suspended", ON + DAY),))
    assert finding(coach(supervisor=later), "supervision").met


def test_supervisor_whose_registration_expired_blocks() -> None:
    expired = replace(SUPERVISOR, periods=(Period(date(2020, 1, 1), ON - DAY),))
    assert finding(coach(supervisor=expired), "supervision").blocking


def test_supervisor_at_the_limit_is_met() -> None:
    assert finding(coach(supervisees=10), "supervision.limit").met


def test_supervisor_one_over_the_limit_is_non_compliant() -> None:
    assert status(coach(supervisees=11)) is Status.NON_COMPLIANT


# ---- exceptions ----------------------------------------------------------------------------

def waiver(rule: str, valid_until: date | None, value: str | None = None,
           decided_on: date = date(2026, 6, 1)) -> Decision:
    return Decision(rule=rule, reason="Langdurig ziek", decided_by="Kwaliteitscommissie SMR",
                    decided_on=decided_on, valid_until=valid_until,
                    value=Decimal(value) if value else None)


SHORT = coach(credited=SPREAD[:2])  # 10 points: at-risk


def test_exception_valid_until_today_waives_the_rule() -> None:
    found = finding(replace(SHORT, exceptions=(waiver("points", ON),)), "points")
    assert found.met and "waived for you by Kwaliteitscommissie SMR" in found.sentence


def test_exception_that_expired_yesterday_no_longer_applies() -> None:
    assert status(replace(SHORT, exceptions=(waiver("points", ON - DAY),))) is Status.AT_RISK


def test_exception_decided_after_the_audit_date_does_not_apply() -> None:
    late = waiver("points", None, decided_on=ON + DAY)
    assert status(replace(SHORT, exceptions=(late,))) is Status.AT_RISK


def test_exception_with_a_value_replaces_the_minimum_and_is_cited() -> None:
    found = finding(replace(SHORT, exceptions=(waiver("points", None, "10"),)), "points")
    assert (found.met, found.required, found.exception is not None) == (True, Decimal(10), True)
    assert "set your requirement to 10" in found.sentence


def test_exception_waives_only_the_rule_it_names() -> None:
    result = assess(replace(SHORT, exceptions=(waiver("hours", None),)), RULES, ON)
    assert result.status is Status.AT_RISK and not result.finding("points").met


def test_waived_basisprofiel_makes_a_blocking_rule_met() -> None:
    assert status(replace(OLD_COACH, exceptions=(waiver("basisprofiel", None),))) is Status.DUE


# ---- practice counts -----------------------------------------------------------------------

def test_no_practice_minimum_in_force_today() -> None:
    assert finding(coach(), "practice").met


def test_practice_minimum_short_by_one() -> None:
    rules = replace(RULES, practice_minimums={"intakes": Decimal(10)})
    found = finding(coach(practice={2023: {"intakes": 9}}), "practice.intakes", rules=rules)
    assert (found.met, found.shortfall) == (False, Decimal(1))


def test_findings_follow_the_rules_in_force() -> None:
    rules = replace(RULES, practice_minimums={"intakes": Decimal(10)})
    assert [f.rule for f in assess(coach(), rules, ON).findings] == list(finding_ids(rules))


# ---- invariants ----------------------------------------------------------------------------

days = st.integers(min_value=0, max_value=3650)


@st.composite
def facts_and_date(draw: st.DrawFn) -> tuple[CoachFacts, date]:
    start = date(2015, 1, 1) + timedelta(days=draw(days))
    on = start + timedelta(days=draw(st.integers(min_value=0, max_value=2200)))
    credited = tuple(
        credit(start + timedelta(days=draw(st.integers(-400, 2200))),
               str(draw(st.sampled_from(["0.5", "1", "2.5", "5"]))),
               accredited_until=date(2016, 1, 1) + timedelta(days=draw(days)))
        for _ in range(draw(st.integers(0, 12))))
    hours = {year: Decimal(draw(st.integers(0, 60)))
             for year in range(start.year - 1, start.year + 7) if draw(st.booleans())}
    profiles = {"basisprofiel": start + timedelta(days=draw(st.integers(-500, 3000)))} if draw(
        st.booleans()) else {}
    exceptions = tuple(waiver(draw(st.sampled_from(["points", "hours", "basisprofiel"])),
                              None, draw(st.sampled_from([None, "5", "50"])),
                              decided_on=start + timedelta(days=draw(days)))
                       for _ in range(draw(st.integers(0, 2))))
    facts = coach(start=start, credited=credited, hours=hours, profiles=profiles,
                  exceptions=exceptions, supervisees=draw(st.integers(0, 12)))
    return facts, on


@settings(max_examples=150, deadline=None)
@given(facts_and_date(), st.integers(0, 2200), st.sampled_from(["0.5", "5"]))
def test_adding_a_valid_credit_never_makes_a_coach_less_compliant(
        case: tuple[CoachFacts, date], offset: int, points: str) -> None:
    facts, on = case
    rules = BOOK.in_force(on)
    before = assess(facts, rules, on)
    assert before.period is not None
    day = min(before.period.starts_on + timedelta(days=offset), before.period.valid_until, on)
    more = replace(facts, credits=(*facts.credits, credit(day, points)))
    after = assess(more, rules, on)
    assert _worse(after.status) <= _worse(before.status)
    assert after.finding("points").actual >= before.finding("points").actual  # type: ignore[operator]
    for old, new in zip(before.findings, after.findings, strict=True):
        assert new.met or not old.met, old.rule


@settings(max_examples=150, deadline=None)
@given(facts_and_date(), st.integers(1, 2000))
def test_an_audit_as_of_a_date_ignores_everything_after_it(
        case: tuple[CoachFacts, date], later: int) -> None:
    facts, on = case
    after = on + timedelta(days=later)
    future = replace(
        facts,
        credits=(*facts.credits, credit(after, "5"), credit(after, "2.5", course="C2")),
        periods=(*facts.periods, Period(after, after + timedelta(days=1826), renewed_on=after)),
        profiles={**facts.profiles, "smr-extra": after} if "basisprofiel" in facts.profiles
        else {"basisprofiel": after},
        hours={**facts.hours, after.year + 1: Decimal(500)},
        exceptions=(*facts.exceptions, waiver("points", None, decided_on=after)),
        states=(Spell("withdrawn", after),),
        supervisor=SupervisorFacts("100002", states=(Spell("suspended", after),),
                                   periods=(Period(facts.periods[0].starts_on, after),)),
    )
    base = replace(facts, supervisor=SupervisorFacts(
        "100002", periods=(Period(facts.periods[0].starts_on, after),)))
    rules = BOOK.in_force(on)
    expected: Assessment = assess(base, rules, on)
    assert assess(future, rules, on) == expected


def _worse(status: Status) -> int:
    """How far a status is from 'in order': on-track, due and renewed 0, behind and at-risk 1,
    then the rest."""
    return {Status.ON_TRACK: 0, Status.DUE: 0, Status.RENEWED: 0, Status.BEHIND: 1,
            Status.AT_RISK: 1, Status.NON_COMPLIANT: 2, Status.EXPIRED: 3, Status.SUSPENDED: 4,
            Status.WITHDRAWN: 5}[status]


def test_renewal_is_decided_by_the_rules_alone() -> None:
    """decide_renewal is pure: a due coach is renewed for one period of the rules given; a
    coach before the window is told when it opens; an already renewed one is not renewed again."""
    from smr_register.rules import decide_renewal

    due = assess(coach(), RULES, ON)
    assert due.status is Status.DUE and due.period is not None
    decision = decide_renewal(due, RULES)
    assert decision.renewed and decision.new_period is not None
    assert decision.new_period.starts_on == END + DAY
    assert decision.new_period.valid_until == date(2031, 12, 31)
    early = assess(coach(), RULES, START + DAY)
    decision = decide_renewal(early, RULES)
    assert not decision.renewed and "renewal window opens" in decision.why


# ---- hours spread over calendar years (2013 rules: "verspreid over minimaal 5 jaar") --------


def test_hours_in_five_calendar_years_meet_the_spread() -> None:
    spread = finding(coach(), "hours-spread")
    assert (spread.met, spread.actual, spread.required) == (True, 5, 5)
    assert spread.details["years_with_hours"] == (2022, 2023, 2024, 2025, 2026)


def test_120_hours_all_in_one_year_no_longer_count_as_met() -> None:
    result = assess(coach(hours={2026: Decimal(120)}), RULES, ON)
    assert result.finding("hours").met
    spread = result.finding("hours-spread")
    assert (spread.met, spread.blocking, spread.shortfall) == (False, False, 4)
    assert "1 of the 5 different calendar years" in spread.sentence
    assert result.status is Status.AT_RISK


def test_hours_in_four_years_are_one_year_short() -> None:
    hours = {year: Decimal(25) for year in range(2022, 2026)}
    spread = finding(coach(hours=hours), "hours-spread")
    assert (spread.met, spread.shortfall, spread.short) == (False, 1, "1 more year with hours")


def test_a_year_with_zero_hours_does_not_count_for_the_spread() -> None:
    hours = {**HOURS, 2024: Decimal(0), 2023: Decimal(40)}
    assert finding(coach(hours=hours), "hours-spread").actual == 4


def test_the_spread_is_a_rule_of_both_versions_with_its_source() -> None:
    for version in BOOK.versions:
        assert version.min_hour_years == 5
        assert "verspreid over minimaal 5 jaar" in version.references["min_hour_years"]


def test_a_rules_file_without_the_spread_says_none_is_set() -> None:
    spread = finding(coach(hours={2026: Decimal(120)}), "hours-spread",
                     rules=replace(RULES, min_hour_years=None))
    assert spread.met and spread.required is None
    assert "no spread of coaching hours" in spread.sentence


def test_the_committee_can_waive_the_spread_alone() -> None:
    facts = coach(hours={2026: Decimal(120)}, exceptions=(waiver("hours-spread", None),))
    result = assess(facts, RULES, ON)
    assert result.finding("hours-spread").met and result.status is Status.DUE
