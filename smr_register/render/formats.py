"""The output formats: one `OutputFormat`, and per kind of command the formats it accepts.

Each subset is a `Literal` of `OutputFormat` members: typer shows and checks its choices, and a
command's `output_format` is still an `OutputFormat`. The `--format` options built from them are
in commands/common.py; tests/render check that every accepted format has a formatter.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal, get_args


class OutputFormat(StrEnum):
    """Every format the tool writes; `registry.FORMATTERS` has the formatter of each."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


# Listings print to stdout: a table for people, json/csv for scripts.
ListingFormat = Literal[OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.CSV]
# Reports can also be written with --output, xlsx only so.
ReportFormat = Literal[OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.CSV,
                       OutputFormat.XLSX]
# Notices are for mail merge: csv (in the dialect of the reader), json, or a workbook.
NoticeFormat = Literal[OutputFormat.CSV, OutputFormat.JSON, OutputFormat.XLSX]
# Statistics: bar charts on screen or native charts in a workbook; no flat CSV of seven tables.
StatsFormat = Literal[OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.XLSX]


class CsvDialect(StrEnum):
    """How a CSV is written: `plain` for scripts (`,`, ISO dates, a cell may hold line
    breaks); `excel-nl` for Excel set to Dutch, which opens it with a double click: `;`
    between cells, dd-mm-jjjj dates, decimal commas, a UTF-8 byte-order mark, each cell on
    one line."""

    PLAIN = "plain"
    EXCEL_NL = "excel-nl"


def formats_of(subset: Any) -> tuple[OutputFormat, ...]:
    """The formats of one of the subsets above, in their order."""
    return tuple(get_args(subset))


LISTING_FORMATS = formats_of(ListingFormat)
REPORT_FORMATS = formats_of(ReportFormat)
NOTICE_FORMATS = formats_of(NoticeFormat)
STATS_FORMATS = formats_of(StatsFormat)
