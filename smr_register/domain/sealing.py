"""Sealed versions of the rules file: a published version never changes.

An audit of a past date can only be trusted if the rules that judged it are still the rules that
were in force then. So each published `[[version]]` has a fingerprint (sha256 of its content)
recorded in a lock file beside the rules file (`data/rules.lock` for `data/rules.toml`). Loading
refuses a rules file whose sealed version was edited in place, a sealed version that was removed,
and a version nobody sealed yet (`smr rules seal` records it). The fingerprint is taken of the
parsed table, so comments and layout may change; every value, reference, date and description
is covered.

A rules file without a lock beside it is a draft (a proposal for `audit --compare-rules`): it is
loaded without these checks. The packaged rules file must have its lock.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from smr_register.domain.i18n import _
from smr_register.errors import RulesFileError

LOCK_SCHEMA_VERSION = 1
SEALED, UNSEALED, CHANGED, MISSING = "sealed", "unsealed", "changed", "missing"


def lock_path(rules_path: Path) -> Path:
    """The lock file beside a rules file: rules.toml -> rules.lock."""
    return rules_path.with_suffix(".lock")


def _plain(value: Any) -> Any:
    if isinstance(value, date):  # also datetime: TOML's dates and date-times
        return value.isoformat()
    raise TypeError(f"cannot fingerprint {value!r}")


def version_digest(raw_version: dict[str, Any]) -> str:
    """The fingerprint a lock records: sha256 of a version table as canonical JSON (sorted
    keys, ISO dates). Pure: the table is already parsed, nothing is read."""
    text = json.dumps(raw_version, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=_plain)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class VersionSeal:
    """One version as the rules file and the lock see it."""

    version: str
    fingerprint: str | None  # None: sealed but no longer in the rules file
    recorded: str | None  # None: not sealed yet
    state: str  # sealed | unsealed | changed | missing


def load_toml(text: str, source: str, schema_version: int) -> dict[str, Any]:
    """A TOML document of ours (the rules file, its lock) of the schema this code reads; errors
    name the file, since a person edits both by hand."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesFileError(_("{source}: not valid TOML: {exc}").format(source=source,
                                                                          exc=exc)) from None
    if raw.get("schema_version") != schema_version:
        raise RulesFileError(_("{source}: schema_version must be {SCHEMA_VERSION}, got {raw!r}"
                               ).format(source=source, SCHEMA_VERSION=schema_version,
                                        raw=raw.get("schema_version")))
    return raw


def parse_lock(text: str, source: str) -> dict[str, str]:
    """The fingerprints a lock file records, by version id; errors name the lock file."""
    raw = load_toml(text, source, LOCK_SCHEMA_VERSION)
    table = raw.get("fingerprints")
    if not isinstance(table, dict) or not all(
            isinstance(v, str) and v.startswith("sha256:") for v in table.values()):
        raise RulesFileError(_("{source}: expected a [fingerprints] table of "
                               "\"version\" = \"sha256:...\"").format(source=source))
    return dict(table)


def seal_states(raw_versions: list[dict[str, Any]],
                recorded: dict[str, str]) -> list[VersionSeal]:
    """Each version of the rules file against the lock, then the sealed ones no longer there."""
    states = []
    seen = set()
    for raw in raw_versions:
        version = str(raw.get("id"))
        seen.add(version)
        actual = version_digest(raw)
        kept = recorded.get(version)
        state = UNSEALED if kept is None else SEALED if kept == actual else CHANGED
        states.append(VersionSeal(version, actual, kept, state))
    states += [VersionSeal(v, None, fp, MISSING) for v, fp in recorded.items() if v not in seen]
    return states


def check_seals(states: list[VersionSeal], rules_source: str, lock_source: str) -> None:
    """Raise RulesFileError (exit 3) naming the first version that breaks its seal."""
    for seal in states:
        if seal.state == CHANGED:
            raise RulesFileError(_(
                "{rules}: version {version!r} was changed after it was sealed (its fingerprint "
                "is {actual}, {lock} records {recorded}). A published version never changes: "
                "put the change in a new [[version]] with a later effective_from").format(
                    rules=rules_source, version=seal.version, actual=seal.fingerprint,
                    lock=lock_source, recorded=seal.recorded))
        if seal.state == MISSING:
            raise RulesFileError(_(
                "{rules}: version {version!r} is sealed in {lock} but no longer in the rules "
                "file; a published version is never removed").format(
                    rules=rules_source, version=seal.version, lock=lock_source))
        if seal.state == UNSEALED:
            raise RulesFileError(_(
                "{rules}: version {version!r} is not sealed in {lock}: record its fingerprint "
                "with 'smr rules seal' once it is final").format(
                    rules=rules_source, version=seal.version, lock=lock_source))


def lock_text(fingerprints: dict[str, str]) -> str:
    """The lock file's text: a header saying what it is, then one line per version."""
    lines = [
        "# Fingerprints of the published versions of rules.toml (sha256 of each [[version]]",
        "# table). Written by `smr rules seal`; loading refuses a version that no longer matches.",
        "# Never edit a line: a rule change is a new [[version]] in rules.toml, sealed in turn.",
        f"schema_version = {LOCK_SCHEMA_VERSION}",
        "",
        "[fingerprints]",
    ]
    lines += [f"{json.dumps(version)} = {json.dumps(fp)}" for version, fp in fingerprints.items()]
    return "\n".join(lines) + "\n"


def sealed(states: list[VersionSeal], rules_source: str,
           lock_source: str) -> tuple[str, list[VersionSeal]]:
    """The lock text with every version sealed, and the versions newly sealed.

    Refuses (RulesFileError) when a sealed version was changed or removed: sealing again would
    hide exactly what the lock is for.
    """
    check_seals([s for s in states if s.state != UNSEALED], rules_source, lock_source)
    fingerprints = {s.version: s.fingerprint for s in states if s.fingerprint is not None}
    return lock_text(fingerprints), [s for s in states if s.state == UNSEALED]
