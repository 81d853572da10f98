"""`smr report ...`: reports for people and for nightly scripts."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from smr_register.commands.common import (
    AsOfOption,
    OutputOption,
    ReportFormatOption,
    as_of_date,
    say,
    state,
)
from smr_register.domain import limits
from smr_register.domain.i18n import _
from smr_register.errors import ExitCode
from smr_register.output import OutputFormat, emit, made_at

app = typer.Typer(help="Reports for people and for nightly scripts.", no_args_is_help=True)


@app.callback()
def reports() -> None:
    """Reports for people and for nightly scripts."""


@app.command("public")
def public(ctx: typer.Context, as_of: AsOfOption = None, output: OutputOption = None,
           output_format: ReportFormatOption = OutputFormat.CSV) -> None:
    """The public register: coaches valid on the date, with public fields only."""
    from smr_register.services import public as public_register
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
                       made_at=made_at(),
                       rules_version=obj.book().in_force(on).id)

    emit(columns, rows, output_format, output=output, title=f"Public register, "
         f"{on:%d-%m-%Y}", document=document, xlsx=xlsx)


@app.command("expiry")
def expiry(
    ctx: typer.Context,
    within: Annotated[int | None, typer.Option(
        "--within", min=0, max=limits.MAX_DAYS_AHEAD, help="Days ahead: registrations ending "
        "within this window. "
        "Default: the first notice interval of the rules file (about 6 months).")] = None,
    as_of: AsOfOption = None, output: OutputOption = None,
    output_format: ReportFormatOption = OutputFormat.TABLE,
) -> None:
    """Registrations ending within the window, with status and notice stage (for cron)."""
    from smr_register.services import reports
    from smr_register.xlsx import Sheet, write_workbook

    obj = state(ctx)
    on = as_of_date(as_of)
    book = obj.book()
    within = book.in_force(on).notice_days[0] if within is None else within
    with obj.engine().connect() as conn:
        rows = reports.expiry_rows(conn, book, on, within)
    rules_id = book.in_force(on).id
    document = {"schema_version": reports.EXPIRY_SCHEMA_VERSION, "as_of": on,
                "within_days": within, "rules_version": rules_id, "coaches": rows}

    def xlsx(path: Path) -> None:
        write_workbook(path, [Sheet(_("Expiry"), reports.EXPIRY_COLUMNS, rows,
                                    status_key="status")],
                       title=_("Registrations ending within {days} days").format(days=within),
                       as_of=on, made_at=made_at(), rules_version=rules_id)

    emit(reports.EXPIRY_COLUMNS, rows, output_format, output=output,
         title=_("Registrations ending within {days} days, as of {date}").format(
             days=within, date=f"{on:%d-%m-%Y}"), document=document, xlsx=xlsx)
    say(_("{count} registrations end within {days} days.").format(count=len(rows),
                                                                   days=within))
    if reports.expiry_flagged(rows):
        raise typer.Exit(ExitCode.FINDINGS)


class NoticeFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


@app.command("notices")
def notices(
    ctx: typer.Context,
    as_of: AsOfOption = None, output: OutputOption = None,
    output_format: Annotated[NoticeFormat, typer.Option(
        "--format", "-f", help="csv or json, for mail merge.")] = NoticeFormat.CSV,
    lang: Annotated[str, typer.Option("--lang", help="Language of the messages: nl or en.")]
    = "nl",
) -> None:
    """Coaches who reach a notice stage on the date, each with a personal message."""
    from smr_register.domain.i18n import language, use_language
    from smr_register.services import reports

    obj = state(ctx)
    on = as_of_date(as_of)
    book = obj.book()
    previous = language()
    use_language(lang)  # the audit's sentences are made in the language of the notices
    try:
        with obj.read() as session, obj.engine().connect() as conn:
            rows = reports.notice_rows(reports.notices_due(conn, session, book, on), lang)
    finally:
        use_language(previous)
    document = {"schema_version": reports.NOTICES_SCHEMA_VERSION, "as_of": on,
                "language": lang, "notices": rows}
    emit(reports.NOTICE_COLUMNS, rows, OutputFormat(output_format.value), output=output,
         title="",
         document=document)
    say(_("{count} notices for {date}.").format(count=len(rows), date=f"{on:%d-%m-%Y}"))


class StatsFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    XLSX = "xlsx"


@app.command("stats")
def stats(
    ctx: typer.Context, as_of: AsOfOption = None, output: OutputOption = None,
    output_format: Annotated[StatsFormat, typer.Option(
        "--format", "-f", help="table (with bar charts), json, or xlsx with --output (one "
        "sheet per table, each with a chart).")] = StatsFormat.TABLE,
) -> None:
    """Statistics of the register: statuses, endings per month, points, hours, profiles."""
    from smr_register.report_output import render_stats
    from smr_register.services import reports

    obj = state(ctx)
    on = as_of_date(as_of)
    book = obj.book()
    with obj.read() as session, obj.engine().connect() as conn:
        tables = reports.stats(conn, session, book, on)
    render_stats(tables, OutputFormat(output_format.value), output=output, as_of=on,
                 rules_version=book.in_force(on).id, made=made_at())
