"""Which registered coach a row means, and whether a sheet's course title is the agenda's.

Coach: by registration number (as the sheet writes it: `coach_by_number`, which `import
resolve` shares); where it is missing, by BIG number; where both are missing, by name and birth
date. Only an exact identifier whose name agrees is identified (`exact_match`, the one test of
that: last name, initials and first name); a near match (rapidfuzz), a number whose name
disagrees, a number the register does not hold, or a name without any number is held for review
with its candidates, never credited on a guess. Pure functions over a `RegisterIndex` and a
`Person`: no database, no cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any, TypeVar

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
# Two first names agree when equal, when one is the other shortened (Chris, Christiaan), or when
# this close (rapidfuzz ratio: a typo, Bianca/Bianka 83); Bianca/Bram (40) and José/Bianca (0)
# are other people.
FIRST_NAME_SCORE = 80
# Words of a whole-name column that are not names: salutations and titles (`Mevr. B. Öztürk`).
_TITLES = frozenset(("dhr", "mevr", "mw", "mvr", "mevrouw", "heer", "mr", "mrs", "ms", "dr",
                     "drs", "ir", "ing", "prof", "bc"))
# Prefixes (tussenvoegsels) a whole name may carry where the register has another or none.
_PREFIXES = frozenset(("van", "de", "der", "den", "het", "ter", "ten", "te", "t", "in", "op",
                       "la", "le", "el", "al", "von", "du", "da", "di", "vd"))
_NOT_NAMES = _TITLES | _PREFIXES
_VOWELS = frozenset("aeiouy")

T = TypeVar("T")


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
    first: str | None = None  # the folded first name, its first word (Voornaam)
    whole_name: bool = False  # `name` is a whole-name column: first names and initials in it

    @property
    def identity(self) -> str:
        """The person cells as one key: a row held before is recognised by it."""
        return (f"reg:{self.reg_no or ''}|big:{self.big or ''}|name:{self.name}|"
                f"born:{self.birth.isoformat() if self.birth else ''}")


def name_agreement(coach: CoachRef, person: Person) -> Agreement:
    """EXACT when the coach's last name is in the sheet's name (and initials and first name do
    not disagree), NEAR when close (a typo, ij/y, another first name), else DIFFERENT."""
    if _same_name(coach, person):
        return Agreement.EXACT if given_names_agree(coach, person) else Agreement.NEAR
    return Agreement.NEAR if _near(coach.last, person.name) else Agreement.DIFFERENT


def exact_match(coach: CoachRef, person: Person) -> bool:
    """The one test of an identification: the name agrees exactly (`name_agreement` EXACT:
    initials and first name included) and the birth dates do not disagree (either may be
    unknown)."""
    return (_same_name(coach, person) and given_names_agree(coach, person)
            and (person.birth is None or coach.birth_date is None
                 or person.birth == coach.birth_date))


def given_names_agree(coach: CoachRef, person: Person) -> bool:
    """The sheet's initial and first name (from their columns, or read around the last name in
    a whole-name column) do not disagree with the register's; either side may lack them."""
    initial, first = person.initial, person.first
    if person.whole_name and initial is None and first is None:
        initial, first = _given_in_name(coach, person.name)
    if initial and coach.initial and initial != coach.initial:
        return False
    return not (first and coach.first) or first_names_agree(first, coach.first)


def first_names_agree(sheet: str, register: str) -> bool:
    """Equal, one the other shortened (at least three letters), or a typo apart."""
    if sheet == register:
        return True
    short, long = sorted((sheet, register), key=len)
    if len(short) >= 3 and long.startswith(short):
        return True
    from rapidfuzz import fuzz

    return fuzz.ratio(sheet, register) >= FIRST_NAME_SCORE


def _given_in_name(coach: CoachRef, name: str) -> tuple[str | None, str | None]:
    """(initial, first name) in a whole name beside the coach's last name (`jose ozturk`,
    `ozturk b h`, `mevr b h ozturk`): the words left once the last name, prefixes and
    titles are taken out. Words without a vowel (`bh`) and single letters are initials."""
    tokens = name.split()
    last = coach.last.split()
    width = len(last)
    for i in range(len(tokens) - width + 1):
        if tokens[i:i + width] == last:
            del tokens[i:i + width]
            break
    else:
        joined = coach.last.replace(" ", "")
        tokens = [t for t in tokens if t != joined]
    rest = [t for t in tokens if t not in _NOT_NAMES]
    if not rest:
        return None, None
    first = next((t for t in rest if len(t) > 1 and not _VOWELS.isdisjoint(t)), None)
    return rest[0][0], first


def _same_name(coach: CoachRef, person: Person) -> bool:
    """The coach's last name is in the sheet's name: as words, or with its spaces left out."""
    last, sheet = coach.last, person.name
    return f" {last} " in f" {sheet} " or (
        last.replace(" ", "") in _joined_windows(sheet, last.count(" ") + 1))


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


def coach_by_number(number: str, exact: Callable[[str], T | None],
                    without_zeros: Callable[[str], Sequence[T]]) -> tuple[T | None, Sequence[T]]:
    """The coach a registration number names as a sheet writes it (`4579` for 004579, which
    lost its leading zeros in Excel): (the coach with exactly that number, else the one coach
    whose number is the same without leading zeros, []); (None, those coaches) when several
    are. The importer and `import resolve` both find coaches by it."""
    found = exact(number)
    if found is not None:
        return found, ()
    same = without_zeros(number_key(number))
    if len(same) == 1:
        return same[0], ()
    return None, same


def number_key(reg_no: str) -> str:
    """A registration number without its leading zeros, as `coach_by_number` compares it."""
    return reg_no.lstrip("0")


def identify(index: RegisterIndex, person: Person) -> Identified:
    """Find the coach a row means; hold anything that is not an exact, agreeing match."""
    coach: CoachRef | None = None
    via = same_number = ""
    unknown: list[str] = []  # the numbers of the row that the register does not hold
    if person.reg_no:
        coach, same = coach_by_number(person.reg_no, index.by_reg.get,
                                      lambda key: index.by_stripped.get(key, ()))
        if same:
            return _held(Reason.NEAR_MATCH,
                         _("registration number {reg_no} without its leading zeros fits "
                           "{count} coaches").format(reg_no=person.reg_no, count=len(same)),
                         [c.candidate(_("number without leading zeros")) for c in same])
        via, same_number = (_("registration number {reg_no}").format(reg_no=person.reg_no),
                            _("same registration number"))
        if coach is None:
            unknown.append(via)
    if coach is None and person.big:
        coach = index.by_big.get(person.big)
        big_via = _("BIG number {big}").format(big=person.big)
        if coach is None:
            unknown.append(big_via)
        elif unknown:  # a registration number the register does not hold, a BIG number it does
            return _unknown_number(index, person, unknown, [coach], big_via)
        via, same_number = big_via, _("same BIG number")
    if coach is not None:
        return _by_identifier(index, person, coach, via, same_number)
    if person.birth:
        exact = [c for c in index.by_birth.get(person.birth, []) if exact_match(c, person)]
        if len(exact) == 1:
            if unknown:  # never credited to another number than the sheet's
                return _unknown_number(index, person, unknown, exact, _("name and birth date"))
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
    if not person.reg_no and not person.big:
        named = _by_name(index, person)
        if named:
            return _held(Reason.NO_NUMBER,
                         (_("no registration or BIG number and no coach of this name with this "
                            "birth date: {count} coach(es) of this name, for review")
                          if person.birth else
                          _("no registration or BIG number and no birth date: {count} "
                            "coach(es) of this name, for review")).format(count=len(named)),
                         named)
    given = [part for part in (
        _("registration number {reg_no}").format(reg_no=person.reg_no) if person.reg_no else "",
        _("BIG number {big}").format(big=person.big) if person.big else "",
        _("this name and birth date") if person.birth else "") if part]
    return Identified(None, Outcome.REJECTED, Reason.UNKNOWN_COACH,
                      _("not in the register: no coach with {given}").format(
                          given=_(" or ").join(given) or _("a number")))


def _unknown_number(index: RegisterIndex, person: Person, unknown: list[str],
                    fitting: list[CoachRef], by: str) -> Identified:
    """A number the register does not hold, on a row whose other cells fit a coach: held with
    that coach (and coaches a keystroke away) as candidates, never re-pointed unseen."""
    candidates = [c.candidate(_("{by}: they agree").format(by=by)) for c in fitting]
    seen = {c["reg_no"] for c in candidates}
    candidates += [c for c in _by_near_number(index, person) if c["reg_no"] not in seen]
    return _held(Reason.UNKNOWN_NUMBER,
                 _("{numbers} not in the register; the {by} fit coach {reg_no}").format(
                     numbers=_(" and ").join(unknown), by=by, reg_no=fitting[0].reg_no),
                 candidates[:MAX_CANDIDATES])


def _by_identifier(index: RegisterIndex, person: Person, coach: CoachRef,
                   via: str, same_number: str) -> Identified:
    """The coach a number names, when the name (and birth date) agree; else held."""
    if exact_match(coach, person):
        return Identified(coach)
    if _same_name(coach, person):
        if not given_names_agree(coach, person):
            return _held(Reason.FIRST_NAME_MISMATCH,
                         _("the last name is the register's for {via}, the first name or "
                           "initials are not").format(via=via),
                         [coach.candidate(_("{via}, same last name").format(via=via))])
        # the name agrees, so the birth date does not
        return _held(Reason.BIRTH_DATE_MISMATCH,
                     _("{via} and the name match a coach with another birth date").format(via=via),
                     [coach.candidate(same_number)])
    if _near(coach.last, person.name):
        return _held(Reason.NEAR_MATCH,
                     _("the name is close to, but not the same as, the register's name for "
                       "{via}").format(via=via),
                     [coach.candidate(via)])
    return _held(Reason.NAME_MISMATCH,
                 _("the name differs from the register's name for {via}").format(via=via),
                 [coach.candidate(via), *_by_birth(index, person)][:MAX_CANDIDATES])


def _by_name(index: RegisterIndex, person: Person) -> list[dict[str, Any]]:
    """Coaches whose last name is in the sheet's name and whose initials and first name do
    not disagree: the candidates of a row without a number."""
    tokens = person.name.split()
    found: dict[int, CoachRef] = {}
    for width in (1, 2, 3):
        for i in range(len(tokens) - width + 1):
            window = tokens[i:i + width]
            for key in {" ".join(window), "".join(window)}:
                for coach in index.by_last().get(key, ()):
                    if given_names_agree(coach, person):
                        found.setdefault(coach.id, coach)
    return [c.candidate(_("same name, born {birth_date:%d-%m-%Y}").format(
                birth_date=c.birth_date) if c.birth_date else _("same name"))
            for c in sorted(found.values(), key=lambda c: c.reg_no)][:MAX_CANDIDATES]


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
