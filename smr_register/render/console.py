"""The consoles: stdout carries only the requested output; people's messages go to stderr.

rich (and the Rendering model) are imported when something is printed, not when a command
module loads: `smr --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, Any

from smr_register.render.cells import Column, people_value, text_cell


def stdout_console(file: IO[str] | None = None) -> Any:
    """A rich Console on stdout; wide when piped so tables are not squeezed into 80 columns."""
    from rich.console import Console

    stream = file or sys.stdout
    width = None if stream.isatty() else int(os.environ.get("COLUMNS", "200"))
    return Console(file=stream, width=width, highlight=False)


def stderr_console() -> Any:
    """Where people read messages: stderr, coloured only on a terminal."""
    from rich.console import Console

    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


def note(text: str) -> None:
    """One line for people on stderr, printed as it is (no rich markup)."""
    stderr_console().print(text, markup=False)


def _table_cell(col: Column, value: Any) -> str:
    value = people_value(col, value)
    if value is not None:
        if col.short is not None:
            value = col.short(value)
        elif col.text is not None:
            value = col.text(value)
    return text_cell(value)


def make_table(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]],
               title: str | None = None,
               row_style: Callable[[Mapping[str, Any]], str] | None = None) -> Any:
    """A rich table with translated headers, each cell in the form people read."""
    from rich.table import Table as RichTable
    from rich.text import Text

    from smr_register.domain.i18n import _

    # Text(): a value is shown as it is, never read as rich markup (a course code "[/]")
    table = RichTable(title=Text(title) if title else None, title_justify="left",
                      header_style="bold")
    for col in columns:
        header = _(col.header) if col.header else ""  # _("") is the catalog's header entry
        table.add_column(header, justify=col.justify, style=col.style)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(Text(_table_cell(col, row.get(col.key))) for col in columns),
                      style=row_style(row) if row_style else None)
    return table


def print_screen(items: Iterable[Any], stream: IO[str] | None = None) -> None:
    """Print a screen's items in order: tables, lines and rich renderables to `stream`
    (stdout), notes to stderr. Each item is printed before the next is asked for, so a note
    after a streamed table can count its rows."""
    from smr_register.render.model import Note, Table

    console = stdout_console(stream)
    for item in items:
        if isinstance(item, Note):
            note(item.text)
        elif isinstance(item, Table):
            console.print(make_table(item.columns, item.rows, item.title, item.row_style))
        else:
            console.print(item)

