"""`smr report ...`: reports for people and for nightly scripts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from smr_register.commands.common import (
    AppContext,
    AsOfOption,
    NoticeFormatOption,
    OutputOption,
    ReportFormatOption,
    StatsFormatOption,
    as_of_date,
    state,
)
from smr_register.domain import limits
from smr_register.errors import ExitCode, UsageError
from smr_register.render.formats import (
    NOTICE_FORMATS,
    REPORT_FORMATS,
    STATS_FORMATS,
    CsvDialect,
    OutputFormat,
)
from smr_register.render.registry import check_output, emit

app = typer.Typer(help="Reports for people and for nightly scripts.", no_args_is_help=True)


@app.callback()
def reports() -> None:
    """Reports for people and for nightly scripts."""


@app.command("public")
def public(ctx: typer.Context, as_of: AsOfOption = None, output: OutputOption = None,
           output_format: ReportFormatOption = OutputFormat.TABLE) -> None:
    """The public register: coaches valid on the date, with public fields only.

    A table by default, like every other command; `--format csv` (or json, xlsx) for files.
    """
    from smr_register.render.reports import public_rendering
    from smr_register.services import public as public_register

    obj, on = _report(ctx, as_of, output_format, output, REPORT_FORMATS)
    with obj.read() as session:
        rows = public_register.public_rows(session, on)
    emit(public_rendering(rows, as_of=on, rules_version=lambda: obj.book().in_force(on).id),
         output_format, output)


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
    from smr_register.render.reports import expiry_rendering
    from smr_register.services import reports

    obj, on = _report(ctx, as_of, output_format, output, REPORT_FORMATS)
    book = obj.book()
    within = book.in_force(on).notice_days[0] if within is None else within
    with obj.engine().connect() as conn:
        rows = reports.expiry_rows(conn, book, on, within)
    emit(expiry_rendering(rows, as_of=on, within=within, rules_version=book.in_force(on).id),
         output_format, output)
    if reports.expiry_flagged(rows):
        raise typer.Exit(ExitCode.FINDINGS)


@app.command("notices")
def notices(
    ctx: typer.Context,
    as_of: AsOfOption = None, output: OutputOption = None,
    output_format: NoticeFormatOption = OutputFormat.CSV,
    lang: Annotated[str, typer.Option("--lang", help="Language of the messages: nl or en.")]
    = "nl",
    dialect: Annotated[CsvDialect, typer.Option(
        "--dialect", help="With --format csv: 'plain' for scripts (',' and ISO dates), or "
        "'excel-nl' for Excel set to Dutch (';', dd-mm-jjjj dates, UTF-8 with BOM, every "
        "cell on one line).")] = CsvDialect.PLAIN,
    record: Annotated[bool, typer.Option(
        "--record", help="Record the notices listed as sent (one transaction, written with "
        "the output): a later run does not list them again. Without it nothing is "
        "written.")] = False,
) -> None:
    """Every coach who has reached a notice stage and was not yet sent it, each with a
    personal message for mail merge: the end of the registration period, the basisprofiel's
    transition deadline, an exception that ends. Stages missed (a cron run that did not
    happen) are caught up; each is sent once. csv (--dialect excel-nl for Dutch Excel), json,
    or xlsx with --output."""
    from smr_register.domain.i18n import _, language, use_language
    from smr_register.render.reports import notices_rendering
    from smr_register.services import notices as lib

    obj, on = _report(ctx, as_of, output_format, output, NOTICE_FORMATS)
    if dialect != CsvDialect.PLAIN and output_format != OutputFormat.CSV:
        raise UsageError(_("--dialect {dialect} is a kind of CSV: use it with --format csv")
                         .format(dialect=dialect))
    book = obj.book()
    rules_version = book.in_force(on).id
    previous = language()
    use_language(lang)  # the audit's sentences are made in the language of the notices
    try:
        if record:
            # the list and its record in one transaction: what is written is what was recorded
            with obj.write("report notices --record") as (session, change):
                found = lib.due_notices(session.connection(), session, book, on)
                lib.record_notices(session, change, found, lang)
                rows = lib.notice_rows(found, lang)
                use_language(previous)  # headers and notes in the language of the command
                emit(notices_rendering(rows, as_of=on, language=lang,
                                       rules_version=rules_version, recorded=True,
                                       dialect=dialect), output_format, output)
            return
        with obj.read() as session, obj.engine().connect() as conn:
            rows = lib.notice_rows(lib.due_notices(conn, session, book, on), lang)
    finally:
        use_language(previous)
    emit(notices_rendering(rows, as_of=on, language=lang, rules_version=rules_version,
                           recorded=False, dialect=dialect), output_format, output)


@app.command("stats")
def stats(
    ctx: typer.Context, as_of: AsOfOption = None, output: OutputOption = None,
    output_format: StatsFormatOption = OutputFormat.TABLE,
) -> None:
    """Statistics of the register: statuses, endings per month, points, hours, profiles."""
    from smr_register.render.stats import stats_rendering
    from smr_register.services import reports

    obj, on = _report(ctx, as_of, output_format, output, STATS_FORMATS)
    book = obj.book()
    with obj.read() as session, obj.engine().connect() as conn:
        tables = reports.stats(conn, session, book, on)
    emit(stats_rendering(tables, as_of=on, rules_version=book.in_force(on).id), output_format,
         output)


def _report(ctx: typer.Context, as_of: str | None, output_format: OutputFormat,
            output: Path | None, formats: Sequence[OutputFormat]) -> tuple[AppContext, date]:
    """The register and the date of a report, once its format and --output are known to go
    together (before anything is read)."""
    check_output(output_format, output, formats)
    return state(ctx), as_of_date(as_of)
