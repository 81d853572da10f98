"""Rendering `smr report stats`: rich tables with bar charts, one JSON document, or a workbook
with one sheet and one native Excel chart per table."""

from __future__ import annotations

import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from smr_register.domain.i18n import _
from smr_register.output import OutputFormat, dumps, make_table, stdout_console, write_text_atomic
from smr_register.services.reports import STATS_TABLES

STATS_SCHEMA_VERSION = 1
BAR_WIDTH = 40


def _bars(rows: list[dict[str, Any]], value_key: str) -> list[dict[str, Any]]:
    """Add a text bar per row, scaled to the largest value."""
    largest = max((Decimal(str(row[value_key])) for row in rows), default=Decimal(0))
    out = []
    for row in rows:
        value = Decimal(str(row[value_key]))
        length = int(value * BAR_WIDTH / largest) if largest else 0
        out.append({**row, "_bar": "█" * length or ("▏" if value else "")})
    return out


def render_stats(tables: dict[str, list[dict[str, Any]]], output_format: OutputFormat, *,
                 output: Path | None, as_of: date, rules_version: str, made: datetime) -> None:
    from smr_register.errors import UsageError
    from smr_register.output import Column

    if output_format is OutputFormat.JSON:
        text = dumps({"schema_version": STATS_SCHEMA_VERSION, "as_of": as_of,
                      "rules_version": rules_version, "tables": tables})
        if output is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(output, text)
        return
    if output_format is OutputFormat.XLSX:
        if output is None:
            raise UsageError("--format xlsx needs --output FILE.xlsx")
        from smr_register.xlsx import ChartSpec, Sheet, write_workbook

        sheets = [Sheet(_(title)[:31], columns, tables[key],
                        chart=ChartSpec("bar", _(title), category, [value]))
                  for key, (title, columns, category, value) in STATS_TABLES.items()]
        write_workbook(output, sheets, title=_("Statistics of the register"), as_of=as_of,
                       made_at=made, rules_version=rules_version)
        return
    if output is not None:
        raise UsageError("--output needs --format json or xlsx")
    console = stdout_console()
    for key, (title, columns, _category, value) in STATS_TABLES.items():
        rows = _bars(tables[key], value) if key != "supervisors" else tables[key]
        shown = [*columns, Column("_bar", "Chart", style="cyan")] if key != "supervisors" \
            else columns
        console.print(make_table(shown, rows, title=f"{_(title)} ({as_of:%d-%m-%Y})"))
