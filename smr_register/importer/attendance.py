"""Deciding each row of an attendance list, and writing the batch.

The register is loaded into dicts once (`Register`): coaches by registration number, by the
number without leading zeros, by BIG number and by birth date; courses by code; runs by (course,
date). Rows are then decided in memory and written in chunks with Core executemany, all in the
caller's one transaction.

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
from typing import Any

from sqlmodel import Session

from smr_register import db
from smr_register.importer import cells as clean
from smr_register.importer.reading import Table
from smr_register.importer.report import FileReport, RowResult
from smr_register.models import CoachState
from smr_register.values import format_date, format_decimal, from_centi, full_name

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
    points_text: str = ""

    def __post_init__(self) -> None:
        self.points = from_centi(self.points_centi)
        self.points_text = format_decimal(self.points)


class Register:
    """The parts of the register an attendance import compares against, loaded once."""

    def __init__(self, session: Session) -> None:
        self.by_reg: dict[str, CoachRef] = {}
        self.by_stripped: dict[str, list[CoachRef]] = defaultdict(list)
        self.by_big: dict[str, CoachRef] = {}
        self.by_birth: dict[date, list[CoachRef]] = defaultdict(list)
        for row in db.import_coach_index(session):
            coach = CoachRef(*row)
            self.by_reg[coach.reg_no] = coach
            self.by_stripped[coach.reg_no.lstrip("0")].append(coach)
            if coach.big:
                self.by_big[coach.big] = coach
            if coach.birth_date:
                self.by_birth[coach.birth_date].append(coach)
        self.courses = {row[1].upper(): CourseRef(*row) for row in db.import_course_index(session)}
        self.runs: dict[tuple[int, date], int] = {
            (course_id, run_date): run_id for run_id, course_id, run_date
            in db.import_run_index(session)}
        # (coach_id, run_id) -> where the credit came from, for the runs loaded so far
        self.credits: dict[tuple[int, int], str] = {}
        self._credit_runs: set[int] = set()
        # (run_id, identity) of rows held before -> (batch:row, outcome now, coach credited)
        self.held: dict[tuple[int | None, str], tuple[str, str, str | None]] = {}
        for batch_id, row_number, run_id, outcome, reg_no, candidates in db.reviewed_rows(
                session):
            identity = json.loads(candidates).get("identity")
            if identity:
                self.held[(run_id, identity)] = (f"{batch_id}:{row_number}", outcome, reg_no)

    def load_credits(self, session: Session, run_ids: set[int]) -> None:
        """Fetch the existing credits of runs not seen before (one query per chunk)."""
        new = run_ids - self._credit_runs
        if not new:
            return
        self._credit_runs |= new
        for coach_id, run_id, batch_id, row_number, source in db.credits_for_runs(session, new):
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
        self._dates: dict[Any, date] = {}
        self._titles: dict[tuple[int, str], bool] = {}
        self._points: dict[tuple[int, Any], tuple[str | None, str | None]] = {}
        self._folded: dict[Any, str] = {}
        self._births: dict[Any, date] = {}
        self._codes: dict[Any, str | None] = {}

    def header(self, index: int | None) -> str | None:
        return None if index is None else self.table.headers[index]

    def decide(self, number: int, cells: list[Any]) -> RowResult:
        """The row's outcome before the register's existing credits are checked."""
        result = self._decide(number, cells)
        if self.keep_cells:
            result.cells = cells
        return result

    def _decide(self, number: int, cells: list[Any]) -> RowResult:
        if not any(cells):
            return RowResult(number, "skipped", "blank-row")
        reg_no = clean.reg_no(cells[self.c_reg]) if self.c_reg is not None else None
        big = clean.big(cells[self.c_big]) if self.c_big is not None else None
        if reg_no is None and big is None and clean.is_total_row(cells):
            return RowResult(number, "skipped", "total-row")
        line = tuple(cells)
        first = self.lines.get(line)
        if first is not None:
            return RowResult(number, "duplicate", "duplicate-in-file",
                             f"the same line as row {first}")
        self.lines[line] = number
        name = self._name(cells)
        if not name:
            if all(clean.is_empty(c) for c in cells):
                return RowResult(number, "skipped", "blank-row")
            column = self.header(self.c_last if self.c_last is not None else self.c_name)
            return RowResult(number, "rejected", "missing-value", f"{column} is empty",
                             column=column)
        raw_code = cells[self.c_code]
        code = self._codes.get(raw_code, "")
        if code == "":
            text = clean.text(raw_code)
            code = self._codes[raw_code] = text.upper() if text is not None else None
        if code is None:
            column = self.header(self.c_code)
            return RowResult(number, "rejected", "missing-value", f"{column} is empty",
                             column=column)
        raw_date = cells[self.c_date]
        run_date = self._dates.get(raw_date)
        if run_date is None:
            try:
                run_date = clean.a_date(raw_date, self.table.headers[self.c_date])
            except clean.CellProblem as problem:
                return RowResult(number, "rejected", problem.slug, problem.message,
                                 column=self.header(self.c_date), value=raw_date, course=code)
            self._dates[raw_date] = run_date
        course = self.register.courses.get(code)
        if course is None:
            return RowResult(number, "rejected", "unknown-course",
                             f"not in the training agenda: no course with code {code}",
                             column=self.header(self.c_code), value=raw_code, course=code,
                             run_date=run_date)
        if self.provider and course.provider.casefold() != self.provider:
            return RowResult(number, "rejected", "other-provider",
                             f"course {code} in the training agenda belongs to another provider",
                             column=self.header(self.c_code), value=raw_code, course=code,
                             run_date=run_date)
        if not course.accredited_from <= run_date <= course.accredited_until:
            return RowResult(number, "rejected", "outside-accreditation",
                             f"{format_date(run_date)} is outside the accreditation of {code} "
                             f"({format_date(course.accredited_from)} to "
                             f"{format_date(course.accredited_until)})",
                             column=self.header(self.c_date), value=raw_date, course=code,
                             run_date=run_date)
        run_id = self.register.runs.get((course.id, run_date))
        if run_id is None:
            return RowResult(number, "rejected", "no-run-on-date",
                             f"not in the training agenda: {code} has no run on "
                             f"{format_date(run_date)}", column=self.header(self.c_date),
                             value=raw_date, course=code, run_date=run_date)
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
        if not self._title_ok(course, cells):
            result.outcome, result.reason = "held", "course-title-mismatch"
            result.message = (f"the course title differs from the training agenda's title "
                              f"for {code}")
            result.candidates = [coach.candidate("identified by the row")]
            result.coach = result.coach_id = None
            person = self._person(cells, name, reg_no, big, run_date)
            return self._held(result, person)
        if self.c_points is not None:
            self._note_points(result, course, cells)
        return result

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

    def _birth(self, raw: Any, run_date: date) -> date | None:
        """A readable birth date, or None (an unreadable one identifies no one)."""
        if raw is None or raw == "":
            return None
        birth = self._births.get(raw)
        if birth is None:
            try:
                birth = clean.birth_date(raw, self.table.headers[self.c_birth or 0], self.today)
            except clean.CellProblem:
                return None
            self._births[raw] = birth
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
        key = (course.id, cells[self.c_title])
        ok = self._titles.get(key)
        if ok is None:
            from rapidfuzz import fuzz

            raw = clean.text(key[1])
            sheet, agenda = clean.fold(raw or ""), clean.fold(course.title)
            ok = self._titles[key] = (not sheet or sheet in agenda or agenda in sheet
                                      or fuzz.token_set_ratio(sheet, agenda) >= TITLE_SCORE)
        return ok

    def _note_points(self, result: RowResult, course: CourseRef, cells: list[Any]) -> None:
        raw = cells[self.c_points or 0]
        key = (course.id, raw)
        note = self._points.get(key)
        if note is None:
            if clean.is_empty(raw):
                self._points[key] = (None, None)
                return
            agenda = course.points
            try:
                sheet: Decimal | None = clean.decimal(raw, self.table.headers[self.c_points])
            except clean.CellProblem as problem:
                note = ("bad-number", f"{problem.message}; credited the agenda's "
                                      f"{format_decimal(agenda)}")
            else:
                note = (None, None) if sheet == agenda else (
                    "points-differ", f"the sheet says {format_decimal(sheet or Decimal(0))} "
                    f"points, the training agenda {format_decimal(agenda)}: credited "
                    f"{format_decimal(agenda)}")
            self._points[key] = note
        if note[0]:
            result.reason, result.message = note
            result.column, result.value = self.header(self.c_points), raw

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


def raw_encoder(headers: list[str]) -> Callable[[list[Any]], str]:
    """A function writing a row's non-empty cells as a JSON object keyed by header, for
    import_row.raw (`smr import show`): 4512.0 as 4512, dates as ISO text. Written by hand
    because it runs for every row and costs half of json.dumps on a dict."""
    keys = [_ESCAPE(h) + ": " for h in headers]

    def encode(cells: list[Any]) -> str:
        parts = []
        for key, value in zip(keys, cells, strict=False):
            kind = type(value)
            if kind is str:
                if value:
                    parts.append(key + _ESCAPE(value))
            elif value is None:
                continue
            elif kind is float and math.isfinite(value):
                parts.append(key + (str(int(value)) if value.is_integer() else repr(value)))
            elif kind is int:
                parts.append(key + str(value))
            elif kind is bool:
                parts.append(key + ("true" if value else "false"))
            elif isinstance(value, date):
                parts.append(key + '"' + value.isoformat() + '"')
            else:
                parts.append(key + _ESCAPE(str(value)))
        return "{" + ", ".join(parts) + "}"

    return encode


def raw_json(headers: list[str], cells: list[Any]) -> str:
    """The row's original cells as JSON (see `raw_encoder`)."""
    return raw_encoder(headers)(cells)


def _chunks(rows: Iterator[tuple[int, list[Any]]], size: int) -> Iterator[list[tuple[int, Any]]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def import_attendance(session: Session, change: db.Change, register: Register, table: Table,
                      report: FileReport, *, provider: str | None, keep_cells: bool,
                      today: date, progress: Callable[[int], None] | None = None) -> None:
    """Decide and write every row of `table` as one batch in `session`'s transaction."""
    report.earlier_batches = [b.id for b in db.batches_of_file(session, "attendance",
                                                                table.sha256)
                              if b.undone_at is None]
    batch_id = db.insert_batch(session, {
        "kind": "attendance", "file_name": table.name, "sha256": table.sha256,
        "sheet": table.sheet, "imported_at": change.at, "actor": change.actor})
    report.batch = batch_id
    decider = Decider(register, table, provider, keep_cells, today)
    decide, settle, encode = decider.decide, decider.settle, raw_encoder(table.headers)
    per_coach: dict[int, list[dict[str, Any]]] = defaultdict(list)
    points_text = {course.points: course.points_text for course in register.courses.values()}
    for chunk in _chunks(table.rows(), CHUNK):
        results = [decide(number, cells) for number, cells in chunk]
        register.load_credits(session, {r.run_id for r in results
                                        if r.outcome == "credited" and r.run_id})
        rows: list[dict[str, Any]] = []
        for result, (_number, cells) in zip(results, chunk, strict=True):
            settle(result)
            outcome = result.outcome
            candidates = None
            if outcome == "credited":
                per_coach[result.coach_id or 0].append({
                    "course": result.course, "run_date": result.run_date.isoformat()
                    if result.run_date else None,
                    "points": points_text.get(result.points) or format_decimal(
                        result.points or Decimal(0)), "row": result.row})
            elif outcome == "held":
                candidates = json.dumps({"identity": result.identity,
                                         "coaches": result.candidates or []},
                                        ensure_ascii=False)
            rows.append({"batch_id": batch_id, "row_number": result.row, "outcome": outcome,
                         "reason": result.reason, "message": result.message,
                         "raw": encode(cells), "coach_id": result.coach_id,
                         "run_id": result.run_id, "candidates": candidates})
        report.rows.extend(results)
        db.insert_import_rows(session, rows)
        if progress is not None:
            progress(len(chunk))
    report.recount()
    # The credits follow from the rows decided `credited`: one INSERT ... SELECT, no per-row
    # round trip through Python.
    db.credit_import_rows(session, batch_id, change.at)
    write_history(session, change, report, per_coach)
    # The next file of the same command sees this one's credits and held rows.
    for result in report.rows:
        if result.outcome == "credited":
            register.credits[(result.coach_id or 0, result.run_id or 0)] = (
                f"batch {batch_id} row {result.row}")
        elif result.outcome == "held" and result.identity:
            register.held[(result.run_id, result.identity)] = (f"{batch_id}:{result.row}",
                                                               "held", None)


def write_history(session: Session, change: db.Change, report: FileReport,
                  per_coach: dict[int, list[dict[str, Any]]]) -> None:
    """One history row per coach credited (so `smr history` shows the coach's credits, with
    batch, file and rows) and one for the batch with its totals; then the batch's counts."""
    batch_id = report.batch
    assert batch_id is not None
    t = report.totals()
    rows = [db.history_values(change, entity="point_credit", action="import",
                              entity_id=batch_id, coach_id=coach_id,
                              after={"batch": batch_id, "file": report.path.name,
                                     "credits": lines})
            for coach_id, lines in per_coach.items()]
    rows.append(db.history_values(change, entity="import_batch", action="import",
                                  entity_id=batch_id,
                                  after={"kind": report.kind, "file": report.path.name,
                                         "sha256": report.sha256, "sheet": report.sheet,
                                         **t}))
    db.insert_history(session, rows)
    db.update_batch(session, batch_id, {
        "rows_read": t["rows"], "credited": t["credited"] + t["added"], "held": t["held"],
        "rejected": t["rejected"], "skipped": t["skipped"], "duplicates": t["duplicate"]})
