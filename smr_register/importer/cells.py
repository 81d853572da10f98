"""Cleaning the cell values providers send, into what the register compares.

Dates arrive as Excel dates, Excel serial numbers, or text (`dd-mm-jjjj`, `d-m-jj`, ISO, `14 mei
2024`); numbers with a decimal comma; registration numbers as numbers that lost their leading
zeros, or with `SMR`/`nr.` in front; BIG numbers with `BIG-` in front. A value that cannot be
read raises `CellProblem` with the report's stable slug; an empty cell is `None`.
"""

from __future__ import annotations

import re
import string
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from smr_register.domain.i18n import _
from smr_register.domain.limits import EARLIEST_DATE, LATEST_DATE
from smr_register.domain.values import ascii_digits, format_date, parse_date, parse_decimal
from smr_register.errors import InvalidValue
from smr_register.importer.reasons import Reason

# Excel's day 0 (the 1900 date system, including its phantom 29-02-1900).
_EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers that can only be dates of the register's era (1954 to 2119).
_SERIAL_RANGE = (20000, 80000)

_MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "febr": 2, "februari": 2, "february": 2,
    "mrt": 3, "maart": 3, "mar": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6, "jul": 7, "juli": 7, "july": 7, "aug": 8, "augustus": 8,
    "august": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_TEXT_MONTH = re.compile(r"^(\d{1,2})\s*[ .-]\s*([a-z]+)\.?\s*[ .-]?\s*'?(\d{2}|\d{4})$")
# A number with at most a short prefix of letters and punctuation: `SMR 004512`, `BIG-1234...`,
# `nr. 4512`; a float's `.0` (a number cell typed as text) is not part of it.
_NUMBER = re.compile(r"^[^\d]{0,25}?(\d[\d .-]*?)(?:[.,]0+)?$")
_TOTAL = re.compile(r"^(sub)?tota(a)?l\b|^aantal (deelnemers|personen|rijen)\b|^som\b|^count\b")


class Attendance(Enum):
    """What an attendance cell says."""

    PRESENT = "present"
    ABSENT = "absent"
    UNCLEAR = "unclear"  # neither: `deels`, `?`, `50%`
    EMPTY = "empty"


# Yes and no, in an Aanwezig column (present / absent) or an Afwezig column (absent / present).
_YES = frozenset(("ja", "j", "yes", "y", "1", "x", "true", "waar", "wel", "v", "ok", "\u2713",
                  "\u2714", "\u2611"))
_NO = frozenset(("nee", "n", "no", "0", "false", "onwaar", "niet", "-", "\u2717", "\u2718",
                 "\u2610"))
# Words that say it whatever the column (`afwezig` in an Aanwezig column is absent too).
_PRESENT_WORDS = frozenset(("aanwezig", "present", "attended", "100%", "100 %"))
_ABSENT_WORDS = frozenset(("afwezig", "absent", "niet aanwezig", "niet verschenen", "no show",
                           "no-show", "noshow", "afgemeld", "0%", "0 %"))


def attendance(value: Any, *, absence_column: bool) -> Attendance:
    """What an attendance cell says: in an Aanwezig column `ja`/`x`/1 is present and
    `nee`/0 absent, in an Afwezig column the other way round; `aanwezig`, `afwezig` and their
    English words say it in either. Anything else is UNCLEAR, an empty cell EMPTY."""
    if value is None or value == "":
        return Attendance.EMPTY
    if isinstance(value, bool):
        yes = value
    else:
        raw = text(value)
        if raw is None:
            return Attendance.EMPTY
        word = raw.casefold().rstrip(".!")
        if word in _PRESENT_WORDS:
            return Attendance.PRESENT
        if word in _ABSENT_WORDS:
            return Attendance.ABSENT
        if word in _YES:
            yes = True
        elif word in _NO:
            yes = False
        else:
            return Attendance.UNCLEAR
    return Attendance.ABSENT if yes == absence_column else Attendance.PRESENT


class CellProblem(Exception):
    """A cell that cannot be read; `slug` is the report's stable reason."""

    def __init__(self, slug: Reason, message: str) -> None:
        super().__init__(message)
        self.slug = slug
        self.message = message


def is_empty(value: Any) -> bool:
    """A cell with nothing in it: None or only white space."""
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str | None:
    """The cell as text with single spaces; numbers without `.0`; None when empty."""
    if value is None:
        return None
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    cleaned = " ".join(str(value).split())
    return cleaned or None


_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation, " "))


def fold(value: str) -> str:
    """Lower case, accents dropped, punctuation to spaces: `Ünal-de Böer` -> `unal de boer`."""
    if value.isascii():
        return " ".join(value.lower().translate(_PUNCTUATION).split())
    decomposed = unicodedata.normalize("NFKD", value)
    out = []
    for ch in decomposed.casefold():
        if ch.isalnum():
            out.append(ch)
        elif not unicodedata.combining(ch):
            out.append(" ")
    return " ".join("".join(out).split())


def reg_no(value: Any) -> str | None:
    """Digits of a registration number (`SMR 004512`, `4512.0`, full-width `００４５１２`) as the
    register stores them (ASCII), or None if it is not one."""
    if type(value) is str and value.isascii() and value.isdigit() and len(value) <= 12:
        return value
    digits = _digits(value)
    return digits if digits is not None and len(digits) <= 12 else None


def big(value: Any) -> str | None:
    """An 11-digit BIG number (`BIG-1234567890` lost its leading zero: padded; full-width
    digits as ASCII), else None."""
    digits = _digits(value)
    if digits is None or not 9 <= len(digits) <= 11:
        return None
    return digits.zfill(11)


def _digits(value: Any) -> str | None:
    """The digits of a number cell or of text with a prefix or separators, in the ASCII form
    the register stores and compares (`ascii_digits`: a sheet's `１２３` is 123), else None."""
    raw = text(value)
    if raw is None:
        return None
    if not raw.isascii():
        raw = ascii_digits(raw)
    match = _NUMBER.match(raw)
    if match is None:
        return None
    digits = re.sub(r"[ .-]", "", match.group(1))
    return digits if digits.isascii() and digits.isdigit() else None


def a_date(value: Any, label: str) -> date:
    """A date from an Excel date, an Excel serial number or text, within the years the register
    holds (limits.EARLIEST_DATE to LATEST_DATE); raises CellProblem."""
    day = _a_date(value, label)
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise CellProblem(Reason.BAD_DATE, _("{label} {day} is outside the dates the register "
                                             "holds ({EARLIEST_DATE} to {LATEST_DATE})").format(
                                             label=label, day=format_date(day),
                                             EARLIEST_DATE=format_date(EARLIEST_DATE),
                                             LATEST_DATE=format_date(LATEST_DATE)))
    return day


def _a_date(value: Any, label: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise CellProblem(Reason.BAD_DATE, _("{label} {text!r} is not a date").format(
                                             label=label, text=text(value)))
    raw = text(value)
    if raw is None:
        raise CellProblem(Reason.MISSING_VALUE, _("{label} is empty").format(label=label))
    if raw.isdigit() and _SERIAL_RANGE[0] <= int(raw) <= _SERIAL_RANGE[1]:
        return _EXCEL_EPOCH + timedelta(days=int(raw))
    candidate = raw.split(" ")[0].split("T")[0] if re.match(r"^\d", raw) else raw
    try:
        return parse_date(candidate, label)
    except InvalidValue:
        pass
    match = _TEXT_MONTH.match(raw.casefold())
    if match and match.group(2) in _MONTHS:
        day, year = int(match.group(1)), int(match.group(3))
        if year < 100:
            year += 2000 if year < 70 else 1900
        try:
            return date(year, _MONTHS[match.group(2)], day)
        except ValueError:
            pass
    raise CellProblem(Reason.BAD_DATE, _("{label} {raw!r} is not a date (dd-mm-jjjj)").format(
                                         label=label, raw=raw))


def birth_date(value: Any, label: str, before: date) -> date:
    """A birth date; a two-digit year that lands after `before` is a century too late."""
    return not_after(a_date(value, label), before)


def not_after(born: date, limit: date) -> date:
    """A birth date after `limit` (a two-digit year read a century too late, `d-m-jj`) set a
    century back; 29 February becomes the 28th where that year has none."""
    if born <= limit:
        return born
    try:
        return born.replace(year=born.year - 100)
    except ValueError:
        return born.replace(year=born.year - 100, day=28)


def decimal(value: Any, label: str) -> Decimal:
    """`1,5`, `1.5` or a number cell, to hundredths; raises CellProblem."""
    if isinstance(value, bool):
        raise CellProblem(Reason.BAD_NUMBER, _("{label} {value!r} is not a number").format(
                                               label=label, value=value))
    raw: Any = value
    if isinstance(value, str):
        raw = value.strip()
        if not raw:
            raise CellProblem(Reason.MISSING_VALUE, _("{label} is empty").format(label=label))
    try:
        return parse_decimal(raw, label)
    except InvalidValue as problem:
        raise CellProblem(Reason.BAD_NUMBER, f"{label} {text(value)!r} {problem.problem}") from None


def is_total_row(cells: list[Any]) -> bool:
    """`Totaal`, `Total: 42`, `Aantal deelnemers` in a row: a summary line, not a person."""
    for cell in cells:
        if isinstance(cell, str) and cell.lstrip()[:1].casefold() in "stac" and cell.strip() \
                and _TOTAL.match(fold(cell)):
            return True
    return False
