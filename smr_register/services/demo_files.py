"""The demo register's CSV files (data/demo) read row by row: every problem a row has, whether
its cells or the register's refusal, names the file, the row and the column."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from smr_register.domain.i18n import _
from smr_register.domain.ruleset import data_dir
from smr_register.domain.values import parse_decimal
from smr_register.errors import InputFileError, InvalidValue, SmrError
from smr_register.services.coach_records import PRACTICE_FIELDS

COLUMNS = {
    "providers.csv": ("name",),
    "courses.csv": ("code", "title", "provider", "points", "accredited_from", "accredited_until",
                    "profiles", "basic_training"),
    "runs.csv": ("course", "run_date"),
    "interventions.csv": ("name", "listed_since", "listed_until", "description"),
    "coaches.csv": ("reg_no", "registered_on", "initials", "first_name", "prefix", "last_name",
                    "birth_date", "email", "big", "agb", "education", "practice", "postcode",
                    "city"),
    "renewals.csv": ("reg_no", "starts_on", "valid_until", "renewed_on"),
    "credits.csv": ("reg_no", "course", "run_date", "points"),
    "practice.csv": ("reg_no", "year", "hours", *PRACTICE_FIELDS),
    "profiles.csv": ("reg_no", "profile", "attained_on", "evidence", "assessed_by"),
    "trainings.csv": ("reg_no", "completed_on", "course", "evidence", "accepted_by"),
    "assessments.csv": ("reg_no", "role", "supervisor", "assessed_on", "result", "note"),
    "supervision.csv": ("reg_no", "supervisor", "assigned_on"),
    "coach_interventions.csv": ("reg_no", "intervention"),
    "exceptions.csv": ("reg_no", "rule", "value", "reason", "decided_by", "decided_on",
                       "valid_until"),
    "states.csv": ("reg_no", "state", "state_date", "reason"),
    "fees.csv": ("year", "charged_on"),
    "fee_payments.csv": ("reg_no", "year", "amount", "paid_on", "reference"),
}


def demo_dir() -> Path:
    """The folder of the demo register's CSVs (data/demo)."""
    return data_dir() / "demo"


_Word = TypeVar("_Word", bound=StrEnum)


@dataclass(frozen=True)
class DemoRow:
    """One data row of a demo file; every problem names the file, the row and the column."""

    path: Path
    number: int  # the header is row 1, as a spreadsheet shows it
    cells: dict[str, str]

    def fail(self, column: str | None, problem: str) -> InputFileError:
        """The error to raise: the file, the row and (where there is one) the column."""
        where = f"{self.path}: row {self.number}"
        return InputFileError(f"{where}, column {column}: {problem}" if column
                              else f"{where}: {problem}")

    def text(self, column: str) -> str | None:
        """The cell without surrounding spaces; None when empty."""
        return self.cells[column].strip() or None

    def required(self, column: str) -> str:
        """The cell's text, which must not be empty."""
        value = self.text(column)
        if value is None:
            raise self.fail(column, "is empty")
        return value

    def day(self, column: str) -> date:
        """A required ISO date (the demo files are data, not a provider's sheet)."""
        value = self.required(column)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(column, f"{value!r} is not an ISO date (jjjj-mm-dd)") from None

    def optional_day(self, column: str) -> date | None:
        """An ISO date, or None when the cell is empty."""
        return self.day(column) if self.text(column) else None

    def decimal(self, column: str) -> Decimal | None:
        """A number as the register parses one, or None when the cell is empty."""
        value = self.text(column)
        if value is None:
            return None
        try:
            return parse_decimal(value, column)
        except InvalidValue as exc:
            raise self.fail(column, f"{value!r} {exc.problem}") from None

    def required_decimal(self, column: str) -> Decimal:
        """A number that must be there."""
        value = self.decimal(column)
        if value is None:
            raise self.fail(column, "is empty")
        return value

    def count(self, column: str) -> int | None:
        """A whole number of 0 or more, or None when the cell is empty."""
        value = self.text(column)
        if value is None:
            return None
        if not value.isdigit():
            raise self.fail(column, f"{value!r} is not a whole number of 0 or more")
        return int(value)

    def required_count(self, column: str) -> int:
        """A whole number of 0 or more that must be there."""
        value = self.count(column)
        if value is None:
            raise self.fail(column, "is empty")
        return value

    def member(self, column: str, kind: type[_Word]) -> _Word:
        """The column's word of the vocabulary `kind` (a state, a profile, a verdict)."""
        return self._word(column, kind, self.required(column))

    def members(self, column: str, kind: type[_Word]) -> list[_Word]:
        """The column's ;-separated words of `kind`; none when it is empty."""
        return [self._word(column, kind, word.strip())
                for word in (self.text(column) or "").split(";") if word.strip()]

    def _word(self, column: str, kind: type[_Word], value: str) -> _Word:
        try:
            return kind(value)
        except ValueError:
            raise self.fail(column, f"{value!r} must be one of "
                            f"{', '.join(word.value for word in kind)}") from None


def demo_rows(directory: Path, name: str) -> Iterator[DemoRow]:
    """The data rows of one demo file, after checking its header against COLUMNS."""
    path = directory / name
    columns = COLUMNS[name]
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != columns:
                raise InputFileError(_("{path}: the header must be "
                                       "{columns}, found {found}").format(
                                       path=path, columns=','.join(columns),
                                       found=','.join(reader.fieldnames or ()) or _('nothing')))
            for cells in reader:
                row = DemoRow(path, reader.line_num, cells)
                if None in cells or any(v is None for v in cells.values()):
                    raise row.fail(None, f"expected {len(columns)} fields")
                yield row
    except FileNotFoundError:
        raise InputFileError(_("{path}: demo file missing").format(path=path)) from None
    except UnicodeDecodeError as exc:
        raise InputFileError(_("{path}: not UTF-8 ({reason})").format(path=path,
        reason=exc.reason)) from None
    except csv.Error as exc:
        raise InputFileError(_("{path}: not readable as CSV ({exc})").format(path=path,
        exc=exc)) from None


@contextmanager
def about(row: DemoRow) -> Iterator[None]:
    """Name the file and row when a register operation refuses a demo row."""
    try:
        yield
    except InputFileError:
        raise
    except SmrError as exc:
        raise row.fail(None, exc.message) from None
