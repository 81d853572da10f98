"""`smr db ...`: the register's database itself: schema version, upgrade, check, backup, restore."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from smr_register.commands.common import ListingFormatOption, say, state
from smr_register.domain.i18n import _, ngettext
from smr_register.errors import DatabaseError, ExitCode, UsageError
from smr_register.render.cells import Column
from smr_register.render.formats import OutputFormat
from smr_register.render.model import listing
from smr_register.render.registry import emit

app = typer.Typer(help="The register's database: schema version, upgrades, checks, backups.",
                  no_args_is_help=True)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring an older register to this version's schema; every row is kept."""
    from smr_register import db

    obj = state(ctx)
    before, after = db.upgrade(obj.engine(check=False))
    if before == after:
        say(_("{db_label} is already at schema {after}.").format(
              db_label=obj.db_label, after=after))
    else:
        say(_("Upgraded {db_label} from schema {before} to {after}.").format(
              db_label=obj.db_label, before=before or 'none', after=after))


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Show the register's schema version and whether it needs an upgrade."""
    from smr_register import db

    obj = state(ctx)
    revision = db.schema_revision(obj.engine(check=False))
    typer.echo(_("register: {db_label}").format(db_label=obj.db_label))
    typer.echo(_("schema: {revision}").format(revision=revision or _("none (not initialised)")))
    typer.echo(_("this version expects: {expected}").format(expected=db.SCHEMA_REVISION))
    db.check_schema(obj.engine(check=False), obj.db_label)


CHECK_COLUMNS = [Column("check", "Check"), Column("count", "Rows"), Column("detail", "Finding")]


@app.command("check")
def check(ctx: typer.Context, output_format: ListingFormatOption = OutputFormat.TABLE) -> None:
    """Check the register: its pages, its foreign keys and the register's own promises.

    Exit 0 when all is well, 1 with findings, 5 when the file cannot be read at all.
    """
    from smr_register import db
    from smr_register.store import integrity

    obj = state(ctx)
    findings = db.guarded(obj.db_label, lambda: integrity.check(
        obj.engine(check=False), db.known_revisions()))
    rows = [{"check": f.check, "count": f.count, "detail": f.detail} for f in findings]
    emit(listing(CHECK_COLUMNS, rows, _("Check of {db_label}").format(db_label=obj.db_label)),
         output_format)
    if findings:
        say(ngettext("{db_label}: {count} finding; restore a backup ('smr db restore FILE') or "
                     "correct the rows named.",
                     "{db_label}: {count} findings; restore a backup ('smr db restore FILE') or "
                     "correct the rows named.", len(findings)).format(
                         db_label=obj.db_label, count=len(findings)))
        raise typer.Exit(ExitCode.FINDINGS)
    say(_("{db_label}: no findings.").format(db_label=obj.db_label))


def _summary(counts: dict[str, int]) -> str:
    """How many rows of the main tables a copy holds, in the current language."""
    coaches, credited, batches, history = (counts.get(k, 0) for k in (
        "coach", "point_credit", "import_batch", "history"))
    return ", ".join((
        ngettext("{n} coach", "{n} coaches", coaches).format(n=coaches),
        ngettext("{n} credit", "{n} credits", credited).format(n=credited),
        ngettext("{n} import batch", "{n} import batches", batches).format(n=batches),
        ngettext("{n} history row", "{n} history rows", history).format(n=history)))


@app.command("backup")
def backup(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(help="The new backup file; must not exist yet.",
                                           dir_okay=False, show_default=False)],
) -> None:
    """Copy the register consistently, even while others write, and check the copy.

    On PostgreSQL this runs pg_dump (custom format) when it is on PATH.
    """
    from smr_register import db
    from smr_register.store import backup as copies

    obj = state(ctx)
    engine = obj.engine(check=False)
    if target.exists():
        raise UsageError(_("{target}: exists already; a backup never overwrites a file").format(
                           target=target))
    if not (target.parent if str(target.parent) else Path()).is_dir():
        raise UsageError(_("{target}: directory {parent} does not exist").format(
                           target=target, parent=target.parent))
    if copies.sqlite_file(engine) is None:
        copies.backup_postgresql(engine, target)
        say(_("Wrote {target} with pg_dump (restore it with pg_restore).").format(target=target))
        return
    db.check_schema(engine, obj.db_label)
    copies.backup_sqlite(engine, target)
    try:
        made = copies.inspect_copy(target, db.known_revisions(), db.SCHEMA_REVISION,
                                   db.make_engine)
    except Exception:
        target.unlink(missing_ok=True)
        raise
    say(_("Backed up {db_label} to {target} (schema {revision}: {summary}); the copy passed its "
          "check.").format(
          db_label=obj.db_label, target=target, revision=made.revision,
          summary=_summary(made.counts)))


@app.command("restore")
def restore(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="A backup made by 'smr db backup'.",
                                           exists=True, dir_okay=False, show_default=False)],
) -> None:
    """Replace the register by a checked backup; the replaced register is kept beside it."""
    from smr_register import db
    from smr_register.store import backup as copies

    obj = state(ctx)
    engine = obj.engine(check=False)
    register = copies.sqlite_file(engine)
    if register is None:
        raise DatabaseError(_("this register is on PostgreSQL: restore a pg_dump file with "
                              "pg_restore"))
    made = copies.inspect_copy(source, db.known_revisions(), db.SCHEMA_REVISION, db.make_engine)
    keep_as = copies.replaced_name(register, datetime.now().astimezone())
    copies.restore_sqlite(engine, source, keep_as)
    say(_("Restored {db_label} from {source} (schema {revision}: {summary}); the register it "
          "replaced is kept as {keep_as}.").format(
          db_label=obj.db_label, source=source, revision=made.revision,
          summary=_summary(made.counts), keep_as=keep_as))
    if made.revision != db.SCHEMA_REVISION:
        say(_("The backup is at schema {revision}: run 'smr db upgrade' before using it.").format(
              revision=made.revision))


COPY_COLUMNS = [Column("table", "Table"), Column("rows", "Rows", justify="right"),
                Column("checksum", "SHA-256 of the rows")]


@app.command("copy")
def copy(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", help="The new register: a PostgreSQL URL or a "
                                    "SQLite file path; the database must be empty.",
                                    show_default=False)],
    output_format: ListingFormatOption = OutputFormat.TABLE,
) -> None:
    """Copy the whole register into an empty database, e.g. from SQLite to PostgreSQL.

    Row counts and a checksum of every table are compared before the copy is committed; the
    register itself is only read.
    """
    from smr_register import db
    from smr_register.store import transfer

    obj = state(ctx)
    source = obj.engine()
    target_label = db.display_url(to)
    if db.database_url(to) == str(source.url.render_as_string(hide_password=False)):
        raise UsageError(_("--to {target_label}: that is the register itself").format(
                           target_label=target_label))
    target = db.make_engine(db.database_url(to))
    try:
        if transfer.refuse_unless_empty(target, target_label):
            db.check_schema(target, target_label)
        else:
            db.upgrade(target)
        copied = transfer.copy_register(source, target, target_label)
    finally:
        target.dispose()
    emit(listing(COPY_COLUMNS, [asdict(c) for c in copied],
                 _("Copy of {db_label} in {target_label}").format(
                     db_label=obj.db_label, target_label=target_label)), output_format)
    say(_("Copied {db_label} to {target_label}: {sum} rows in {count} tables; row counts and "
          "checksums agree. Point --db or SMR_DB at {target_label} to use the copy.").format(
          db_label=obj.db_label, target_label=target_label, sum=sum(c.rows for c in copied),
          count=len(copied)))
