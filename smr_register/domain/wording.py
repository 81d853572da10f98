"""The words: every sentence a coach reads is made here, from a template and named values
(translated through the catalog), so the rules decide and this module says it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from smr_register.domain.i18n import N_, _, language, ngettext, number, plural_count
from smr_register.domain.values import format_date

if TYPE_CHECKING:
    pass




SENTENCES: dict[str, str] = {
    "points.met": "You have {actual} points from accredited courses in your registration "
                  "period ({start} to {end}); {required} are required.",
    "points.short": "You have {actual} of the {required} points required in your registration "
                    "period ({start} to {end}); {shortfall} more are needed by {end}.",
    "spread.met": "You earned points in {actual} different calendar years ({years}); "
                  "{required} are required.",
    "spread.short": "You earned points in {actual} of the {required} different calendar years "
                    "required ({years}); you need points in {shortfall} more calendar years "
                    "by {end}.",
    "spread.short.one": "You earned points in {actual} of the {required} different calendar "
                        "years required ({years}); you need points in 1 more calendar year "
                        "by {end}.",
    "hours.met": "You recorded {actual} hours of stop-smoking coaching in your registration "
                 "period; {required} are required.",
    "hours.short": "You recorded {actual} of the {required} hours of stop-smoking coaching "
                   "required in your registration period; {shortfall} more are needed by {end}.",
    "hours-spread.none": "The rules in force set no spread of coaching hours over years.",
    "hours-spread.met": "You recorded coaching hours in {actual} different calendar years "
                        "({years}); {required} are required.",
    "hours-spread.short": "You recorded coaching hours in {actual} of the {required} different "
                          "calendar years required ({years}); you need hours in {shortfall} "
                          "more calendar years by {end}.",
    "hours-spread.short.one": "You recorded coaching hours in {actual} of the {required} "
                              "different calendar years required ({years}); you need hours in "
                              "1 more calendar year by {end}.",
    "pace.behind": "After {years} of the {period} years of your period, {expected} are "
                   "expected by now to keep pace.",
    "practice.none": "The rules in force set no minimum practice counts.",
    "rules.running": "Rules {version} judge this period: in force since {since} for every "
                     "registration period running on {as_of}.",
    "rules.starting": "Rules {version} judge this period: in force since {since} for periods "
                      "that start on or after that day, and this period started on {start}.",
    "rules.ending": "Rules {version} judge this period: in force since {since} for periods that "
                    "end on or after that day, and this period ends on {end}.",
    "rules.passed.starting": "Rules {newer} (in force since {newer_since}) apply only to periods "
                             "that start on or after that day; this period started on {start}.",
    "rules.passed.ending": "Rules {newer} (in force since {newer_since}) apply only to periods "
                           "that end on or after that day; this period ends on {end}.",
    "practice.met": "You recorded {actual} {what} in your registration period; {required} are "
                    "required.",
    "practice.short": "You recorded {actual} of the {required} {what} required in your "
                      "registration period; {shortfall} more are needed by {end}.",
    "basisprofiel.not-required": "The rules in force on {as_of} do not require the basisprofiel.",
    "basisprofiel.held": "You hold the basisprofiel (attained on {attained}).",
    "basisprofiel.old-rules": "You registered on {registered}, before the basisprofiel became "
                              "required on {required_from}; it is not required of you.",
    "basisprofiel.new-missing": "You registered on {registered}, after the basisprofiel became "
                                "required on {required_from}, and you do not hold it: it is "
                                "required for your registration.",
    "basisprofiel.transition": "You registered before {required_from} and must hold the "
                               "basisprofiel by {deadline}; you do not hold it yet and have "
                               "{days} days left.",
    "basisprofiel.transition.one": "You registered before {required_from} and must hold the "
                                   "basisprofiel by {deadline}; you do not hold it yet and have "
                                   "1 day left.",
    "basisprofiel.transition.last": "You registered before {required_from} and must hold the "
                                    "basisprofiel by {deadline}; you do not hold it yet and "
                                    "today is the last day.",
    "basisprofiel.missed": "You had to hold the basisprofiel by {deadline} (the transition "
                           "arrangement for coaches registered before {required_from}) and you "
                           "do not hold it.",
    "basisprofiel.todo.both": "Still missing: the integral basic training, and a "
                              "supervisor's positive assessment of roles {roles}.",
    "basisprofiel.todo.both.one": "Still missing: the integral basic training, and a "
                                  "supervisor's positive assessment of role {roles}.",
    "basisprofiel.todo.training": "Still missing: the integral basic training (every role is "
                                  "assessed).",
    "basisprofiel.todo.roles": "Still missing: a supervisor's positive assessment of roles "
                               "{roles} (the basic training is recorded on {training}).",
    "basisprofiel.todo.roles.one": "Still missing: a supervisor's positive assessment of role "
                                   "{roles} (the basic training is recorded on {training}).",
    "education.not-required": "You registered on {registered}, before a minimum prior "
                              "education applied to new coaches.",
    "education.met": "Your prior education ({education}) meets the minimum ({minimum}) for "
                     "coaches registering from {required_from}.",
    "education.unknown": "Your prior education is not recorded; coaches registering from "
                         "{required_from} need at least {minimum}.",
    "education.below": "Your prior education ({education}) is below the minimum ({minimum}) "
                       "for coaches registering from {required_from}.",
    "short.education": "education {minimum}",
    "supervision.none": "You have no supervisor, so there is nothing to check.",
    "supervision.ok": "Your supervisor {supervisor} is an active coach with a valid registration.",
    "supervision.inactive": "Your supervisor {supervisor} is {state}; you need a supervisor who "
                            "is an active registered coach.",
    "supervision.unregistered": "Your supervisor {supervisor} has no valid registration on "
                                "{as_of}; you need a supervisor who is an active registered "
                                "coach.",
    "supervision.limit.none": "You supervise no other coaches.",
    "supervision.limit.ok": "You supervise {actual} coaches; the limit is {required}.",
    "supervision.limit.ok.one": "You supervise 1 coach; the limit is {required}.",
    "supervision.limit.over": "You supervise {actual} coaches, {shortfall} more than the limit "
                              "of {required}.",
    "exception.waived": "This rule is waived for you by {decided_by} (decision of {decided_on}"
                        "{until}): {reason}.",
    "exception.changed": "{decided_by} set your requirement to {value} (decision of "
                         "{decided_on}{until}): {reason}.",
    "exception.until": ", valid until {valid_until}",
    "credit.before-period": "{course} on {run_date} was before your current registration period "
                            "began on {start}.",
    "credit.after-period": "{course} on {run_date} was after your registration period ended on "
                           "{end}.",
    "credit.not-accredited": "{course} on {run_date} was not accredited that day (accredited "
                             "from {accredited_from} to {accredited_until}).",
    # Short labels for the columns of tables and spreadsheets.
    "short.points": "{shortfall} points",
    "short.points.one": "1 point",
    "short.hours.one": "1 hour",
    "points.short.one": "You have {actual} of the {required} points required in your "
                        "registration period ({start} to {end}); 1 more is needed by {end}.",
    "hours.short.one": "You recorded {actual} of the {required} hours of stop-smoking coaching "
                       "required in your registration period; 1 more is needed by {end}.",
    "short.spread": "{shortfall} more years with points",
    "short.spread.one": "1 more year with points",
    "short.hours": "{shortfall} hours",
    "short.hours-spread": "{shortfall} more years with hours",
    "short.hours-spread.one": "1 more year with hours",
    "short.practice": "{shortfall} {what}",
    "short.pace": "({expected} expected by now)",
    "short.basisprofiel": "basisprofiel",
    "short.basisprofiel.transition": "basisprofiel by {deadline}",
    "short.supervision": "supervisor {supervisor} is not valid",
    "short.supervision.limit": "{shortfall} supervisees too many",
    "short.supervision.limit.one": "1 supervisee too many",
}

# What each audit status means, for the audit's help, its one-coach view and the README (the
# status values themselves are English identifiers; precedence in docs/audit-json.md).
STATUS_MEANINGS: dict[str, str] = {
    "on-track": N_("before the renewal window, with at least the expected share of every "
                   "minimum for the whole years of the period passed (the pace of the rules "
                   "file)"),
    "behind": N_("before the renewal window, but below the expected pace on a minimum (points, "
                 "years with points, hours), or the basisprofiel of the transition not yet held: "
                 "there is time to catch up"),
    "due": N_("in the renewal window (from the first notice before the end date) and every rule "
              "is met: can be renewed now"),
    "renewed": N_("met every rule in the renewal window and the next period is already decided"),
    "at-risk": N_("in the renewal window and something is still missing before the end date"),
    "non-compliant": N_("a rule that applies at once is not met: the basisprofiel (new "
                        "registrants, or after the transition), a valid supervisor, or the "
                        "supervisee limit"),
    "expired": N_("the registration period ended before the evaluation date"),
    "suspended": N_("suspended by the register (an administrative decision in force on the date)"),
    "withdrawn": N_("withdrawn from the register (in force on the date)"),
}

PRACTICE_WORDS = {
    "hours": "hours of coaching",
    "clients": "clients",
    "clients_low_literacy": "clients with limited health literacy",
    "intakes": "intakes",
    "integral_trajectories": "integral trajectories",
    "pharmacotherapy_trajectories": "trajectories with pharmacotherapy",
    "referrals_somatic": "referrals for somatic comorbidity",
    "referrals_psychiatric": "referrals for psychiatric comorbidity or another addiction",
    "referrals_pregnancy": "referrals for pregnancy or a wish to conceive",
    "referrals_medication": "referrals for medication",
}


_SHOWN: dict[Any, str] = {}


def _shown(value: Any) -> Any:
    """Dates as dd-mm-jjjj, amounts without trailing zeros (a decimal comma in Dutch);
    remembered, because an audit of the register writes the same few thousand dates and
    amounts in every coach's sentences."""
    if not isinstance(value, date | Decimal):
        return value
    key = (value, language())
    text = _SHOWN.get(key)
    if text is None:
        if len(_SHOWN) > 20_000:
            _SHOWN.clear()
        text = _SHOWN[key] = format_date(value) if isinstance(value, date) else number(value)
    return text


class _Shown(dict[str, Any]):
    """The named values of a sentence, each shown in the register's style when the template
    uses it (templates use a few of the values they are given)."""

    def __getitem__(self, key: str) -> Any:
        return _shown(dict.__getitem__(self, key))


def sentence(key: str, count: int | None = None, **values: Any) -> str:
    """The one place a sentence is made: the template for `key` filled with `values`.

    Where `key.one` holds the singular, the catalog's plural forms choose by `count`
    (tools/catalogs.py pairs the two as one plural message).
    """
    one = SENTENCES.get(f"{key}.one")
    if one is not None:  # without a count, the plural (as before: `.one` only for exactly 1)
        template = ngettext(one, SENTENCES[key], plural_count(count if count is not None else 2))
    else:  # the catalog of the language chosen with --lang / SMR_LANG
        template = _(SENTENCES[key])
    return template.format_map(_Shown(values))


def plural_pairs() -> dict[str, tuple[str, str]]:
    """The sentences with a singular (`key.one`): key -> (singular, plural), for the catalog."""
    return {key: (SENTENCES[f"{key}.one"], text) for key, text in SENTENCES.items()
            if f"{key}.one" in SENTENCES}
