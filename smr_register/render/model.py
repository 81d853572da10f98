"""What a command shows, described once for every format: a `Rendering`.

A feature fills in the parts its formats need: `screen` for the table format (tables, trees,
lines, and `Note`s that go to stderr), `json` (a function building the document, or a
`JsonStream` written one item at a time), `csv` (one table), `workbook` (a function building the
xlsx file) and `notes` (stderr lines after the json, csv or xlsx output). Only the part of the
chosen format is used, so rows may be generators over the same stream and expensive parts are
built only when chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smr_register.render.cells import Column

if TYPE_CHECKING:
    from smr_register.render.workbook import Workbook


Row = Mapping[str, Any]


@dataclass(frozen=True)
class Table:
    """Rows under columns: a rich table on screen, or the CSV (rows may be a generator)."""

    columns: Sequence[Column]
    rows: Iterable[Row]
    title: str | None = None
    row_style: Callable[[Row], str] | None = None


@dataclass(frozen=True)
class Note:
    """A line for people on stderr, in its place between the screen's tables."""

    text: str


@dataclass(frozen=True)
class JsonStream:
    """`{head..., "<list_key>": [item, ...], "summary": {...}}`, written one item at a time:
    a report of the whole register never sits in memory as one document. `encode` turns an
    item into a mapping or its JSON text; `summary` is called after the last item."""

    head: Mapping[str, Any]
    list_key: str
    items: Iterable[Any]
    encode: Callable[[Any], Mapping[str, Any] | str]
    summary: Callable[[], Mapping[str, Any]]


@dataclass(frozen=True)
class Rendering:
    """Every form of one command's output; the chosen format's formatter uses its part."""

    screen: Iterable[Any] = ()
    json: Callable[[], Any] | JsonStream | None = None
    csv: Table | None = None
    workbook: Callable[[], Workbook] | None = None
    notes: Iterable[str] = ()
    csv_dialect: str = "plain"  # a `formats.CsvDialect`


def listing(columns: Sequence[Column], rows: Sequence[Row], title: str | None, *,
            document: Any = None) -> Rendering:
    """A listing: the rows as a table or CSV; JSON gives `document`, or else the rows."""
    return Rendering(screen=[Table(columns, rows, title)],
                     json=lambda: rows if document is None else document,
                     csv=Table(columns, rows))
