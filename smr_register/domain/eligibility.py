"""Who may do what under the rules in force: register (prior education), assess a coach's
competences, hold a profile.

Pure, like `rules.py` beside it: an assessment already made and the ruleset in force come in,
a refusal (a sentence naming its rule and that rule's source) or None goes out. Kept apart from
the audit's rules because these decide whether a write is accepted, not how a coach stands.
"""

from __future__ import annotations

from datetime import date

from smr_register.domain.i18n import _, term
from smr_register.domain.ruleset import RuleSet
from smr_register.domain.values import format_date
from smr_register.domain.vocabulary import education_meets
from smr_register.rules import ACTIVE, BASISPROFIEL, Assessment


def cite(ruleset: RuleSet, key: str) -> str:
    """' (rule KEY: its reference)', so a refusal says which rule and which source refused."""
    reference = ruleset.references.get(key) or _("rules {version}").format(version=ruleset.id)
    return " " + _("(rule {key}: {reference})").format(key=key, reference=reference)


def assessor_refusal(a: Assessment, ruleset: RuleSet, years: int) -> str | None:
    """Why the coach audited in `a` may not assess another coach's competences on `a.as_of`
    (None: they may). The supervisor "staat zelf ingeschreven in het register en heeft een
    X-aantal jaar ervaring als smr-coach" (Basisvereisten v2.2); `years` counts whole years
    since their first registration. Each refusal names its rule and source."""
    day = format_date(a.as_of)
    standing = "supervisor_in_good_standing"
    if a.state != ACTIVE:
        return _("is {state} on {day}, not active").format(
            state=term(a.state), day=day) + cite(ruleset, standing)
    if a.period is None or a.as_of > a.period.valid_until:
        return _("has no valid registration on {day}").format(day=day) + cite(ruleset, standing)
    failing = [f for f in a.findings if f.blocking and not f.met]
    if ruleset.supervisor_in_good_standing and failing:
        what = "; ".join(f.short or f.rule for f in failing)
        return _("does not meet the register's rules on {day} ({status}: {what})").format(
            day=day, status=term(a.status.value), what=what) + cite(ruleset, standing)
    if ruleset.supervisor_requires_basisprofiel:
        attained = a.finding(BASISPROFIEL).details.get("attained_on")
        if attained is None:
            return (_("does not hold the basisprofiel on {day}").format(day=day)
                    + cite(ruleset, "supervisor_requires_basisprofiel"))
    if years < ruleset.supervisor_min_years:
        return _("has {years} years as a registered coach on {day}, the rules require "
                 "{required}").format(years=years, day=day,
                                      required=ruleset.supervisor_min_years) + cite(
            ruleset, "supervisor_min_years")
    return None


def profile_refusal(profile: str, basis_on: date | None, on: date,
                    ruleset: RuleSet) -> str | None:
    """Why `profile` cannot be recorded as attained on `on` (None: it can): the additional
    profiles and SMR-Extra come on top of the basisprofiel, held by then."""
    if profile not in ruleset.profiles_on_top_of_basisprofiel:
        return None
    if basis_on is not None and basis_on <= on:
        return None
    return _("{profile} comes on top of the basisprofiel, which the coach does not hold on "
             "{day}").format(profile=term(profile), day=format_date(on)) + cite(
        ruleset, "profiles_on_top_of_basisprofiel")


def entry_refusal(education: str | None, registered_on: date, ruleset: RuleSet) -> str | None:
    """Why a registrant with prior education `education` may not register on `registered_on`
    under `ruleset` (the version in force that day): below the minimum for basic coaches
    registering from the date the 2022 requirements apply. None: allowed, or not recorded (the
    audit flags an unrecorded level)."""
    minimum, required_from = ruleset.min_education, ruleset.basisprofiel_required_from
    if minimum is None or required_from is None or registered_on < required_from:
        return None
    if education is None or education_meets(education, minimum):
        return None
    return _("prior education {education} is below {minimum}, the minimum for coaches "
             "registering from {required_from}").format(
        education=term(education), minimum=term(minimum),
        required_from=format_date(required_from)) + cite(ruleset, "min_education")
