"""Parsing and checking the values people type or providers send.

Dates arrive as `dd-mm-jjjj` (the Dutch habit) or ISO; points and hours with a decimal comma.
Everything here raises `InvalidValue` naming the field, so the CLI and the importer report the
same problem in the same words.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

from smr_register.domain.i18n import _
from smr_register.domain.limits import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_AMOUNT,
    MAX_REGISTRATION_AHEAD_DAYS,
    MAX_TEXT,
)
from smr_register.errors import InvalidValue

_DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y", "%d/%m/%y")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")
# A plain decimal: digits, at most one decimal point (after the Dutch comma is read as one);
# no exponent (1e308), no underscores (1_000), no infinity.
_DECIMAL = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
CENTS = Decimal("0.01")


def parse_date(text: str, field: str = "date") -> date:
    """Read `dd-mm-jjjj`, `d-m-jj` or ISO `jjjj-mm-dd`; raise `InvalidValue` otherwise."""
    raw = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
        return check_date(parsed, field, text)
    raise InvalidValue(field, text, _("is not a date (use dd-mm-jjjj, e.g. 14-05-2024)"))


def check_date(value: date, field: str = "date", shown: object = None) -> date:
    """Refuse dates outside the years the register can hold (limits.EARLIEST/LATEST_DATE)."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise InvalidValue(field, shown if shown is not None else format_date(value),
                           _("is outside the dates the register holds ({EARLIEST_DATE} to "
                             "{LATEST_DATE})").format(
                             EARLIEST_DATE=format_date(EARLIEST_DATE),
                             LATEST_DATE=format_date(LATEST_DATE)))
    return value


def check_registration_start(registered: date, today: date, field: str) -> date:
    """`registered`, or InvalidValue when it lies more than limits.MAX_REGISTRATION_AHEAD_DAYS
    after `today`: a registration starts when the coach is approved, not years ahead."""
    latest = today + timedelta(days=MAX_REGISTRATION_AHEAD_DAYS)
    if registered > latest:
        raise InvalidValue(field, f"{registered:%d-%m-%Y}", _(
            "is more than a year after today ({today}): a registration starts when the coach "
            "is approved; is the year mistyped?").format(today=f"{today:%d-%m-%Y}"))
    return registered


def format_date(value: date | None) -> str:
    """The Dutch display form used in tables: dd-mm-jjjj."""
    return "" if value is None else value.strftime("%d-%m-%Y")


def parse_decimal(text: str | int | float | Decimal, field: str) -> Decimal:
    """Read `1,5` or `1.5` exactly, to hundredths; floats go through their shortest repr."""
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int | float):  # a number cell: floats through their shortest repr
        value = Decimal(repr(text)) if isinstance(text, float) else Decimal(text)
    else:
        raw = str(text).strip()
        if "," in raw and "." in raw:  # 1.234,5 (Dutch thousands) -> 1234.5
            raw = raw.replace(".", "").replace(",", ".")
        raw = raw.replace(",", ".")
        if not _DECIMAL.match(raw):
            raise InvalidValue(field, text, _("is not a number"))
        value = Decimal(raw)
    if not value.is_finite():
        raise InvalidValue(field, text, _("is not a number"))
    if abs(value) >= MAX_AMOUNT:
        raise InvalidValue(field, text, _("is too large (at most {MAX_AMOUNT:,})").format(
                                          MAX_AMOUNT=MAX_AMOUNT - 1))
    if value != value.quantize(CENTS):
        raise InvalidValue(field, text, _("has more than two decimals"))
    return value.quantize(CENTS)


def to_centi(value: Decimal) -> int:
    """Points and hours are stored as whole hundredths, so sums are exact on every database."""
    return int((value * 100).to_integral_value())


def from_centi(value: int) -> Decimal:
    """Whole hundredths back to an exact amount (3.50)."""
    return (Decimal(value) / 100).quantize(CENTS)


def format_decimal(value: Decimal) -> str:
    """Show 3 as `3`, 1.5 as `1.5`: the register never needs trailing zeros."""
    return f"{value.normalize():f}"


def non_negative(value: Decimal, field: str) -> Decimal:
    """`value`, or InvalidValue when it is below zero."""
    if value < 0:
        raise InvalidValue(field, value, _("must not be negative"))
    return value


def ascii_digits(text: str) -> str:
    """Full-width and other compatibility digits (`１２３`) as the ASCII digits they look like,
    so `１２３４５６` and `123456` can never become two coaches that look the same."""
    return unicodedata.normalize("NFKC", text).strip()


def _is_number(raw: str) -> bool:
    return raw.isascii() and raw.isdigit()


def check_reg_no(text: str, field: str = "registration number") -> str:
    """Registration numbers are digits kept as text, so leading zeros survive."""
    raw = ascii_digits(text)
    if not _is_number(raw) or not 1 <= len(raw) <= 12:
        raise InvalidValue(field, text, _("must be 1 to 12 digits"))
    return raw


def check_big(text: str | None, field: str = "BIG number") -> str | None:
    """An 11-digit BIG number, or None when empty; InvalidValue otherwise."""
    if text is None or not text.strip():
        return None
    raw = ascii_digits(text).replace(" ", "")
    if not _is_number(raw) or len(raw) != 11:
        raise InvalidValue(field, text, _("must be exactly 11 digits"))
    return raw


def check_agb(text: str | None, field: str = "AGB code") -> str | None:
    """An 8-digit AGB code, or None when empty; InvalidValue otherwise."""
    if text is None or not text.strip():
        return None
    raw = ascii_digits(text).replace(" ", "")
    if not _is_number(raw) or len(raw) != 8:
        raise InvalidValue(field, text, _("must be exactly 8 digits"))
    return raw


def check_postcode(text: str | None, field: str = "postcode") -> str | None:
    """Dutch postcodes are stored in their canonical form `1234 AB`."""
    if text is None or not text.strip():
        return None
    match = _POSTCODE.match(text.strip())
    if match is None:
        raise InvalidValue(field, text, _("is not a Dutch postcode (1234 AB)"))
    return f"{match.group(1)} {match.group(2).upper()}"


def check_email(text: str | None, field: str = "e-mail") -> str | None:
    """An e-mail address in lower case, or None when empty; InvalidValue otherwise."""
    if text is None or not text.strip():
        return None
    raw = text.strip()
    if not _EMAIL.match(raw):
        raise InvalidValue(field, text, _("is not an e-mail address"))
    return raw.lower()


def check_text(text: str | None, field: str, *, required: bool = False) -> str | None:
    """Text with its white space folded, None when empty; InvalidValue when required or too long."""
    if text is None or not text.strip():
        if required:
            raise InvalidValue(field, text or "", _("is required"))
        return None
    if len(text) > MAX_TEXT:
        raise InvalidValue(field, text[:40] + "...",
        _("is longer than {MAX_TEXT} characters").format(
                                                       MAX_TEXT=MAX_TEXT))
    return " ".join(text.split())


def full_name(initials: str | None, prefix: str | None, last_name: str) -> str:
    """`J.M. van der Berg`: how the register writes a coach's name."""
    return " ".join(part for part in (initials, prefix, last_name) if part)


def fold(text: str | None) -> str:
    """Text as searching and sorting compare it, the same on every database: accents off, case
    folded, whitespace collapsed (`Öztürk` and `OZTURK` are both `ozturk`)."""
    if not text:
        return ""
    if text.isascii():  # most names: nothing to take apart (an import folds every row)
        return " ".join(text.lower().split())
    plain = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
    bare = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


# Letters that NFKD does not take apart into a base letter and an accent.
_NO_DECOMPOSITION = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe",
                                   "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
                                   "ı": "i", "þ": "th", "Þ": "Th"})


def sort_name(last_name: str, prefix: str | None, initials: str | None) -> str:
    """Dutch order: by last name without the prefix (`van der Berg` sorts under B), then
    initials, then prefix; accents, case, spaces and punctuation aside (`Öztürk` under O).
    Parts are joined by a space, which sorts before every letter and digit in binary order."""
    return " ".join(_alphanumeric(fold(part)) for part in (last_name, initials, prefix))


def _alphanumeric(text: str) -> str:
    if text.isascii():
        return text.translate(_ASCII_NOT_ALPHANUMERIC)
    return "".join(ch for ch in text if ch.isalnum())


_ASCII_NOT_ALPHANUMERIC = str.maketrans("", "", "".join(
    chr(code) for code in range(128) if not chr(code).isalnum()))


def search_text(*fields: str | None) -> str:
    """The fields a search looks in, folded, one per line (a folded term holds no newline, so
    it never matches across two fields)."""
    return "\n".join(fold(field) for field in fields if field)
