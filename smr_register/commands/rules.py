"""`smr rules ...`: the rules file's versions and their seals (domain/sealing.py).

`check` exits 0 when every version is sealed and unchanged, 1 when a version is not sealed yet
(a finding: seal it once it is final), 3 when a sealed version was changed or removed (the rules
file is unusable). `seal` records the fingerprint of every version not yet sealed.
"""

from __future__ import annotations

import typer

from smr_register.commands.common import ListingFormatOption, say, state
from smr_register.domain.i18n import _
from smr_register.errors import ExitCode
from smr_register.render.cells import Column
from smr_register.render.formats import OutputFormat
from smr_register.render.model import listing
from smr_register.render.registry import emit

app = typer.Typer(help="The rules file: its versions and their seals.", no_args_is_help=True)

COLUMNS = [Column("version", "Version"), Column("effective_from", "In force from"),
           Column("applies_to", "Judges periods"), Column("seal", "Seal"),
           Column("fingerprint", "Fingerprint")]


@app.command("check")
def check(ctx: typer.Context, output_format: ListingFormatOption = OutputFormat.TABLE) -> None:
    """Check every version of the rules file (--rules, default data/rules.toml) against the
    fingerprints sealed in the lock beside it (rules.lock).

    Exit 0: all sealed and unchanged; 1: a version is not sealed yet; 3: a sealed version was
    changed or removed (the rules file is refused until it is restored).
    """
    from smr_register.domain import sealing
    from smr_register.domain.ruleset import seal_states

    seals = seal_states(state(ctx).rules_file)
    versions = {v.id: v for v in seals.book.versions}
    rows = [{"version": s.version,
             "effective_from": versions[s.version].effective_from
             if s.version in versions else None,
             "applies_to": versions[s.version].applies_to if s.version in versions else None,
             "seal": s.state, "fingerprint": s.fingerprint or s.recorded}
            for s in seals.states]
    emit(listing(COLUMNS, rows, _("Versions of {rules} (lock {lock})").format(
        rules=seals.book.source, lock=seals.lock)), output_format)
    sealing.check_seals([s for s in seals.states if s.state != sealing.UNSEALED],
                        seals.book.source, str(seals.lock))
    unsealed = [s.version for s in seals.states if s.state == sealing.UNSEALED]
    if unsealed:
        say(_("Not sealed yet: {versions}. Seal a version with 'smr rules seal' once it is "
              "final.").format(versions=", ".join(unsealed)))
        raise typer.Exit(ExitCode.FINDINGS)
    say(_("Every version is sealed and unchanged ({lock}).").format(lock=seals.lock))


@app.command("seal")
def seal(ctx: typer.Context) -> None:
    """Record the fingerprint of every version not yet sealed in the lock beside the rules file
    (rules.lock), so it can never change unnoticed. Refused (exit 3) when a sealed version was
    changed or removed: a published version is never sealed again."""
    from smr_register.domain import sealing
    from smr_register.domain.ruleset import seal_states
    from smr_register.render.files import atomic_path

    seals = seal_states(state(ctx).rules_file)
    text, new = sealing.sealed(seals.states, seals.book.source, str(seals.lock))
    if not new:
        say(_("Nothing to seal: every version is sealed in {lock}.").format(lock=seals.lock))
        return
    with atomic_path(seals.lock) as temp:
        temp.write_text(text, encoding="utf-8")
    for item in new:
        say(_("Sealed version {version} ({fingerprint}) in {lock}.").format(
            version=item.version, fingerprint=item.fingerprint, lock=seals.lock))
