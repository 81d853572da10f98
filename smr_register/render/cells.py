"""A column, and one value as people read it (tables), as scripts read it (JSON, CSV), and
guarded as text.

JSON: ISO dates, decimals as strings (exact), stable keys. CSV: ISO dates, plain numbers, and any
text a spreadsheet would run as a formula written as text (`spreadsheet_safe`). Tables: dd-mm-jjjj
dates and decimals without trailing zeros.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from smr_register.domain.values import format_date, format_decimal

# Characters that make Excel (and LibreOffice) treat a cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column: the row key, the header people see, alignment and style on screen, and how
    a structured cell reads in the flat formats (`text`: table and csv; `short`: table only).

    How it gives way on a narrow terminal (render/fit.py): `priority` 0 is always shown, and
    columns with a higher number are left out first (the rightmost of equals first); a
    `no_wrap` column is shown whole or not at all (None: so when every value is a date, a
    number or a yes/no, as registration numbers and statuses are declared); other columns wrap
    between words, never narrower than `min_width` or their longest word."""

    key: str
    header: str
    justify: str = "left"
    style: str | None = None
    text: Callable[[Any], Any] | None = None
    short: Callable[[Any], Any] | None = None
    term: bool = False  # the cell holds slugs of a vocabulary: people read them translated
    priority: int = 1
    no_wrap: bool | None = None
    min_width: int | None = None


def people_value(col: Column, value: Any) -> Any:
    """A cell as people read it (tables, spreadsheets): a vocabulary's slug (`at-risk`,
    `unknown-coach`, `pregnancy`) in the current language. JSON and CSV keep the slug."""
    if not col.term or value is None:
        return value
    from smr_register.domain.i18n import term

    if isinstance(value, str):
        return term(value)
    if isinstance(value, list | tuple):
        return [term(v) if isinstance(v, str) else v for v in value]
    return value


def spreadsheet_safe(text: str) -> str:
    """Prefix a quote so a provider's `=HYPERLINK(...)` stays text in a report staff open."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def jsonable(value: Any) -> Any:
    """JSON-ready form: ISO dates, exact decimals as strings, nested containers converted."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def dumps(document: Any) -> str:
    """One JSON document as the tool prints it: indented, UTF-8 kept, a final newline."""
    return json.dumps(jsonable(document), ensure_ascii=False, indent=2) + "\n"


def text_cell(value: Any) -> str:
    """The form a person reads in a table: dd-mm-jjjj dates, decimals without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        from smr_register.domain.i18n import yes_no

        return yes_no(value)
    if isinstance(value, Decimal | float):
        from smr_register.domain.i18n import number

        return number(value)
    if isinstance(value, list | tuple):
        return ", ".join(text_cell(v) for v in value)
    return str(value)


def csv_cell(value: Any) -> str:
    """ISO dates and plain numbers; text guarded so a spreadsheet never runs it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(jsonable(value))
    if isinstance(value, date):
        return jsonable(value)
    if isinstance(value, list | tuple):
        return spreadsheet_safe("; ".join(csv_cell(v) for v in value))
    return spreadsheet_safe(str(jsonable(value)))


def excel_nl_cell(value: Any) -> str:
    """A cell for Excel set to Dutch: dd-mm-jjjj dates, decimal commas, one line, guarded."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value)
    if isinstance(value, Decimal | float):
        return str(jsonable(value)).replace(".", ",")
    if isinstance(value, str):
        value = one_line(value)
    return csv_cell(value)


def one_line(text: str) -> str:
    """A text of several lines on one line: lines joined by spaces, a list of `- item` lines
    after its `...:` line as `...: item; item.`"""
    out: list[str] = []
    in_list = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("- ") and out:
            item = line[2:].strip().rstrip(".")
            out[-1] += ("; " if in_list else " ") + item
            in_list = True
            continue
        if in_list:
            out[-1] += "."
            in_list = False
        out.append(line)
    if in_list:
        out[-1] += "."
    return " ".join(out)


# ---- texts of structured cells, for `Column.text` and `Column.short` --------------------------


def json_text(value: Any) -> str | None:
    """A structured cell in a flat format, as JSON a script can read back; empty stays empty."""
    return json.dumps(value, ensure_ascii=False) if value else None


def lines_text(value: Mapping[str, Any] | None) -> str:
    """A mapping as `key: value` lines, for a table cell people read."""
    if not value:
        return ""
    return "\n".join(f"{k}: {v}" for k, v in value.items())


def pairs_text(value: Mapping[str, Any] | None) -> str:
    """A mapping as `key: value; key: value` on one line."""
    return "; ".join(f"{k}: {v}" for k, v in (value or {}).items())


def hash_text(value: str) -> str:
    """A sha256 shortened for the screen; the full hash is in json and csv."""
    return value[:12]


def key_column(key: str, header: str, justify: str = "left", *, term: bool = False) -> Column:
    """A column that says which row it is or where it stands (a registration number, a status):
    always shown, never cut. `term`: as `Column.term` (a status read in the current language)."""
    return Column(key, header, justify, term=term, priority=0, no_wrap=True)


def candidates_text(candidates: Sequence[Mapping[str, Any]] | None) -> str:
    """The coaches a held row might be, on one line: `100300 P. Bakker (active): why`."""
    return "; ".join(f"{c['reg_no']} {c['name']} ({c['state']}): {c['why']}"
                     for c in candidates or ())


def public_candidates_text(candidates: Sequence[Mapping[str, Any]] | None) -> str:
    """The candidates a provider may see: active coaches' numbers and names, as the public
    register shows them (no birth dates, no states, no suspended or withdrawn coaches)."""
    return "; ".join(f"{c['reg_no']} {c['name']}" for c in candidates or ()
                     if c.get("state") == "active")
