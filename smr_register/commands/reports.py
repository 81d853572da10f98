"""`smr report ...`: reports for people and for nightly scripts."""

from __future__ import annotations

import typer

from smr_register.commands.common import (
    AsOfOption,
    OutputOption,
    ReportFormatOption,
    as_of_date,
    state,
)
from smr_register.output import OutputFormat, emit

app = typer.Typer(help="Reports for people and for nightly scripts.", no_args_is_help=True)


@app.callback()
def reports() -> None:
    """Reports for people and for nightly scripts."""


@app.command("public")
def public(ctx: typer.Context, as_of: AsOfOption = None, output: OutputOption = None,
           output_format: ReportFormatOption = OutputFormat.CSV) -> None:
    """The public register: coaches valid on the date, with public fields only."""
    from datetime import UTC, datetime

    from smr_register import public as public_register
    from smr_register.xlsx import Sheet, write_workbook

    obj = state(ctx)
    on = as_of_date(as_of)
    with obj.read() as session:
        rows = public_register.public_rows(session, on)
    document = {"schema_version": public_register.PUBLIC_SCHEMA_VERSION, "as_of": on,
                "coaches": rows}
    columns = public_register.PUBLIC_COLUMNS

    def xlsx(path: object) -> None:
        write_workbook(path, [Sheet("Register", columns, rows)],  # type: ignore[arg-type]
                       title="Openbaar register / public register", as_of=on,
                       made_at=datetime.combine(on, datetime.min.time(), UTC),
                       rules_version=obj.book().in_force(on).id)

    emit(columns, rows, output_format, output=output, title=f"Public register, "
         f"{on:%d-%m-%Y}", document=document, xlsx=xlsx)
