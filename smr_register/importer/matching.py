"""Which registered coach a row means, and whether a sheet's course title is the agenda's.

Coach: by registration number; where it is missing or unknown, by BIG number; where both fail,
by name and birth date. Only an exact identifier whose name agrees is identified (`exact_match`,
the one test of that); a near match (rapidfuzz) or a number whose name disagrees is held for
review with its candidates, never credited on a guess. Pure functions over a `RegisterIndex`
and a `Person`: no database, no cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any

from smr_register.domain.i18n import _, ngettext
from smr_register.importer import cells as clean
from smr_register.importer.index import CoachRef, RegisterIndex
from smr_register.importer.reasons import Outcome, Reason

# rapidfuzz ratio (0-100) from which a name counts as close: Jansen/Janssen 92, Bakker/Backer 83,
# Mulder/Molder 83; Dekker/Bakker (67) and Jansen/Jacobs (50) are different people.
NEAR_SCORE = 75
# How much of the agenda's title a sheet's title must share (token set ratio): providers shorten
# titles, but a different course under the same code is a mistake to look at.
TITLE_SCORE = 60
MAX_CANDIDATES = 5


class Agreement(IntEnum):
    """How well a sheet's name fits a coach's."""

    DIFFERENT = 0
    NEAR = 1
    EXACT = 2


@dataclass(slots=True)
class Person:
    """Who a row names, cleaned."""

    reg_no: str | None
    big: str | None
    name: str  # folded: prefix and last name, or the whole name column
    initial: str | None
    birth: date | None

    @property
    def identity(self) -> str:
        """The person cells as one key: a row held before is recognised by it."""
        return (f"reg:{self.reg_no or ''}|big:{self.big or ''}|name:{self.name}|"
                f"born:{self.birth.isoformat() if self.birth else ''}")


def name_agreement(coach: CoachRef, person: Person) -> Agreement:
    """EXACT when the coach's last name is in the sheet's name (and initials do not disagree),
    NEAR when close (a typo, ij/y), else DIFFERENT."""
    if _same_name(coach, person):
        return Agreement.EXACT if _initials_agree(coach, person) else Agreement.NEAR
    return Agreement.NEAR if _near(coach.last, person.name) else Agreement.DIFFERENT


def exact_match(coach: CoachRef, person: Person) -> bool:
    """The one test of an identification: the name agrees exactly (`name_agreement` EXACT:
    initials included) and the birth dates do not disagree (either may be unknown)."""
    return (_same_name(coach, person) and _initials_agree(coach, person)
            and (person.birth is None or coach.birth_date is None
                 or person.birth == coach.birth_date))


def _same_name(coach: CoachRef, person: Person) -> bool:
    """The coach's last name is in the sheet's name: as words, or with its spaces left out."""
    last, sheet = coach.last, person.name
    return f" {last} " in f" {sheet} " or (
        last.replace(" ", "") in _joined_windows(sheet, last.count(" ") + 1))


def _initials_agree(coach: CoachRef, person: Person) -> bool:
    return not (person.initial and coach.initial and person.initial != coach.initial)


def by_number(index: RegisterIndex, person: Person) -> CoachRef | None:
    """The plain case, cheaply: the registration number is in the register and `exact_match`
    holds. None means: search properly (`identify`)."""
    coach = index.by_reg.get(person.reg_no) if person.reg_no else None
    return coach if coach is not None and exact_match(coach, person) else None


def _joined_windows(sheet: str, width: int) -> set[str]:
    tokens = sheet.split()
    return {"".join(tokens[i:i + n]) for n in range(1, width + 2)
            for i in range(len(tokens) - n + 1)}


def _near(last: str, sheet: str) -> bool:
    from rapidfuzz import fuzz

    a = last.replace("ij", "y")
    tokens = sheet.replace("ij", "y").split()
    width = a.count(" ") + 1
    windows = [" ".join(tokens[i:i + width]) for i in range(max(len(tokens) - width + 1, 1))]
    return any(fuzz.ratio(a, w) >= NEAR_SCORE for w in windows)


@dataclass(slots=True)
class Identified:
    """The coach a row means, or (coach None) why the row is held or rejected."""

    coach: CoachRef | None
    outcome: Outcome | None = None  # None: identified; held or rejected
    reason: Reason | None = None
    message: str | None = None
    candidates: list[dict[str, Any]] | None = None


def _held(reason: Reason, message: str, candidates: list[dict[str, Any]]) -> Identified:
    return Identified(None, Outcome.HELD, reason, message, candidates)


def identify(index: RegisterIndex, person: Person) -> Identified:
    """Find the coach a row means; hold anything that is not an exact, agreeing match."""
    coach: CoachRef | None = None
    via = same_number = ""
    if person.reg_no:
        coach = index.by_reg.get(person.reg_no)
        if coach is None:
            same = index.by_stripped.get(person.reg_no.lstrip("0"), [])
            if len(same) == 1:
                coach = same[0]
            elif same:
                return _held(Reason.NEAR_MATCH,
                             _("registration number {reg_no} without its leading zeros fits "
                               "{count} coaches").format(reg_no=person.reg_no, count=len(same)),
                             [c.candidate(_("number without leading zeros")) for c in same])
        via, same_number = (_("registration number {reg_no}").format(reg_no=person.reg_no),
                            _("same registration number"))
    if coach is None and person.big:
        coach = index.by_big.get(person.big)
        via, same_number = _("BIG number {big}").format(big=person.big), _("same BIG number")
    if coach is not None:
        return _by_identifier(index, person, coach, via, same_number)
    if person.birth:
        exact = [c for c in index.by_birth.get(person.birth, []) if exact_match(c, person)]
        if len(exact) == 1:
            return Identified(exact[0])
        near = _by_birth(index, person)
        if near:
            return _held(Reason.NEAR_MATCH,
                         ngettext("no exact match on number, name and birth date; {count} coach "
                                  "with this birth date has a similar name",
                                  "no exact match on number, name and birth date; {count} "
                                  "coaches with this birth date have a similar name",
                                  len(near)).format(count=len(near)),
                         near)
    near_numbers = _by_near_number(index, person)
    if near_numbers:
        return _held(Reason.NEAR_MATCH,
                     _("no coach with this number; a coach with a similar name has a number "
                       "one keystroke away"), near_numbers)
    given = [part for part in (
        _("registration number {reg_no}").format(reg_no=person.reg_no) if person.reg_no else "",
        _("BIG number {big}").format(big=person.big) if person.big else "",
        _("this name and birth date") if person.birth else "") if part]
    return Identified(None, Outcome.REJECTED, Reason.UNKNOWN_COACH,
                      _("not in the register: no coach with {given}").format(
                          given=_(" or ").join(given) or _("a number")))


def _by_identifier(index: RegisterIndex, person: Person, coach: CoachRef,
                   via: str, same_number: str) -> Identified:
    """The coach a number names, when the name (and birth date) agree; else held."""
    if exact_match(coach, person):
        return Identified(coach)
    agreement = name_agreement(coach, person)
    if agreement == Agreement.EXACT:  # the name agrees, so the birth date does not
        return _held(Reason.BIRTH_DATE_MISMATCH,
                     _("{via} and the name match a coach with another birth date").format(via=via),
                     [coach.candidate(same_number)])
    if agreement == Agreement.NEAR:
        return _held(Reason.NEAR_MATCH,
                     _("the name is close to, but not the same as, the register's name for "
                       "{via}").format(via=via),
                     [coach.candidate(via)])
    return _held(Reason.NAME_MISMATCH,
                 _("the name differs from the register's name for {via}").format(via=via),
                 [coach.candidate(via), *_by_birth(index, person)][:MAX_CANDIDATES])


def _by_birth(index: RegisterIndex, person: Person) -> list[dict[str, Any]]:
    if not person.birth:
        return []
    return [c.candidate(_("same birth date, similar name"))
            for c in index.by_birth.get(person.birth, [])
            if name_agreement(c, person) != Agreement.DIFFERENT][:MAX_CANDIDATES]


def _by_near_number(index: RegisterIndex, person: Person) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for number, big in ((person.reg_no, False), (person.big, True)):
        if not number:
            continue
        found.extend(coach.candidate(
                         (_("BIG number {number} is one keystroke away") if big else
                          _("registration number {number} is one keystroke away")).format(
                             number=coach.big if big else coach.reg_no))
                     for coach in index.near_numbers(number, big)
                     if name_agreement(coach, person) != Agreement.DIFFERENT)
    return found[:MAX_CANDIDATES]


def title_fits(sheet_title: str | None, agenda_title: str) -> bool:
    """Whether a sheet's course title is the agenda's (perhaps shortened or reworded): an
    empty one fits, a different course under the same code does not."""
    sheet, agenda = clean.fold(sheet_title or ""), clean.fold(agenda_title)
    if not sheet or sheet in agenda or agenda in sheet:
        return True
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(sheet, agenda) >= TITLE_SCORE
