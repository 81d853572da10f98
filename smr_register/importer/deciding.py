"""Deciding each row of an attendance list against the register index, in memory.

A row's course code and date must name a run of the training agenda, inside the course's
accreditation; the agenda's points count (DOMAIN.md: the agenda alone decides). Its person cells
must identify a coach exactly (`matching`); anything else is held for review or rejected. Each
step returns the row's result as soon as it is decided, built once with its outcome.

Rows repeat the same course cells and the same people: each distinct combination of person cells
and of course cells is read once. `settle` runs later, once the register's credits of the
chunk's runs are loaded: a row that would be credited twice becomes a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Any

from smr_register.domain.credits import has_taken_place, not_yet_held
from smr_register.domain.i18n import _, number
from smr_register.domain.values import format_date
from smr_register.importer import cells as clean
from smr_register.importer.index import CoachRef, CourseRef, Credited, HeldInFile, RegisterIndex
from smr_register.importer.matching import Person, by_number, identify, title_fits
from smr_register.importer.reading import Table
from smr_register.importer.reasons import Outcome, Reason
from smr_register.importer.report import RowResult
from smr_register.store.models import CoachState

WITHDRAWN = CoachState.WITHDRAWN.value
# The members every row meets, as module constants: on Python 3.11 each `Outcome.CREDITED`
# is a descriptor call (0.2 µs), twice a row.
_CREDITED = Outcome.CREDITED
_PRESENT, _ABSENT, _EMPTY = (clean.Attendance.PRESENT, clean.Attendance.ABSENT,
                             clean.Attendance.EMPTY)


@dataclass(slots=True)
class _Run:
    """What a row's course code and date come to: a run of the agenda, or the reason for the
    rejection (`value_at`: the column whose value the report shows). The same for every row
    with the same cells, so decided once per distinct combination."""

    course: CourseRef | None = None
    code: str | None = None
    run_id: int | None = None
    run_date: date | None = None
    reason: Reason | None = None
    message: str | None = None
    column: str | None = None
    value_at: int | None = None
    title_ok: bool | None = None  # the sheet's title fits the agenda's (when first needed)
    note: tuple[Reason | None, str | None] | None = None  # about the sheet's points (idem)


@dataclass(slots=True)
class _Who:
    """Who a row's person cells name, read once per distinct combination of them (the birth
    date as read, before the century correction against a run's date), and the coach of the
    plain case (`matching.by_number`), else None: search properly."""

    person: Person
    coach: CoachRef | None


def reviewed_before(ref: str, outcome: str, reg_no: str | None) -> tuple[Outcome, Reason, str]:
    """What becomes of a row held before as `ref` (batch:row), by what became of that one."""
    if outcome == Outcome.HELD:
        return Outcome.DUPLICATE, Reason.ALREADY_HELD, _("already waiting for "
                                                         "review as {ref}").format(
                                                         ref=ref)
    if outcome == Outcome.CREDITED:
        return (Outcome.DUPLICATE, Reason.ALREADY_CREDITED,
                _("resolved on review as {ref}: credited to coach {reg_no}").format(
                  ref=ref, reg_no=reg_no))
    return Outcome.REJECTED, Reason.REJECTED_ON_REVIEW, _("rejected on review as {ref}").format(
                                                          ref=ref)


def _duplicate(result: RowResult, reason: Reason, message: str) -> RowResult:
    """A row that would credit its coach for a run a second time: a duplicate, pointing at no
    cell (the whole row repeats another)."""
    return replace(result, outcome=Outcome.DUPLICATE, reason=reason, message=message,
                   column=None, value=None)


def on_run_date(person: Person, run_date: date) -> Person:
    """The person with a birth date after the course's date (`d-m-jj`) set a century back."""
    if person.birth is None or person.birth <= run_date:
        return person
    return replace(person, birth=clean.not_after(person.birth, run_date))


class Decider:
    """Decides the rows of one table against the register; keeps the file's own duplicates."""

    def __init__(self, index: RegisterIndex, table: Table, provider: str | None,
                 keep_cells: bool, today: date) -> None:
        self.index = index
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
        # (column, whether it is an absence column): Aanwezig, Afwezig
        self.c_attendance = tuple((c, absence) for c, absence in (
            (col.get("present"), False), (col.get("absent"), True)) if c is not None)
        self._said: dict[tuple[int, Any], clean.Attendance] = {}
        self.lines: dict[tuple[Any, ...], int] = {}
        self.in_file: Credited = {}
        self.held_in_file: HeldInFile = {}
        # Each distinct combination of cells is read once (keyed by the raw cells, as a
        # spreadsheet shows them).
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
        """The sheet's header of a column, by its index."""
        return None if index is None else self.table.headers[index]

    def decide(self, number: int, cells: list[Any]) -> RowResult:
        """The row's outcome before the register's existing credits are checked (`settle`;
        the cells are the caller's to keep in the result)."""
        if not any(cells):
            return RowResult(number, Outcome.SKIPPED, Reason.BLANK_ROW)
        key = self._person_key(cells)
        who = self._people.get(key)
        if who is None:
            who = self._people[key] = self._who(cells)
        screened = self._screen(number, cells, who.person)
        if screened is not None:
            return screened
        key = self._run_key(cells)
        run = self._runs.get(key)
        if run is None:
            run = self._runs[key] = self._run(cells)
        if run.reason is not None:
            return RowResult(number, Outcome.REJECTED, run.reason, run.message, run.column,
                             None if run.value_at is None else cells[run.value_at],
                             course=run.code, run_date=run.run_date)
        assert run.run_date is not None
        unclear = None
        if self.c_attendance:  # points only for who was there
            said, column = self._attended(cells)
            if said is not _PRESENT:
                header, raw = self.table.headers[column], cells[column]
                if said is _ABSENT:
                    return self._result(number, run, Outcome.REJECTED, Reason.ABSENT,
                                        _("{column} says {value!r}: absent, so no points")
                                        .format(column=header, value=clean.text(raw)),
                                        header, raw)
                if said is _EMPTY:
                    return self._result(number, run, Outcome.REJECTED, Reason.MISSING_VALUE,
                                        _("{column} is empty: attendance is not recorded")
                                        .format(column=header),
                                        header)
                unclear = _("{column} says {value!r}: neither present nor absent").format(
                    column=header, value=clean.text(raw))
        coach = who.coach
        person = who.person
        if person.birth is not None and person.birth > run.run_date:
            person = on_run_date(person, run.run_date)
            coach = by_number(self.index, person)
        if coach is None:  # anything but the plain case: the full search, with candidates
            found = identify(self.index, person)
            if found.coach is None:
                assert found.outcome is not None and found.reason is not None
                if found.outcome == Outcome.HELD:
                    message = found.message if unclear is None else f"{found.message}; {unclear}"
                    return self._held(number, run, person, found.reason, message,
                                      found.candidates)
                return self._result(number, run, found.outcome, found.reason, found.message,
                                    self.header(self.c_reg if self.c_reg is not None
                                                else self.c_big),
                                    candidates=found.candidates)
            coach = found.coach
        return self._for_coach(number, cells, run, person, coach, unclear)

    def _screen(self, number: int, cells: list[Any], person: Person) -> RowResult | None:
        """A total line, a line seen before, or a row naming no one; None: a row to decide.
        (The agenda and coach sheets use `sheets.screen_line`: here the person cells, read
        once per distinct combination, tell a total line cheaply.)"""
        if person.reg_no is None and person.big is None and clean.is_total_row(cells):
            return RowResult(number, Outcome.SKIPPED, Reason.TOTAL_ROW)
        first = self.lines.setdefault(tuple(cells), number)
        if first != number:
            return RowResult(number, Outcome.DUPLICATE, Reason.DUPLICATE_IN_FILE,
                             _("the same line as row {first}").format(first=first))
        if person.name:
            return None
        if all(clean.is_empty(c) for c in cells):
            return RowResult(number, Outcome.SKIPPED, Reason.BLANK_ROW)
        column = self.header(self.c_last if self.c_last is not None else self.c_name)
        return RowResult(number, Outcome.REJECTED, Reason.MISSING_VALUE, _("{column} is "
                                                                           "empty").format(
                                                                           column=column),
                         column=column)

    def _for_coach(self, number: int, cells: list[Any], run: _Run, person: Person,
                   coach: CoachRef, unclear: str | None = None) -> RowResult:
        """The row of an identified coach: credited (perhaps with a note on its points),
        rejected for a withdrawn coach, or held when the attendance cell is unclear or the
        title is not the agenda's."""
        course = run.course
        assert course is not None
        if coach.state == WITHDRAWN:
            return self._result(number, run, Outcome.REJECTED, Reason.COACH_WITHDRAWN,
                                _("coach {reg_no} is withdrawn from the register").format(
                                  reg_no=coach.reg_no),
                                coach=coach)
        if unclear is not None:
            return self._held(number, run, person, Reason.ATTENDANCE_UNCLEAR, unclear,
                              [coach.candidate(_("identified by the row"))])
        title_ok = run.title_ok
        if title_ok is None:
            title_ok = run.title_ok = self.c_title is None or title_fits(
                clean.text(cells[self.c_title]), course.title)
        if not title_ok:
            return self._held(number, run, person, Reason.COURSE_TITLE_MISMATCH,
                              _("the course title differs from the training agenda's title for "
                                "{code}").format(code=run.code),
                              [coach.candidate(_("identified by the row"))])
        reason = message = column = value = None
        if self.c_points is not None:
            note = run.note
            if note is None:
                note = run.note = self._points_note(course, cells[self.c_points])
            if note[0] is not None:  # a note on the sheet's points
                (reason, message), column = note, self.header(self.c_points)
                value = cells[self.c_points]
        return RowResult(number, _CREDITED, reason, message, column, value, coach.reg_no,
                         coach.id, run.code, run.run_id, run.run_date, course.points)

    @staticmethod
    def _result(number: int, run: _Run, outcome: Outcome, reason: Reason | None = None,
                message: str | None = None, column: str | None = None, value: Any = None, *,
                coach: CoachRef | None = None, candidates: list[dict[str, Any]] | None = None,
                identity: str | None = None) -> RowResult:
        """The result of a row whose course run is known."""
        assert run.course is not None
        return RowResult(number, outcome, reason, message, column, value,
                         coach.reg_no if coach is not None else None,
                         coach.id if coach is not None else None, run.code, run.run_id,
                         run.run_date, run.course.points, candidates, identity)

    def _held(self, number: int, run: _Run, person: Person, reason: Reason,
              message: str | None, candidates: list[dict[str, Any]] | None) -> RowResult:
        """Held for review; a duplicate (or rejected) when the same person and run are held,
        or were reviewed, before, or are held earlier in this file."""
        identity = person.identity
        key = (run.run_id, identity)
        outcome = Outcome.HELD
        earlier = self.index.held.get(key)
        if earlier is not None:
            outcome, reason, message = reviewed_before(*earlier)
        elif (first := self.held_in_file.get(key)) is not None:
            outcome, reason = Outcome.DUPLICATE, Reason.DUPLICATE_IN_FILE
            message = _("the same person and course run as row {first} (held)").format(first=first)
        else:
            self.held_in_file[key] = number
        # Only a row waiting for review keeps its identity: a later row is compared with it.
        return self._result(number, run, outcome, reason, message, candidates=candidates,
                            identity=identity if outcome == Outcome.HELD else None)

    def settle(self, result: RowResult) -> RowResult:
        """The row, or a duplicate of it where its coach is already credited for its run: in
        the register (`RegisterIndex.load_credits` first) or by an earlier row of this file."""
        if result.outcome != _CREDITED:
            return result
        key = (result.coach_id or 0, result.run_id or 0)
        facts = {"coach": result.coach, "course": result.course,
                 "run_date": format_date(result.run_date)}
        where = self.index.credits.get(key)
        if where is not None:
            return _duplicate(result, Reason.ALREADY_CREDITED, _(
                "coach {coach} is already credited for {course} on {run_date} ({where})").format(
                where=where, **facts))
        first = self.in_file.get(key)
        if first is not None:
            return _duplicate(result, Reason.DUPLICATE_IN_FILE, _(
                "coach {coach} for {course} on {run_date} is credited by row {first}").format(
                first=first, **facts))
        self.in_file[key] = result.row
        return result

    # ---- reading the cells, each distinct value once -----------------------------------------

    def _who(self, cells: list[Any]) -> _Who:
        reg_no = clean.reg_no(cells[self.c_reg]) if self.c_reg is not None else None
        big = clean.big(cells[self.c_big]) if self.c_big is not None else None
        birth = self._read_birth(cells[self.c_birth]) if self.c_birth is not None else None
        name, whole = self._name(cells)
        first = self._fold(cells[self.c_first]).split(" ", 1)[0] if self.c_first is not None \
            else None
        person = Person(reg_no, big, name, self._initial(cells), birth, first or None, whole)
        return _Who(person, by_number(self.index, person))

    def _run(self, cells: list[Any]) -> _Run:
        """The course run a row's code and date name in the agenda, or why there is none."""
        raw_code, raw_date = cells[self.c_code], cells[self.c_date]
        text = clean.text(raw_code)
        code = text.upper() if text is not None else None
        at_code, at_date = self.header(self.c_code), self.header(self.c_date)
        if code is None:
            return _Run(reason=Reason.MISSING_VALUE, message=_("{at_code} is empty").format(
                                                               at_code=at_code),
                        column=at_code)
        run_date = self._dates.get(raw_date)
        if run_date is None:
            try:
                run_date = clean.a_date(raw_date, self.table.headers[self.c_date])
            except clean.CellProblem as problem:
                return _Run(code=code, reason=problem.slug, message=problem.message,
                            column=at_date, value_at=self.c_date)
            self._dates[raw_date] = run_date
        course = self.index.courses.get(code)
        if course is None:
            return _Run(code=code, run_date=run_date, reason=Reason.UNKNOWN_COURSE,
                        message=_("not in the training agenda: no course with code {code}").format(
                                  code=code),
                        column=at_code, value_at=self.c_code)
        if self.provider and course.provider.casefold() != self.provider:
            return _Run(code=code, run_date=run_date, reason=Reason.OTHER_PROVIDER,
                        message=_("course {code} in the training agenda belongs to another "
                                  "provider").format(code=code),
                        column=at_code, value_at=self.c_code)
        if not course.accredited_from <= run_date <= course.accredited_until:
            return _Run(code=code, run_date=run_date, reason=Reason.OUTSIDE_ACCREDITATION,
                        message=_("{run_date} is outside the accreditation of {code} "
                                  "({accredited_from} to {accredited_until})").format(
                                  run_date=format_date(run_date), code=code,
                                  accredited_from=format_date(course.accredited_from),
                                  accredited_until=format_date(course.accredited_until)),
                        column=at_date, value_at=self.c_date)
        run_id = self.index.runs.get((course.id, run_date))
        if run_id is None:
            return _Run(code=code, run_date=run_date, reason=Reason.NO_RUN_ON_DATE,
                        message=_("not in the training agenda: {code} "
                                  "has no run on {run_date}").format(
                                  code=code, run_date=format_date(run_date)), column=at_date,
                        value_at=self.c_date)
        if not has_taken_place(run_date, self.today):
            return _Run(code=code, run_date=run_date, reason=Reason.RUN_NOT_YET_HELD,
                        message=_("{code} on {run_date} {not_yet_held}").format(
                            code=code, run_date=format_date(run_date),
                            not_yet_held=not_yet_held(self.today)),
                        column=at_date, value_at=self.c_date)
        return _Run(course, code, run_id, run_date)

    def _attended(self, cells: list[Any]) -> tuple[clean.Attendance, int]:
        """What the attendance columns say of a row, and the column that says it: absent in
        either, else unclear in either, else an empty Aanwezig, else present."""
        verdict, at = _PRESENT, self.c_attendance[0][0]
        for column, absence in self.c_attendance:
            key = (column, cells[column])
            said = self._said.get(key)
            if said is None:
                said = self._said[key] = clean.attendance(cells[column],
                                                          absence_column=absence)
            if said is _ABSENT:
                return said, column
            if said is clean.Attendance.UNCLEAR or (said is _EMPTY and not absence
                                                    and verdict is _PRESENT):
                verdict, at = said, column
        return verdict, at

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

    def _fold(self, value: Any) -> str:
        folded = self._folded.get(value)
        if folded is None:
            raw = clean.text(value)
            folded = self._folded[value] = clean.fold(raw) if raw is not None else ""
        return folded

    def _name(self, cells: list[Any]) -> tuple[str, bool]:
        """(the folded name, whether it is a whole-name column: first names may be in it)."""
        last = self._fold(cells[self.c_last]) if self.c_last is not None else ""
        if last:
            if self.c_prefix is None:
                return last, False
            prefix = self._fold(cells[self.c_prefix])
            return (f"{prefix} {last}" if prefix else last), False
        return (self._fold(cells[self.c_name]) if self.c_name is not None else ""), True

    def _points_note(self, course: CourseRef, raw: Any) -> tuple[Reason | None, str | None]:
        """(reason, message) about the sheet's points where they are not the agenda's."""
        if clean.is_empty(raw):
            return None, None
        agenda = course.points
        try:
            sheet: Decimal | None = clean.decimal(raw, self.table.headers[self.c_points or 0])
        except clean.CellProblem as problem:
            return Reason.BAD_NUMBER, (_("{message}; credited the agenda's {agenda}").format(
                                         message=problem.message, agenda=number(agenda)))
        if sheet == agenda:
            return None, None
        return Reason.POINTS_DIFFER, (_("the sheet says {sheet} points, the training agenda "
                                        "{agenda}: credited {agenda}").format(
                                        sheet=number(sheet or Decimal(0)),
                                        agenda=number(agenda)))
