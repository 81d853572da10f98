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
    """One line for people on stderr, printed as it is. Written straight to the stream: a rich
    console would read `:name:` in a file name as an emoji, and importing rich costs a
    command that only reports a summary 25-40 ms (a fifth of an import's fixed cost beyond
    the libraries' own start-up)."""
    stream = sys.stderr
    stream.write(text + "\n")
    stream.flush()


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
               row_style: Callable[[Mapping[str, Any]], str] | None = None,
               width: int | None = None) -> Any:
    """A rich table with translated headers, each cell in the form people read, fitted to
    `width` (render/fit.py): dates, numbers and keys whole, names wrapped, less important
    columns left out and named under the table."""
    from rich.table import Table as RichTable
    from rich.text import Text

    from smr_register.domain.i18n import _
    from smr_register.render.fit import fit, stays_whole

    rows = list(rows)
    headers = [_(col.header) if col.header else "" for col in columns]  # _("") is the header
    cells = [[_table_cell(col, row.get(col.key)) for col in columns] for row in rows]
    whole = [stays_whole(col, [row.get(col.key) for row in rows]) for col in columns]
    fitted = fit(columns, headers, cells, whole, width or 10_000)
    caption = None
    if fitted.left_out:
        caption = Text(_("Left out for lack of width: {columns} (a wider terminal shows them, "
                         "as does --format csv or json).").format(
                             columns=", ".join(fitted.left_out)), style="dim")
    # Text(): a value is shown as it is, never read as rich markup (a course code "[/]")
    table = RichTable(title=Text(title) if title else None, title_justify="left",
                      header_style="bold", caption=caption, caption_justify="left")
    for index, col_width in zip(fitted.shown, fitted.widths, strict=True):
        col = columns[index]
        table.add_column(headers[index], justify=col.justify,  # type: ignore[arg-type]
                         style=col.style, width=col_width, overflow="fold")
    for row, texts in zip(rows, cells, strict=True):  # a whole cell fits its column's width
        table.add_row(*(Text(texts[i], no_wrap=whole[i]) for i in fitted.shown),
                      style=row_style(row) if row_style else None)
    return table


def print_screen(items: Iterable[Any], stream: IO[str] | None = None) -> None:
    """Print a screen's items in order: tables, lines and rich renderables to `stream`
    (stdout), notes to stderr. Each item is printed before the next is asked for, so a note
    after a streamed table can count its rows. On a terminal, output taller than the screen
    goes through the pager (render/pager.py) and the notes follow it."""
    from smr_register.render.model import Note, Table
    from smr_register.render.pager import pager_command, show

    command = pager_command() if stream is None else None
    console = stdout_console(stream)
    buffer = None
    if command is not None:  # printed into a buffer with the terminal's width and colours
        import io

        from rich.console import Console

        buffer = io.StringIO()
        terminal = console
        console = Console(file=buffer, width=terminal.width, height=terminal.height,
                          force_terminal=True, color_system=terminal.color_system,
                          highlight=False)
    notes: list[str] = []
    for item in items:
        if isinstance(item, Note):
            if buffer is None:
                note(item.text)
            else:
                notes.append(item.text)
        elif isinstance(item, Table):
            console.print(make_table(item.columns, item.rows, item.title, item.row_style,
                                     width=console.width))
        else:
            console.print(item)
    if buffer is not None and command is not None:
        show(buffer.getvalue(), command, height=terminal.height)
        for text in notes:
            note(text)
