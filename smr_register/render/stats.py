"""`smr report stats` for people and scripts: rich tables with bar charts, one JSON document, or
a workbook with one sheet and one native Excel chart per table."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from smr_register.domain.i18n import N_, _
from smr_register.render.cells import Column
from smr_register.render.model import Rendering, Table
from smr_register.services.reports import STATS_TABLES

if TYPE_CHECKING:
    from smr_register.render.workbook import Workbook

STATS_SCHEMA_VERSION = 1
BAR_WIDTH = 40
# Sheet names say what a sheet holds within Excel's 31 characters, in either language (the
# tables' titles, "Aflopende registraties per maand", are longer).
SHEET_NAMES = {"status": N_("Per status"), "ending": N_("Ending per month"),
               "points": N_("Points per year"), "hours": N_("Hours per year"),
               "profiles": N_("Per profile"), "provinces": N_("Per province"),
               "supervisors": N_("Supervisors")}

Tables = Mapping[str, Sequence[Mapping[str, Any]]]


def _bars(rows: Sequence[Mapping[str, Any]], value_key: str) -> list[dict[str, Any]]:
    """Add a text bar per row, scaled to the largest value."""
    largest = max((Decimal(str(row[value_key])) for row in rows), default=Decimal(0))
    out = []
    for row in rows:
        value = Decimal(str(row[value_key]))
        length = int(value * BAR_WIDTH / largest) if largest else 0
        out.append({**row, "_bar": "█" * length or ("▏" if value else "")})
    return out


def stats_rendering(tables: Tables, *, as_of: date, rules_version: str) -> Rendering:
    """Every table of the statistics, on screen with bars, as JSON, or as charted sheets."""

    def screen() -> Iterator[Table]:
        for key, (title, columns, _category, value) in STATS_TABLES.items():
            rows = _bars(tables[key], value) if key != "supervisors" else tables[key]
            shown = [*columns, Column("_bar", "Chart", style="cyan", priority=2, no_wrap=True)] \
                if key != "supervisors" else columns
            yield Table(shown, rows, title=f"{_(title)} ({as_of:%d-%m-%Y})")

    def workbook() -> Workbook:
        from smr_register.render.workbook import ChartSpec, Sheet, Workbook

        sheets = [Sheet(_(SHEET_NAMES[key]), columns, tables[key],
                        chart=ChartSpec("bar", _(title), category, [value]))
                  for key, (title, columns, category, value) in STATS_TABLES.items()]
        return Workbook(sheets, title=_("Statistics of the register"), as_of=as_of,
                        rules_version=rules_version)

    return Rendering(screen=screen(), workbook=workbook,
                     json=lambda: {"schema_version": STATS_SCHEMA_VERSION, "as_of": as_of,
                                   "rules_version": rules_version, "tables": tables})
