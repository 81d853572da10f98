"""Rendering rows for people (rich tables) and for scripts (JSON, CSV).

One formatter per format, chosen by the `--format` option. stdout carries only the requested
format; everything meant for people alone (summaries, warnings) goes to `stderr_console()`.
JSON: ISO dates, decimals as strings (exact), stable keys. CSV: ISO dates, and any text that a
spreadsheet would run as a formula is written as text (see `spreadsheet_safe`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from smr_register.domain.values import format_date, format_decimal
from smr_register.errors import InputFileError


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


class ListFormat(StrEnum):
    """The formats of listings (xlsx belongs to reports, which write files)."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


# Characters that make Excel (and LibreOffice) treat a cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Prefix a quote so a provider's `=HYPERLINK(...)` stays text in a report staff open."""
    return "'" + text if text.startswith(_FORMULA_START) else text


@dataclass(frozen=True)
class Column:
    """One column of a listing: the row key, the header people see, and an optional style."""

    key: str
    header: str
    justify: str = "left"
    style: str | None = None


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
    return json.dumps(jsonable(document), ensure_ascii=False, indent=2) + "\n"


def _text_cell(value: Any) -> str:
    """The form a person reads in a table: dd-mm-jjjj dates, decimals without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_text_cell(v) for v in value)
    return str(value)


def _csv_cell(value: Any) -> str:
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
        return spreadsheet_safe("; ".join(_csv_cell(v) for v in value))
    return spreadsheet_safe(str(jsonable(value)))


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


def make_table(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]],
               title: str | None = None, row_style: Callable[[Mapping[str, Any]], str] | None
               = None) -> Any:
    from rich.table import Table

    from smr_register.domain.i18n import _

    table = Table(title=title, title_justify="left", header_style="bold")
    for col in columns:
        header = _(col.header) if col.header else ""  # _("") is the catalog's header entry
        table.add_column(header, justify=col.justify, style=col.style)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(_text_cell(row.get(col.key)) for col in columns),
                      style=row_style(row) if row_style else None)
    return table


def write_csv(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]],
              stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([col.key for col in columns])
    for row in rows:
        writer.writerow([_csv_cell(row.get(col.key)) for col in columns])


def render_rows(
    columns: Sequence[Column],
    rows: Sequence[Mapping[str, Any]],
    output_format: OutputFormat | ListFormat,
    *,
    title: str | None = None,
    document: Any = None,
    stream: IO[str] | None = None,
) -> None:
    """Print a listing in the chosen format; `document` replaces the rows list in JSON."""
    out = stream or sys.stdout
    output_format = OutputFormat(output_format.value)
    if output_format is OutputFormat.JSON:
        out.write(dumps(document if document is not None else list(rows)))
    elif output_format is OutputFormat.CSV:
        write_csv(columns, rows, out)
    elif output_format is OutputFormat.TABLE:
        stdout_console(out).print(make_table(columns, rows, title))
    else:
        raise ValueError(f"{output_format.value} is written with --output, not to stdout")


class atomic_path:  # noqa: N801 - used as a context manager, reads like one
    """Yield a temp path beside `path`; rename it over `path` only if the block succeeds."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.tmp: Path | None = None

    def __enter__(self) -> Path:
        directory = self.path.parent if str(self.path.parent) else Path()
        if not directory.is_dir():
            raise InputFileError(f"{self.path}: directory {directory} does not exist")
        try:
            fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                        dir=directory)
        except OSError as error:
            raise InputFileError(f"{self.path}: cannot write ({error.strerror})") from None
        os.close(fd)
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        assert self.tmp is not None
        if exc_type is not None:
            self.tmp.unlink(missing_ok=True)
            return
        try:
            self.tmp.chmod(_mode_for(self.path))
            self.tmp.replace(self.path)
        except OSError as error:
            self.tmp.unlink(missing_ok=True)
            raise InputFileError(f"{self.path}: cannot write ({error.strerror})") from None


def _mode_for(path: Path) -> int:
    """The permissions `open(path, "w")` would leave: the file's own when it exists, else
    0o666 less the umask. (mkstemp makes its file 0o600: a nightly public report written
    for a web server to serve would be readable by its owner only.)"""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomic(path: Path, text: str) -> None:
    """Write a whole text file or nothing (a reader never sees half a report)."""
    try:
        with atomic_path(path) as tmp:
            tmp.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise InputFileError(f"{path}: cannot write ({exc.strerror})") from None


def emit(
    columns: Sequence[Column],
    rows: Sequence[Mapping[str, Any]],
    output_format: OutputFormat,
    *,
    output: Path | None,
    title: str,
    document: Any = None,
    xlsx: Callable[[Path], None] | None = None,
) -> None:
    """Send a report to stdout or, atomically, to `--output`, in the chosen format.

    xlsx is a file format: it needs --output, and the caller passes how to write it.
    """
    from smr_register.errors import UsageError

    if output_format is OutputFormat.XLSX:
        if output is None or xlsx is None:
            raise UsageError("--format xlsx needs --output FILE.xlsx")
        xlsx(output)
        return
    if output_format is OutputFormat.TABLE:
        if output is not None:
            raise UsageError("--output needs --format json, csv or xlsx")
        render_rows(columns, rows, output_format, title=title)
        return
    buffer = io.StringIO()
    render_rows(columns, rows, output_format, title=title, document=document, stream=buffer)
    if output is None:
        sys.stdout.write(buffer.getvalue())
    else:
        write_text_atomic(output, buffer.getvalue())


def made_at() -> datetime:
    """When a file is made: now, or SOURCE_DATE_EPOCH (reproducible builds) for reruns that
    must be byte-identical, e.g. a nightly report compared with yesterday's."""
    from datetime import UTC

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)
