"""The parts of the register an attendance import compares against, loaded into dicts once.

Coaches by registration number, by the number without leading zeros, by BIG number and by birth
date; courses by code; runs by (course, date); the credits of the runs a file names (fetched a
chunk at a time) and the rows held for review before. The files of one command share one index:
each file's credits and held rows are taken in before the next file is decided.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlmodel import Session

from smr_register.domain.values import from_centi, full_name
from smr_register.importer import cells as clean
from smr_register.importer.reasons import Outcome
from smr_register.store import imports as import_store
from smr_register.store.imports import CoachIndexRow, CourseIndexRow

# (coach_id, run_id) -> row, and (run_id, identity) -> row: what one file credited and held.
Credited = dict[tuple[int, int], int]
HeldInFile = dict[tuple[int | None, str], int]


class CoachRef(CoachIndexRow):
    """A registered coach as the importer compares rows with: the store's row (identifiers,
    names, state) and the folded forms matching needs, each computed when first asked (most
    coaches are only ever looked up by number)."""

    @cached_property
    def last(self) -> str:
        """The folded last name without prefix."""
        return clean.fold(self.last_name)

    @property
    def name(self) -> str:
        """The name as the register writes it (`J. van Dijk`)."""
        return full_name(self.initials, self.prefix, self.last_name)

    @cached_property
    def initial(self) -> str | None:
        """The folded first initial (of the initials, else of the first name), or None."""
        source = self.initials or self.first_name
        return (clean.fold(source)[:1] or None) if source else None

    @cached_property
    def first(self) -> str | None:
        """The first word of the folded first name, or None."""
        words = clean.fold(self.first_name).split() if self.first_name else []
        return words[0] if words else None

    def candidate(self, why: str) -> dict[str, Any]:
        """The coach as a candidate of a held row, for the reviewer: who, and why proposed."""
        return {"reg_no": self.reg_no, "name": self.name, "state": self.state,
                "birth_date": self.birth_date.isoformat() if self.birth_date else None,
                "why": why}


class CourseRef(CourseIndexRow):
    """A course of the training agenda as the importer credits it: the store's row (code, title,
    points, accreditation, provider) and its points as a number."""

    @cached_property
    def points(self) -> Decimal:
        """The points a run of the course earns."""
        return from_centi(self.points_centi)


class RegisterIndex:
    """The parts of the register an attendance import compares against, loaded once."""

    def __init__(self, coaches: Iterable[CoachRef], courses: Iterable[CourseRef] = (),
                 runs: Iterable[tuple[int, int, date]] = (),
                 reviewed: Iterable[tuple[int, int, int | None, str, str | None, str]] = ()
                 ) -> None:
        """Index plain data: coaches, courses, runs as (run_id, course_id, date), and rows held
        for review as `import_store.reviewed_rows` gives them."""
        self.by_reg: dict[str, CoachRef] = {}
        self.by_stripped: dict[str, list[CoachRef]] = defaultdict(list)
        self.by_big: dict[str, CoachRef] = {}
        self.by_birth: dict[date, list[CoachRef]] = defaultdict(list)
        for coach in coaches:
            self.by_reg[coach.reg_no] = coach
            self.by_stripped[coach.reg_no.lstrip("0")].append(coach)
            if coach.big:
                self.by_big[coach.big] = coach
            if coach.birth_date:
                self.by_birth[coach.birth_date].append(coach)
        self.courses = {course.code.upper(): course for course in courses}
        self.runs: dict[tuple[int, date], int] = {
            (course_id, run_date): run_id for run_id, course_id, run_date in runs}
        # (coach_id, run_id) -> where the credit came from, for the runs loaded so far
        self.credits: dict[tuple[int, int], str] = {}
        self._credit_runs: set[int] = set()
        # (run_id, identity) of rows held before -> (batch:row, outcome now, coach credited)
        self.held: dict[tuple[int | None, str], tuple[str, str, str | None]] = {}
        self._done: list[tuple[int, Credited, HeldInFile]] = []
        self._by_last: dict[str, list[CoachRef]] | None = None
        self._take_reviewed(reviewed)

    def by_last(self) -> dict[str, list[CoachRef]]:
        """Coaches by folded last name (also written together: `elamrani`), built when a row
        without a number first needs it: most imports never do."""
        if self._by_last is None:
            table: dict[str, list[CoachRef]] = defaultdict(list)
            for coach in self.by_reg.values():
                table[coach.last].append(coach)
                if " " in coach.last:
                    table[coach.last.replace(" ", "")].append(coach)
            self._by_last = table
        return self._by_last

    def _take_reviewed(self, reviewed: Iterable[tuple[int, int, int | None, str, str | None,
                                                      str]]) -> None:
        for batch_id, row_number, run_id, outcome, reg_no, candidates in reviewed:
            identity = json.loads(candidates).get("identity")
            if identity:
                self.held[(run_id, identity)] = (f"{batch_id}:{row_number}", outcome, reg_no)

    @classmethod
    def load(cls, session: Session, today: date) -> RegisterIndex:
        """The index of the register `session` reads (four queries), states as of `today`."""
        return cls((CoachRef(*row) for row in import_store.import_coach_index(session, today)),
                   (CourseRef(*row) for row in import_store.import_course_index(session)),
                   import_store.import_run_index(session), import_store.reviewed_rows(session))

    def remember(self, batch_id: int, credited: Credited, held: HeldInFile) -> None:
        """A file of this command is done: the next file must see its credits and held rows
        ((coach, run) and (run, identity) -> row), taken in by `catch_up` if one comes."""
        self._done.append((batch_id, credited, held))

    def catch_up(self) -> None:
        """Take in the credits and held rows of the files `remember`ed by this command (all of
        them: `refresh` may have forgotten them, and a dry run never wrote them)."""
        for batch_id, credited, held in self._done:
            self.credits.update({key: f"batch {batch_id} row {row}"
                                 for key, row in credited.items()})
            self.held.update({key: (f"{batch_id}:{row}", Outcome.HELD.value, None)
                              for key, row in held.items()})

    def refresh(self, session: Session) -> None:
        """Forget the credits and held rows read before and read the held rows again: another
        import may have committed since (this one waited for it), and its credits and rows
        count as already there. Credits are read again a chunk at a time, as at the start."""
        self.credits.clear()
        self._credit_runs.clear()
        self.held.clear()
        self._take_reviewed(import_store.reviewed_rows(session))

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
        credited = import_store.credits_for_runs(session, new)
        for coach_id, run_id, batch_id, row_number, source in credited:
            self.credits[(coach_id, run_id)] = (
                f"batch {batch_id} row {row_number}" if batch_id is not None
                else f"{source} credit")

    def near_numbers(self, number: str, big: bool) -> list[CoachRef]:
        """Coaches whose registration (or BIG) number is one keystroke away from `number`:
        one digit wrong, missing, extra, or two swapped (the edits generated and looked up,
        about 150 dict lookups, instead of comparing with every number in the register)."""
        index = self.by_big if big else self.by_reg
        found: dict[int, CoachRef] = {}
        for variant in one_edit(number):
            coach = index.get(variant)
            if coach is None and not big:
                same = self.by_stripped.get(variant.lstrip("0"), [])
                coach = same[0] if len(same) == 1 else None
            if coach is not None:
                found.setdefault(coach.id, coach)
        return list(found.values())


def one_edit(number: str) -> Iterator[str]:
    """Every string one keystroke away from `number` (some more than once)."""
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
