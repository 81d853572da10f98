"""One formatter per output format, looked up in one table; the one check of --output.

`emit(rendering, output_format, output)` is how every command prints or writes its output: the
format's formatter takes the part of the `Rendering` it needs. A new format is one function and
one entry in `FORMATTERS` (tests/render check that every format a command accepts has one).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from smr_register.domain.i18n import _
from smr_register.errors import UsageError
from smr_register.render.cells import Column, csv_cell, dumps, excel_nl_cell, jsonable
from smr_register.render.console import note, print_screen
from smr_register.render.files import output_stream
from smr_register.render.formats import CsvDialect, OutputFormat
from smr_register.render.model import JsonStream, Rendering


def write_csv(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]],
              stream: IO[str]) -> None:
    """CSV row by row: a header of keys, every cell in `csv_cell`'s guarded form."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([col.key for col in columns])
    texts = {col.key: col.text for col in columns if col.text is not None}
    if texts:
        rows = (_with_texts(row, texts) for row in rows)
    for row in rows:
        writer.writerow([csv_cell(row.get(col.key)) for col in columns])


def write_excel_csv(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]],
                    stream: IO[str]) -> None:
    """CSV as Excel set to Dutch opens it with a double click: a UTF-8 byte-order mark (or
    Excel guesses the encoding wrong), `;` between cells, dd-mm-jjjj dates, decimal commas,
    each cell on one line (line breaks in a cell upset Excel and mail merge)."""
    stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow([col.key for col in columns])
    for row in rows:
        writer.writerow([excel_nl_cell(row.get(col.key)) for col in columns])


def _with_texts(row: Mapping[str, Any], texts: Mapping[str, Callable[[Any], Any]]
                ) -> Mapping[str, Any]:
    return {**row, **{key: text(row[key]) for key, text in texts.items()
                      if row.get(key) is not None}}


def write_json_stream(stream: IO[str], report: JsonStream) -> None:
    """The head's keys, then the list one item per line, then the summary."""
    opening = json.dumps(jsonable(dict(report.head)), ensure_ascii=False)
    stream.write(f"{opening[:-1]}, {json.dumps(report.list_key)}: [")
    encode = json.JSONEncoder(ensure_ascii=False).encode
    first = True
    for item in report.items:
        encoded = report.encode(item)
        text = encoded if isinstance(encoded, str) else encode(encoded)
        stream.write(("\n" if first else ",\n") + text)
        first = False
    summary = json.dumps(jsonable(dict(report.summary())))
    stream.write(f"\n], \"summary\": {summary}}}\n")


# ---- the formatters -----------------------------------------------------------------------


def _table(rendering: Rendering, output: Path | None) -> None:
    print_screen(rendering.screen)


def _json(rendering: Rendering, output: Path | None) -> None:
    assert rendering.json is not None
    with output_stream(output) as stream:
        if isinstance(rendering.json, JsonStream):
            write_json_stream(stream, rendering.json)
        else:
            stream.write(dumps(rendering.json()))


def _csv(rendering: Rendering, output: Path | None) -> None:
    assert rendering.csv is not None
    write = write_excel_csv if rendering.csv_dialect == CsvDialect.EXCEL_NL else write_csv
    with output_stream(output) as stream:
        write(rendering.csv.columns, rendering.csv.rows, stream)


def _xlsx(rendering: Rendering, output: Path | None) -> None:
    assert rendering.workbook is not None and output is not None
    rendering.workbook().write(output)


@dataclass(frozen=True)
class Formatter:
    """How one format is written, and where it can go."""

    write: Callable[[Rendering, Path | None], None]
    to_stdout: bool = True
    to_file: bool = True
    screen: bool = False  # for people on a terminal: its notes are part of `screen`


FORMATTERS: dict[OutputFormat, Formatter] = {
    OutputFormat.TABLE: Formatter(_table, to_file=False, screen=True),
    OutputFormat.JSON: Formatter(_json),
    OutputFormat.CSV: Formatter(_csv),
    OutputFormat.XLSX: Formatter(_xlsx, to_stdout=False),
}


def check_output(output_format: OutputFormat, output: Path | None,
                 accepted: Sequence[OutputFormat]) -> None:
    """Refuse --output where the format cannot go to a file, and a file format without it;
    called before a command does any work (or writes anything)."""
    formatter = FORMATTERS[output_format]
    if output is None and not formatter.to_stdout:
        raise UsageError(_("--format {output_format} writes a file: give --output "
                           "FILE.{output_format}").format(output_format=output_format))
    if output is not None and not formatter.to_file:
        to_file = [str(f) for f in accepted if FORMATTERS[f].to_file]
        either = " or ".join([", ".join(to_file[:-1]), to_file[-1]] if len(to_file) > 1
                             else to_file)
        raise UsageError(_("--output needs --format {either}").format(either=either))


def emit(rendering: Rendering, output_format: OutputFormat, output: Path | None = None) -> None:
    """Print `rendering` in the chosen format to stdout, or write it atomically to `output`;
    then its notes to stderr (the screen's notes are among its items)."""
    formatter = FORMATTERS[output_format]
    formatter.write(rendering, output)
    if not formatter.screen:
        for line in rendering.notes:
            note(line)
