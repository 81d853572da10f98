"""What every command shares: the global options' state, option aliases, and value parsers.

Heavy modules (SQLModel, the register, openpyxl) are imported inside functions, when a command
runs: `smr --help` must stay fast because people and cron call `smr` many times.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smr_register.domain.i18n import _
from smr_register.domain.values import parse_date, parse_decimal
from smr_register.errors import DatabaseError, InvalidValue
from smr_register.render.console import note, stderr_console
from smr_register.render.formats import (
    ListingFormat,
    NoticeFormat,
    OutputFormat,
    ReportFormat,
    StatsFormat,
    formats_of,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from smr_register.domain.ruleset import RulesBook
    from smr_register.store.history import Change


def default_db_path() -> Path:
    """Without --db or SMR_DB the register lives in the per-user data directory."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("smr-register", appauthor=False)) / "register.sqlite"


@dataclass
class AppContext:
    """The global options, carried in `ctx.obj` (never module state: CliRunner reuses modules)."""

    db: str | None
    rules_file: Path | None
    actor: str
    _engine: Any = field(default=None, repr=False)
    _book: Any = field(default=None, repr=False)
    committed: bool = False  # a write of this command was committed (what Ctrl-C then says)

    @property
    def db_label(self) -> str:
        """The register as messages name it: a path, or a URL with its password masked."""
        from smr_register.db import display_url

        return display_url(self.db) if self.db else str(default_db_path())

    def url(self) -> str:
        """The SQLAlchemy URL of --db (or of the default file, which is announced)."""
        from smr_register.db import database_url

        if self.db:
            return database_url(self.db)
        path = default_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        from smr_register.domain.i18n import _

        stderr_console().print(_("Using the register at {path} (set --db or SMR_DB)").format(
            path=path), style="dim", markup=False)
        return database_url(str(path))

    def engine(self, *, check: bool = True) -> Engine:
        """The engine for --db; with `check`, refuses a register at another schema version."""
        from smr_register import db

        if self._engine is None:
            url = self.url()
            missing = db.missing_sqlite_file(url) if check else None
            if missing is not None:
                raise DatabaseError(_("{missing}: no register there (create one with 'smr "
                                      "init')").format(
                                      missing=missing))
            self._engine = db.make_engine(url)
        if check:
            db.check_schema(self._engine, self.db_label)
        return self._engine

    def book(self) -> RulesBook:
        """The rules file, loaded once per command."""
        from smr_register.domain.ruleset import load_rules

        if self._book is None:
            self._book = load_rules(self.rules_file)
        return self._book

    def change(self, command: str) -> Change:
        """The history stamp (when, who, which command) of this command's writes."""
        from smr_register.store.history import Change

        return Change.now(self.actor, command)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        from sqlmodel import Session

        with Session(self.engine()) as session:
            yield session

    @contextmanager
    def write(self, command: str, *, imports: bool = False) -> Iterator[tuple[Session, Change]]:
        """One transaction for the whole command, with the history stamp for its rows. With
        `imports`, it holds the register's imports too (it changes credits or batches that an
        import decides on: undo, resolve, manual credits), waiting for a running import."""
        from smr_register.db import transaction
        from smr_register.store import locks

        with transaction(self.engine(), waiting=waiting_for_writer) as session:
            if imports:
                locks.lock_imports(session, waiting_for_import)
            yield session, self.change(command)
        self.committed = True

    def dispose(self) -> None:
        """Close the engine's connections when the command ends."""
        if self._engine is not None:
            self._engine.dispose()


def state(ctx: typer.Context) -> AppContext:
    """The global options of this invocation (a fresh context for a sub-app run alone)."""
    obj = ctx.find_root().obj
    if not isinstance(obj, AppContext):  # a sub-app invoked on its own, as in a unit test
        obj = AppContext(db=os.environ.get("SMR_DB"), rules_file=None, actor=current_actor())
        ctx.find_root().obj = obj
    return obj


def current_actor() -> str:
    """Who is making the changes: SMR_ACTOR or the OS user."""
    try:
        return os.environ.get("SMR_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def waiting_for_writer() -> None:
    """Said once when a command must wait for another one that writes (SQLite: one at a
    time)."""
    say(_("waiting for another command to finish writing to the register ..."))


def waiting_for_import() -> None:
    """Said once when a command must wait for an import (or undo, resolve) to finish."""
    say(_("waiting for another import to finish ..."))


def say(message: str) -> None:
    """A message for people, on stderr; taken literally (values such as a course code may hold
    brackets that rich would read as markup)."""
    note(message)


# ---- value parsers: errors name the option -------------------------------------------


def parse_date_option(text: str | None, option: str) -> date | None:
    """A date typed for `option`, or None; the error names the option."""
    return None if text is None else parse_date(text, option)


def parse_decimal_option(text: str | None, option: str) -> Decimal | None:
    """An amount typed for `option`, or None; the error names the option."""
    return None if text is None else parse_decimal(text, option)


def as_of_date(text: str | None, today: date | None = None, option: str = "--as-of") -> date:
    """--as-of (or `option`) defaults to today: the only place the clock is read."""
    if text is None:
        return today or date.today()  # noqa: DTZ011 - the local calendar day is meant
    return parse_date(text, option)


def entry_date(text: str | None) -> date:
    """The date points are entered on (--as-of): today by default, and never after today, so
    attendance at a run still to come cannot be entered ahead of it."""
    today = as_of_date(None)
    if text is None:
        return today
    day = parse_date(text, "--as-of")
    if day > today:
        raise InvalidValue("--as-of", text, _("is after today ({today:%d-%m-%Y}): points are "
                                              "entered once a course has taken place, never "
                                              "ahead").format(today=today))
    return day


def split_list(text: str | None, option: str, allowed: list[str]) -> list[str]:
    """`--status at-risk,non-compliant` -> a checked list."""
    if not text:
        return []
    items = [item.strip() for item in text.split(",") if item.strip()]
    for item in items:
        if item not in allowed:
            raise InvalidValue(option, item, _("must be one of {allowed}").format(
                                               allowed=', '.join(allowed)))
    return items


# ---- shared options, defined once --------------------------------------------------------

def _format_option(subset: Any, help_text: str) -> Any:
    """`--format` taking the formats of `subset` (render/formats.py), default from SMR_FORMAT.

    SMR_FORMAT is one setting for every command: a format this command does not take (xlsx for
    a listing) is ignored there, and the command's own default applies. Given with --format it
    is refused, as is a value that is no format at all.
    """
    accepted = formats_of(subset)
    choices = ", ".join(repr(f.value) for f in accepted)

    def parse(value: Any) -> Any:
        try:
            return OutputFormat(str(value).casefold())
        except ValueError:
            return value  # refused below, with the choices of this command

    def accept(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> OutputFormat:
        if value in accepted:
            return OutputFormat(value)
        source = ctx.get_parameter_source(param.name or "")
        if isinstance(value, OutputFormat) and source is not None \
                and source.name == "ENVIRONMENT":
            return OutputFormat(param.get_default(ctx))
        from smr_register.domain.i18n import _

        raise typer.BadParameter(_("{value!r} is not one of {choices}.").format(
            value=str(value), choices=choices))

    return typer.Option("--format", "-f", help=help_text, envvar="SMR_FORMAT", parser=parse,
                        callback=accept)


ListingFormatOption = Annotated[ListingFormat, _format_option(
    ListingFormat, "Output format: a table for people, json/csv for scripts.")]
ReportFormatOption = Annotated[ReportFormat, _format_option(
    ReportFormat, "Output format: a table for people, json/csv for scripts, xlsx for "
    "spreadsheets (with --output).")]
NoticeFormatOption = Annotated[NoticeFormat, _format_option(
    NoticeFormat, "csv, json or xlsx (with --output), for mail merge.")]
StatsFormatOption = Annotated[StatsFormat, _format_option(
    StatsFormat, "table (with bar charts), json, or xlsx with --output (one sheet per table, "
    "each with a chart).")]
def _as_of_from_environment(ctx: typer.Context, param: typer.CallbackParam,
                            value: str | None) -> str | None:
    """A date that came from SMR_AS_OF is checked here, so its error names SMR_AS_OF: the
    user typed no --as-of and would look for it in vain."""
    source = ctx.get_parameter_source(param.name or "")
    if value is not None and source is not None and source.name == "ENVIRONMENT":
        parse_date(value, "SMR_AS_OF")
    return value


AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Evaluation date (dd-mm-jjjj or ISO); default today.",
                 envvar="SMR_AS_OF", show_default=False, callback=_as_of_from_environment),
]
EntryDateOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Date of entry (dd-mm-jjjj or ISO): a course run after it "
                 "earns nothing yet; default today, never later.", envvar="SMR_AS_OF",
                 show_default=False),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of stdout (written "
                 "atomically).", dir_okay=False),
]
ColumnOption = Annotated[list[str] | None, typer.Option(
    "--column", metavar="HEADER=COLUMN", help="Read the sheet's header HEADER as COLUMN for "
    "this import (repeatable), e.g. --column \"Cursus=Cursuscode\"; 'smr import columns' "
    "lists the columns.", show_default=False)]
ReasonOption = Annotated[
    str | None, typer.Option("--reason", help="Why: kept in the history.")
]
ReasonRequired = Annotated[str, typer.Option("--reason", help="Why: kept in the history.")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Show what would happen; write "
                                            "nothing.")]
def _reg_no(value: str | None) -> str | None:
    """Full-width digits typed or pasted (`１２３`) mean the ASCII number they look like."""
    from smr_register.domain.values import ascii_digits

    return None if value is None else ascii_digits(value)


RegNoArgument = Annotated[str, typer.Argument(help="Registration number of the coach.",
                                              callback=_reg_no)]
