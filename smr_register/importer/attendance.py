"""Deciding each row of an attendance list, and writing the batch.

The register is loaded into dicts once (`Register`): coaches by registration number, by the
number without leading zeros, by BIG number and by birth date; courses by code; runs by (course,
date). Rows are then decided in memory, each distinct combination of person cells and of
course cells read once, and written in chunks of multi-row Core inserts by a thread of their
own (`Background`) while the next chunk is decided, all in the caller's one transaction.

Coach: by registration number; where it is missing or unknown, by BIG number; where both fail,
by name and birth date. Only an exact identifier whose name agrees is credited; a near match
(rapidfuzz) or a number whose name disagrees is held for review with its candidates, never
credited on a guess. Course: its code must be in the training agenda with a run on the date,
inside the accreditation; the agenda's points count (DOMAIN.md: the agenda alone decides).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import islice
from operator import itemgetter
from typing import Any

from sqlmodel import Session

from smr_register import db
from smr_register.domain.values import format_date, format_decimal, from_centi, full_name
from smr_register.importer import cells as clean
from smr_register.importer.background import Background
from smr_register.importer.reading import Table
from smr_register.importer.report import FileReport, RowResult
from smr_register.store import history as history_store
from smr_register.store import imports as import_store
from smr_register.store.history import Change, HistoryJson
from smr_register.store.models import CoachState

WITHDRAWN = CoachState.WITHDRAWN.value

# Rows decided and written per round trip: bounds memory, and each chunk's credits are checked
# against the register with one query.
CHUNK = 5000

EXACT, NEAR, DIFFERENT = 2, 1, 0
# rapidfuzz ratio (0-100) from which a name counts as close: Jansen/Janssen 92, Bakker/Backer 83,
# Mulder/Molder 83; Dekker/Bakker (67) and Jansen/Jacobs (50) are different people.
NEAR_SCORE = 75
# How much of the agenda's title a sheet's title must share (token set ratio): providers shorten
# titles, but a different course under the same code is a mistake to look at.
TITLE_SCORE = 60
MAX_CANDIDATES = 5


@dataclass(slots=True)
class CoachRef:
    id: int
    reg_no: str
    initials: str | None
    first_name: str | None
    prefix: str | None
    last_name: str
    birth_date: date | None
    big: str | None
    state: str
    _last: str | None = None
    _initial: str | None = None

    @property
    def last(self) -> str:
        """The folded last name without prefix, computed when first needed."""
        if self._last is None:
            self._last = clean.fold(self.last_name)
        return self._last

    @property
    def name(self) -> str:
        return full_name(self.initials, self.prefix, self.last_name)

    @property
    def initial(self) -> str | None:
        if self._initial is None:
            source = self.initials or self.first_name
            self._initial = clean.fold(source)[:1] if source else ""
        return self._initial or None

    def candidate(self, why: str) -> dict[str, Any]:
        return {"reg_no": self.reg_no, "name": self.name, "state": self.state,
                "birth_date": self.birth_date.isoformat() if self.birth_date else None,
                "why": why}


@dataclass(slots=True)
class CourseRef:
    id: int
    code: str
    title: str
    points_centi: int
    accredited_from: date
    accredited_until: date
    provider: str
    points: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        self.points = from_centi(self.points_centi)


class Register:
    """The parts of the register an attendance import compares against, loaded once."""

    def __init__(self, session: Session) -> None:
        self.by_reg: dict[str, CoachRef] = {}
        self.by_stripped: dict[str, list[CoachRef]] = defaultdict(list)
        self.by_big: dict[str, CoachRef] = {}
        self.by_birth: dict[date, list[CoachRef]] = defaultdict(list)
        for row in import_store.import_coach_index(session):
            coach = CoachRef(*row)
            self.by_reg[coach.reg_no] = coach
            self.by_stripped[coach.reg_no.lstrip("0")].append(coach)
            if coach.big:
                self.by_big[coach.big] = coach
            if coach.birth_date:
                self.by_birth[coach.birth_date].append(coach)
        self.courses = {row.code.upper(): CourseRef(*row)
                        for row in import_store.import_course_index(session)}
        self.runs: dict[tuple[int, date], int] = {
            (course_id, run_date): run_id for run_id, course_id, run_date
            in import_store.import_run_index(session)}
        # (coach_id, run_id) -> where the credit came from, for the runs loaded so far
        self.credits: dict[tuple[int, int], str] = {}
        self._credit_runs: set[int] = set()
        # (run_id, identity) of rows held before -> (batch:row, outcome now, coach credited)
        self.held: dict[tuple[int | None, str], tuple[str, str, str | None]] = {}
        self._done: list[tuple[int, dict[tuple[int, int], int],
                               dict[tuple[int | None, str], int]]] = []
        for batch_id, row_number, run_id, outcome, reg_no, candidates in import_store.reviewed_rows(
                session):
            identity = json.loads(candidates).get("identity")
            if identity:
                self.held[(run_id, identity)] = (f"{batch_id}:{row_number}", outcome, reg_no)

    def remember(self, batch_id: int, credited: dict[tuple[int, int], int],
                 held: dict[tuple[int | None, str], int]) -> None:
        """A file of this command is done: the next file must see its credits and held rows
        ((coach, run) and (run, identity) -> row), taken in by `catch_up` if one comes."""
        self._done.append((batch_id, credited, held))

    def catch_up(self) -> None:
        for batch_id, credited, held in self._done:
            self.credits.update({key: f"batch {batch_id} row {row}"
                                 for key, row in credited.items()})
            self.held.update({key: (f"{batch_id}:{row}", "held", None)
                              for key, row in held.items()})
        self._done.clear()

    @property
    def runs_with_credits(self) -> set[int]:
        """The runs whose credits `credits` holds."""
        return self._credit_runs

    def load_credits(self, session: Session, run_ids: set[int]) -> None:
        """Fetch the existing credits of runs not seen before (one query per chunk)."""
        new = run_ids - self._credit_runs
        if not new:
            return
        self._credit_runs |= new
        for coach_id, run_id, batch_id, row_number, source in import_store.credits_for_runs(
                session, new):
            self.credits[(coach_id, run_id)] = (
                f"batch {batch_id} row {row_number}" if batch_id is not None
                else f"{source} credit")

    def near_numbers(self, number: str, big: bool) -> list[CoachRef]:
        """Coaches whose registration (or BIG) number is one keystroke away from `number`:
        one digit wrong, missing, extra, or two swapped (the edits generated and looked up,
        about 150 dict lookups, instead of comparing with every number in the register)."""
        index = self.by_big if big else self.by_reg
        found: dict[int, CoachRef] = {}
        for variant in _one_edit(number):
            coach = index.get(variant)
            if coach is None and not big:
                same = self.by_stripped.get(variant.lstrip("0"), [])
                coach = same[0] if len(same) == 1 else None
            if coach is not None:
                found.setdefault(coach.id, coach)
        return list(found.values())


def _one_edit(number: str) -> Iterator[str]:
    digits = "0123456789"
    for i in range(len(number) + 1):
        for digit in digits:
            yield number[:i] + digit + number[i:]  # a digit left out
        if i < len(number):
            yield number[:i] + number[i + 1:]  # a digit too many
            for digit in digits:
                if digit != number[i]:
                    yield number[:i] + digit + number[i + 1:]  # a digit mistyped
        if i < len(number) - 1 and number[i] != number[i + 1]:
            yield number[:i] + number[i + 1] + number[i] + number[i + 2:]  # two swapped


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
        return (f"reg:{self.reg_no or ''}|big:{self.big or ''}|name:{self.name}|"
                f"born:{self.birth.isoformat() if self.birth else ''}")


def name_agreement(coach: CoachRef, person: Person) -> int:
    """EXACT when the coach's last name is in the sheet's name (and initials do not disagree),
    NEAR when close (a typo, ij/y), else DIFFERENT."""
    last, sheet = coach.last, person.name
    if f" {last} " in f" {sheet} " or (
            last.replace(" ", "") in _joined_windows(sheet, last.count(" ") + 1)):
        score = EXACT
    else:
        score = NEAR if _near(last, sheet) else DIFFERENT
    if score == EXACT and person.initial and coach.initial and person.initial != coach.initial:
        return NEAR
    return score


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
    coach: CoachRef | None
    outcome: str | None = None  # None: identified; "held" or "rejected"
    reason: str | None = None
    message: str | None = None
    candidates: list[dict[str, Any]] | None = None


def identify(register: Register, person: Person) -> Identified:
    """Find the coach a row means; hold anything that is not an exact, agreeing match."""
    coach: CoachRef | None = None
    via = ""
    if person.reg_no:
        coach = register.by_reg.get(person.reg_no)
        if coach is None:
            same = register.by_stripped.get(person.reg_no.lstrip("0"), [])
            if len(same) == 1:
                coach = same[0]
            elif same:
                return Identified(None, "held", "near-match",
                                  f"registration number {person.reg_no} without its leading "
                                  f"zeros fits {len(same)} coaches",
                                  [c.candidate("number without leading zeros") for c in same])
        via = f"registration number {person.reg_no}"
    if coach is None and person.big:
        coach = register.by_big.get(person.big)
        via = f"BIG number {person.big}"
    if coach is not None:
        agreement = name_agreement(coach, person)
        if agreement == EXACT:
            if person.birth and coach.birth_date and person.birth != coach.birth_date:
                return Identified(None, "held", "birth-date-mismatch",
                                  f"{via} and the name match a coach with another birth date",
                                  [coach.candidate(f"same {via.split(' ')[0]} number")])
            return Identified(coach)
        if agreement == NEAR:
            return Identified(None, "held", "near-match",
                              f"the name is close to, but not the same as, the register's "
                              f"name for {via}", [coach.candidate(via)])
        others = _by_birth(register, person)
        return Identified(None, "held", "name-mismatch",
                          f"the name differs from the register's name for {via}",
                          [coach.candidate(via), *others][:MAX_CANDIDATES])
    if person.birth:
        same_birth = register.by_birth.get(person.birth, [])
        exact = [c for c in same_birth if name_agreement(c, person) == EXACT]
        if len(exact) == 1:
            return Identified(exact[0])
        near = _by_birth(register, person)
        if near:
            return Identified(None, "held", "near-match",
                              "no exact match on number, name and birth date; "
                              f"{len(near)} coach(es) with this birth date have a similar name",
                              near)
    near_numbers = _by_near_number(register, person)
    if near_numbers:
        return Identified(None, "held", "near-match",
                          "no coach with this number; a coach with a similar name has a number "
                          "one keystroke away", near_numbers)
    given = [part for part in (
        f"registration number {person.reg_no}" if person.reg_no else "",
        f"BIG number {person.big}" if person.big else "",
        "this name and birth date" if person.birth else "") if part]
    return Identified(None, "rejected", "unknown-coach",
                      f"not in the register: no coach with {' or '.join(given) or 'a number'}")


def _by_birth(register: Register, person: Person) -> list[dict[str, Any]]:
    if not person.birth:
        return []
    return [c.candidate("same birth date, similar name")
            for c in register.by_birth.get(person.birth, [])
            if name_agreement(c, person) != DIFFERENT][:MAX_CANDIDATES]


def _by_near_number(register: Register, person: Person) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for number, big in ((person.reg_no, False), (person.big, True)):
        if not number:
            continue
        what = "BIG number" if big else "registration number"
        found.extend(coach.candidate(f"{what} {coach.big if big else coach.reg_no} is one "
                                     f"keystroke away")
                     for coach in register.near_numbers(number, big)
                     if name_agreement(coach, person) != DIFFERENT)
    return found[:MAX_CANDIDATES]


@dataclass(slots=True)
class _Run:
    """What a row's course code and date come to: a run of the agenda, or the reason for the
    rejection (`value_at`: the column whose value the report shows). The same for every row
    with the same cells, so decided once per distinct pair."""

    course: CourseRef | None = None
    code: str | None = None
    run_id: int | None = None
    run_date: date | None = None
    reason: str | None = None
    message: str | None = None
    column: str | None = None
    value_at: int | None = None
    title_ok: bool | None = None  # the sheet's title fits the agenda's (when first needed)
    note: tuple[str | None, str | None] | None = None  # about the sheet's points (idem)


@dataclass(slots=True)
class _Who:
    """Who a row's person cells name, read once per distinct combination of them: numbers
    cleaned, the folded name, and the coach of the plain case (number in the register, name,
    initial and birth date agreeing), else None: search properly. `birth` is the birth date
    as read, before the century correction against the run's date."""

    reg_no: str | None
    big: str | None
    name: str
    coach: CoachRef | None
    birth: date | None


class Decider:
    """Decides the rows of one table against the register; keeps the file's own duplicates."""

    def __init__(self, register: Register, table: Table, provider: str | None,
                 keep_cells: bool, today: date) -> None:
        self.register = register
        self.table = table
        self.provider = provider.casefold() if provider else None
        self.keep_cells = keep_cells
        self.today = today
        col = table.columns
        self.c_reg = col.get("reg_no")
        self.c_big = col.get("big")
        self.c_last = col.get("last_name")
        self.c_name = col.get("name")
        self.c_prefix = col.get("prefix")
        self.c_initials = col.get("initials")
        self.c_first = col.get("first_name")
        self.c_birth = col.get("birth_date")
        self.c_initial_columns = tuple(c for c in (self.c_initials, self.c_first)
                                       if c is not None)
        self.c_code = col["course_code"]
        self.c_title = col.get("course_title")
        self.c_date = col["date"]
        self.c_points = col.get("points")
        self.lines: dict[tuple[Any, ...], int] = {}
        self.in_file: dict[tuple[int, int], int] = {}
        self.held_in_file: dict[tuple[int | None, str], int] = {}
        # Rows repeat the same course cells and the same people: each distinct combination of
        # cells is read once (keyed by the raw cells, as a spreadsheet shows them).
        self._run_key = itemgetter(*(c for c in (self.c_code, self.c_date, self.c_title,
                                                 self.c_points) if c is not None))
        self._runs: dict[Any, _Run] = {}
        self._person_key = itemgetter(*(c for c in (
            self.c_reg, self.c_big, self.c_last, self.c_name, self.c_prefix, self.c_initials,
            self.c_first, self.c_birth) if c is not None))
        self._people: dict[Any, _Who] = {}
        self._folded: dict[Any, str] = {}
        self._births: dict[Any, date | None] = {}
        self._dates: dict[Any, date] = {}

    def header(self, index: int | None) -> str | None:
        return None if index is None else self.table.headers[index]

    def decide(self, number: int, cells: list[Any]) -> RowResult:
        """The row's outcome before the register's existing credits are checked (the cells
        are the caller's to keep in the result)."""
        if not any(cells):
            return RowResult(number, "skipped", "blank-row")
        key = self._person_key(cells)
        who = self._people.get(key)
        if who is None:
            who = self._people[key] = self._who(cells)
        reg_no, big = who.reg_no, who.big
        if reg_no is None and big is None and clean.is_total_row(cells):
            return RowResult(number, "skipped", "total-row")
        first = self.lines.setdefault(tuple(cells), number)
        if first != number:
            return RowResult(number, "duplicate", "duplicate-in-file",
                             f"the same line as row {first}")
        name = who.name
        if not name:
            if all(clean.is_empty(c) for c in cells):
                return RowResult(number, "skipped", "blank-row")
            column = self.header(self.c_last if self.c_last is not None else self.c_name)
            return RowResult(number, "rejected", "missing-value", f"{column} is empty",
                             column=column)
        key = self._run_key(cells)
        run = self._runs.get(key)
        if run is None:
            run = self._runs[key] = self._run(cells)
        if run.reason is not None:
            return RowResult(number, "rejected", run.reason, run.message, run.column,
                             None if run.value_at is None else cells[run.value_at],
                             course=run.code, run_date=run.run_date)
        course, code, run_id, run_date = run.course, run.code, run.run_id, run.run_date
        assert course is not None and run_date is not None
        coach = who.coach
        if who.birth is not None and who.birth > run_date:  # born after the course: d-m-jj
            coach = self._exact_by_number(cells, reg_no, name, run_date)
        if coach is None:  # anything but the plain case: the full search, with candidates
            person = self._person(cells, name, reg_no, big, run_date)
            found = identify(self.register, person)
            if found.outcome is not None:
                result = RowResult(number, found.outcome, found.reason, found.message,
                                   course=code, run_id=run_id, run_date=run_date,
                                   points=course.points, candidates=found.candidates)
                if found.outcome == "held":
                    return self._held(result, person)
                result.column = self.header(self.c_reg if self.c_reg is not None
                                            else self.c_big)
                return result
            coach = found.coach
            assert coach is not None
        result = RowResult(number, "credited", None, None, None, None, coach.reg_no, coach.id,
                           code, run_id, run_date, course.points)
        if coach.state == WITHDRAWN:
            result.outcome, result.reason = "rejected", "coach-withdrawn"
            result.message = f"coach {coach.reg_no} is withdrawn from the register"
            return result
        title_ok = run.title_ok
        if title_ok is None:
            title_ok = run.title_ok = self._title_ok(course, cells)
        if not title_ok:
            result.outcome, result.reason = "held", "course-title-mismatch"
            result.message = (f"the course title differs from the training agenda's title "
                              f"for {code}")
            result.candidates = [coach.candidate("identified by the row")]
            result.coach = result.coach_id = None
            person = self._person(cells, name, reg_no, big, run_date)
            return self._held(result, person)
        if self.c_points is not None:
            note = run.note
            if note is None:
                note = run.note = self._points_note(course, cells[self.c_points])
            if note[0]:
                result.reason, result.message = note
                result.column, result.value = self.header(self.c_points), cells[self.c_points]
        return result

    def _who(self, cells: list[Any]) -> _Who:
        reg_no = clean.reg_no(cells[self.c_reg]) if self.c_reg is not None else None
        big = clean.big(cells[self.c_big]) if self.c_big is not None else None
        name = self._name(cells)
        birth = self._read_birth(cells[self.c_birth]) if self.c_birth is not None else None
        coach = self.register.by_reg.get(reg_no) if reg_no else None
        if coach is not None and (
                f" {coach.last} " not in f" {name} "
                or (coach.birth_date is not None and birth is not None
                    and birth != coach.birth_date)):
            coach = None
        if coach is not None and self.c_initial_columns:
            initial = self._initial(cells)
            if initial and coach.initial and initial != coach.initial:
                coach = None
        return _Who(reg_no, big, name, coach, birth)

    def _run(self, cells: list[Any]) -> _Run:
        """The course run a row's code and date name in the agenda, or why there is none."""
        raw_code, raw_date = cells[self.c_code], cells[self.c_date]
        text = clean.text(raw_code)
        code = text.upper() if text is not None else None
        if code is None:
            return _Run(reason="missing-value", message=f"{self.header(self.c_code)} is empty",
                        column=self.header(self.c_code))
        run_date = self._dates.get(raw_date)
        if run_date is None:
            try:
                run_date = clean.a_date(raw_date, self.table.headers[self.c_date])
            except clean.CellProblem as problem:
                return _Run(code=code, reason=problem.slug, message=problem.message,
                            column=self.header(self.c_date), value_at=self.c_date)
            self._dates[raw_date] = run_date
        course = self.register.courses.get(code)
        if course is None:
            return _Run(code=code, run_date=run_date, reason="unknown-course",
                        message=f"not in the training agenda: no course with code {code}",
                        column=self.header(self.c_code), value_at=self.c_code)
        if self.provider and course.provider.casefold() != self.provider:
            return _Run(code=code, run_date=run_date, reason="other-provider",
                        message=f"course {code} in the training agenda belongs to another "
                                f"provider",
                        column=self.header(self.c_code), value_at=self.c_code)
        if not course.accredited_from <= run_date <= course.accredited_until:
            return _Run(code=code, run_date=run_date, reason="outside-accreditation",
                        message=f"{format_date(run_date)} is outside the accreditation of "
                                f"{code} ({format_date(course.accredited_from)} to "
                                f"{format_date(course.accredited_until)})",
                        column=self.header(self.c_date), value_at=self.c_date)
        run_id = self.register.runs.get((course.id, run_date))
        if run_id is None:
            return _Run(code=code, run_date=run_date, reason="no-run-on-date",
                        message=f"not in the training agenda: {code} has no run on "
                                f"{format_date(run_date)}",
                        column=self.header(self.c_date), value_at=self.c_date)
        return _Run(course, code, run_id, run_date)

    def _exact_by_number(self, cells: list[Any], reg_no: str | None, name: str,
                         run_date: date) -> CoachRef | None:
        """The plain case, cheaply: the registration number is in the register and the name,
        initial and birth date agree. None means: search properly."""
        coach = self.register.by_reg.get(reg_no) if reg_no else None
        if coach is None or f" {coach.last} " not in f" {name} ":
            return None
        if self.c_initial_columns:
            initial = self._initial(cells)
            if initial and coach.initial and initial != coach.initial:
                return None
        if coach.birth_date is not None and self.c_birth is not None:
            birth = self._birth(cells[self.c_birth], run_date)
            if birth is not None and birth != coach.birth_date:
                return None
        return coach

    def _initial(self, cells: list[Any]) -> str | None:
        for column in self.c_initial_columns:
            folded = self._fold(cells[column])
            if folded:
                return folded[0]
        return None

    def _read_birth(self, raw: Any) -> date | None:
        """A readable birth date, or None (an unreadable one identifies no one)."""
        if raw is None or raw == "":
            return None
        try:
            return self._births[raw]
        except KeyError:
            pass
        try:
            birth: date | None = clean.birth_date(raw, self.table.headers[self.c_birth or 0],
                                                  self.today)
        except clean.CellProblem:
            birth = None
        self._births[raw] = birth
        return birth

    def _birth(self, raw: Any, run_date: date) -> date | None:
        """The birth date, a century earlier when it falls after the course's date."""
        birth = self._read_birth(raw)
        if birth is None:
            return None
        if birth > run_date:  # d-m-jj: a two-digit year a century too late
            birth = birth.replace(year=birth.year - 100) if (birth.month, birth.day) != (2, 29) \
                else birth.replace(year=birth.year - 100, day=28)
        return birth

    def _held(self, result: RowResult, person: Person) -> RowResult:
        identity = person.identity
        key = (result.run_id, identity)
        earlier = self.register.held.get(key)
        if earlier is not None:
            ref, outcome, reg_no = earlier
            if outcome == "held":
                result.outcome, result.reason = "duplicate", "already-held"
                result.message = f"already waiting for review as {ref}"
            elif outcome == "credited":
                result.outcome, result.reason = "duplicate", "already-credited"
                result.message = f"resolved on review as {ref}: credited to coach {reg_no}"
            else:
                result.outcome, result.reason = "rejected", "rejected-on-review"
                result.message = f"rejected on review as {ref}"
            return result
        first = self.held_in_file.get(key)
        if first is not None:
            result.outcome, result.reason = "duplicate", "duplicate-in-file"
            result.message = f"the same person and course run as row {first} (held)"
            return result
        self.held_in_file[key] = result.row
        result.identity = identity
        return result

    def _fold(self, value: Any) -> str:
        folded = self._folded.get(value)
        if folded is None:
            raw = clean.text(value)
            folded = self._folded[value] = clean.fold(raw) if raw is not None else ""
        return folded

    def _name(self, cells: list[Any]) -> str:
        last = self._fold(cells[self.c_last]) if self.c_last is not None else ""
        if last:
            if self.c_prefix is None:
                return last
            prefix = self._fold(cells[self.c_prefix])
            return f"{prefix} {last}" if prefix else last
        return self._fold(cells[self.c_name]) if self.c_name is not None else ""

    def _person(self, cells: list[Any], name: str, reg_no: str | None, big: str | None,
                run_date: date) -> Person:
        birth = self._birth(cells[self.c_birth], run_date) if self.c_birth is not None else None
        return Person(reg_no, big, name, self._initial(cells), birth)

    def _title_ok(self, course: CourseRef, cells: list[Any]) -> bool:
        if self.c_title is None:
            return True
        from rapidfuzz import fuzz

        raw = clean.text(cells[self.c_title])
        sheet, agenda = clean.fold(raw or ""), clean.fold(course.title)
        return (not sheet or sheet in agenda or agenda in sheet
                or fuzz.token_set_ratio(sheet, agenda) >= TITLE_SCORE)

    def _points_note(self, course: CourseRef, raw: Any) -> tuple[str | None, str | None]:
        """(reason, message) about the sheet's points where they are not the agenda's."""
        if clean.is_empty(raw):
            return None, None
        agenda = course.points
        try:
            sheet: Decimal | None = clean.decimal(raw, self.table.headers[self.c_points or 0])
        except clean.CellProblem as problem:
            return "bad-number", (f"{problem.message}; credited the agenda's "
                                  f"{format_decimal(agenda)}")
        if sheet == agenda:
            return None, None
        return "points-differ", (f"the sheet says {format_decimal(sheet or Decimal(0))} "
                                 f"points, the training agenda {format_decimal(agenda)}: "
                                 f"credited {format_decimal(agenda)}")

    def settle(self, result: RowResult) -> None:
        """Turn a row that would be credited into a duplicate if it already is."""
        if result.outcome != "credited":
            return
        key = (result.coach_id or 0, result.run_id or 0)
        where = self.register.credits.get(key)
        if where is not None:
            result.outcome, result.reason = "duplicate", "already-credited"
            result.message = (f"coach {result.coach} is already credited for {result.course} "
                              f"on {format_date(result.run_date)} ({where})")
            result.column = result.value = None
            return
        first = self.in_file.get(key)
        if first is not None:
            result.outcome, result.reason = "duplicate", "duplicate-in-file"
            result.message = (f"coach {result.coach} for {result.course} on "
                              f"{format_date(result.run_date)} is credited by row {first}")
            result.column = result.value = None
            return
        self.in_file[key] = result.row


# json's own C string escaper (what json.dumps uses with ensure_ascii=False)
_ESCAPE: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _cell_json(key: str, value: Any) -> str:
    """`"header": value` for a non-empty cell, else "": 4512.0 as 4512, dates as ISO text."""
    kind = type(value)
    if kind is str:
        return key + _ESCAPE(value) if value else ""
    if value is None:
        return ""
    if kind is float and math.isfinite(value):
        return key + (str(int(value)) if value.is_integer() else repr(value))
    if kind is int:
        return key + str(value)
    if kind is bool:
        return key + ("true" if value else "false")
    if isinstance(value, date):
        return key + '"' + value.isoformat() + '"'
    return key + _ESCAPE(str(value))


class _ColumnJson(dict[Any, str]):
    """One column's cells as JSON fragments, each distinct value encoded once: a sheet repeats
    its course codes, titles, dates and names on row after row."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def __missing__(self, value: Any) -> str:
        part = _cell_json(self.key, value)
        # True == 1 == 1.0 as dict keys, but true is not 1 in JSON: those are not kept.
        if type(value) is str or not (value == 0 or value == 1):
            self[value] = part
        return part


# Distinct values kept per column before its fragments are dropped (memory stays bounded).
_COLUMN_JSON_MAX = 50_000


def raw_encoder(headers: list[str]) -> Callable[[list[list[Any]]], list[str]]:
    """A function writing rows' non-empty cells as JSON objects keyed by header, for
    import_row.raw (`smr import show`): 4512.0 as 4512, dates as ISO text. Written by hand
    because it runs for every row: column by column, each distinct value encoded once, the
    lookups and joins done by C loops (a third of json.dumps on a dict per row)."""
    keys = [_ESCAPE(h) + ": " for h in headers]
    columns = [_ColumnJson(key) for key in keys]
    width = len(headers)

    def one(cells: list[Any]) -> str:
        return "{" + ", ".join(filter(None, map(_cell_json, keys, cells))) + "}"

    def encode(rows: list[list[Any]]) -> list[str]:
        if not rows:
            return []
        if min(map(len, rows)) < width:
            return [one(cells) for cells in rows]
        try:
            parts = [list(map(fragments.__getitem__, cells)) for fragments, cells
                     in zip(columns, zip(*rows, strict=False), strict=False)]
        except TypeError:  # an unhashable cell: no reuse
            return [one(cells) for cells in rows]
        for fragments in columns:
            if len(fragments) > _COLUMN_JSON_MAX:
                fragments.clear()
        return ["{" + ", ".join(filter(None, row)) + "}" for row in zip(*parts, strict=True)]

    return encode


def raw_json(headers: list[str], cells: list[Any]) -> str:
    """The row's original cells as JSON (see `raw_encoder`)."""
    return raw_encoder(headers)([cells])[0]


def _chunks(rows: Iterator[tuple[int, list[Any]]], size: int) -> Iterator[list[tuple[int, Any]]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def open_batch(session: Session, change: Change, kind: str, table: Table,
               report: FileReport) -> int:
    """Start the batch record of one file; note earlier (not undone) imports of the same file."""
    report.earlier_batches = [b.id for b in import_store.batches_of_file(session, kind,
                                                                         table.sha256)
                              if b.undone_at is None]
    report.batch = import_store.insert_batch(session, {
        "kind": kind, "file_name": table.name, "sha256": table.sha256,
        "sheet": table.sheet, "imported_at": change.at, "actor": change.actor})
    return report.batch


def import_attendance(session: Session, change: Change, register: Register, table: Table,
                      report: FileReport, *, provider: str | None, keep_cells: bool,
                      today: date, progress: Callable[[int], None] | None = None) -> None:
    """Decide and write every row of `table` as one batch in `session`'s transaction."""
    register.catch_up()
    batch_id = open_batch(session, change, "attendance", table, report)
    decider = Decider(register, table, provider, keep_cells, today)
    # Each coach's credits as the JSON lines of their history row, built as the rows go by.
    per_coach: dict[int, list[str]] = defaultdict(list)
    writer = Background(threaded=db.shareable_across_threads(session))
    try:
        _decide_and_write(session, writer, register, decider, table, report, batch_id,
                          change, per_coach, progress)
        report.recount()
        write_history(session, change, report, per_coach, writer)
        writer.close()
    except BaseException:
        writer.close(abandon=True)
        raise
    # The next file of the same command sees this one's credits and held rows.
    register.remember(batch_id, decider.in_file, decider.held_in_file)


def _decide_and_write(session: Session, writer: Background, register: Register,
                      decider: Decider, table: Table, report: FileReport, batch_id: int,
                      change: Change, per_coach: dict[int, list[str]],
                      progress: Callable[[int], None] | None) -> None:
    """Rows decided a chunk at a time; each chunk's rows and credits written by `writer`
    while the next chunk is decided."""
    decide, settle, encode = decider.decide, decider.settle, raw_encoder(table.headers)
    around: dict[int, tuple[str, str]] = {}  # run_id -> a credit line's JSON around its row
    for chunk in _chunks(table.rows(), CHUNK):
        results = [decide(number, cells) for number, cells in chunk]
        if decider.keep_cells:
            for result, (_number, cells) in zip(results, chunk, strict=True):
                result.cells = cells
        runs = {r.run_id for r in results if r.outcome == "credited" and r.run_id}
        if not runs <= register.runs_with_credits:  # read the register, between the writes
            writer.call(register.load_credits, session, runs)
        raws = encode([cells for _number, cells in chunk])
        rows: list[tuple[Any, ...]] = []
        for result, raw in zip(results, raws, strict=True):
            settle(result)
            outcome = result.outcome
            candidates = None
            if outcome == "credited":
                line = around.get(result.run_id or 0)
                if line is None:
                    line = around[result.run_id or 0] = _credit_line(result)
                per_coach[result.coach_id or 0].append(f"{line[0]}{result.row}{line[1]}")
            elif outcome == "held":
                candidates = json.dumps({"identity": result.identity,
                                         "coaches": result.candidates or []},
                                        ensure_ascii=False)
            rows.append((batch_id, result.row, outcome, result.reason, result.message, raw,
                         result.coach_id, result.run_id, candidates))
        report.rows.extend(results)
        writer.submit(import_store.insert_import_rows, session, rows)
        # The credits follow from the rows decided `credited`: one INSERT ... SELECT, no
        # per-row round trip through Python.
        writer.submit(import_store.credit_import_rows, session, batch_id, change.at,
                      (chunk[0][0], chunk[-1][0]))
        if progress is not None:
            progress(len(chunk))


def _credit_line(result: RowResult) -> tuple[str, str]:
    """A credit in a coach's history row, as its JSON before and after the row number: each
    credited row then adds only its number, not a dict and an encoder call."""
    return history_store.json_around(
        {"course": result.course or "", "points": format_decimal(result.points or Decimal(0)),
         "row": None, "run_date": result.run_date.isoformat() if result.run_date else None},
        "row")


def write_history(session: Session, change: Change, report: FileReport,
                  per_coach: dict[int, list[str]], writer: Background | None = None) -> None:
    """One history row per coach credited (so `smr history` shows the coach's credits, with
    batch, file and rows) and one for the batch with its totals; then the batch's counts.
    `per_coach` holds each coach's credits as JSON objects (see `_credit_line`). Written by
    `writer` when given, else at once."""
    batch_id = report.batch
    assert batch_id is not None
    t = report.totals()
    head, tail = history_store.json_around(
        {"batch": int(batch_id), "credits": None, "file": report.path.name}, "credits")
    rows = [history_store.history_values(
        change, entity="point_credit", action="import", entity_id=batch_id, coach_id=coach_id,
        after=HistoryJson(f"{head}[{', '.join(lines)}]{tail}"))
        for coach_id, lines in per_coach.items()]
    rows.append(history_store.history_values(change, entity="import_batch", action="import",
                                             entity_id=batch_id,
                                             after={"kind": report.kind, "file": report.path.name,
                                                    "sha256": report.sha256, "sheet": report.sheet,
                                                    **t}))
    counts = {"rows_read": t["rows"], "credited": t["credited"] + t["added"],
              "held": t["held"], "rejected": t["rejected"], "skipped": t["skipped"],
              "duplicates": t["duplicate"]}
    if writer is None:
        history_store.insert_history(session, rows)
        import_store.update_batch(session, batch_id, counts)
    else:
        writer.submit(history_store.insert_history, session, rows)
        writer.submit(import_store.update_batch, session, batch_id, counts)
