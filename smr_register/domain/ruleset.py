"""Loading the versioned rules file (`data/rules.toml`).

Policy numbers and dates live only there, each with its source. A rule change is a new version
with a later `effective_from`; the version in force on a date is the latest one dated on or before
it (a step function, as OpenFisca does it). `tomllib` rejects duplicate keys, which a YAML reader
would silently resolve.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from smr_register.domain.i18n import _
from smr_register.domain.values import format_date
from smr_register.errors import RulesFileError

SCHEMA_VERSION = 1
PRACTICE_COUNTS = (
    "hours",
    "clients",
    "clients_low_literacy",
    "intakes",
    "integral_trajectories",
    "pharmacotherapy_trajectories",
    "referrals",
)


def data_dir() -> Path:
    """`data/` of a source checkout, or the copy packed into the wheel."""
    here = Path(__file__).resolve().parent.parent  # the smr_register package
    for candidate in (here.parent / "data", here / "data"):
        if (candidate / "rules.toml").is_file():
            return candidate
    raise RulesFileError(_("cannot find the data directory next to {here}").format(here=here))


def default_rules_path() -> Path:
    """The packaged rules file, data/rules.toml."""
    return data_dir() / "rules.toml"


@dataclass(frozen=True)
class RuleSet:
    """The policy values of one version of the rules, as typed Python values."""

    id: str
    effective_from: date
    period_years: int
    min_points: Decimal
    min_distinct_years: int
    min_hours: Decimal
    max_supervisees: int
    supervisor_min_years: int
    annual_fee: Decimal
    notice_days: tuple[int, ...]
    retention_years: int
    pace_share: Decimal  # of each minimum, per whole year passed, before the renewal window
    basisprofiel_required_from: date | None = None
    transition_ends: date | None = None
    # Contributions: None where a version leaves the policy unset (no exemption, due when
    # charged, arrears never block a renewal).
    fee_exempt_supervisees: bool | None = None
    fee_payment_days: int | None = None
    arrears_block_renewal: bool | None = None
    practice_minimums: dict[str, Decimal] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class RulesBook:
    """All versions of one rules file, oldest first."""

    source: str
    versions: tuple[RuleSet, ...]

    def in_force(self, on: date) -> RuleSet:
        """The version in force on `on`; raises when the file has none that early."""
        current: RuleSet | None = None
        for version in self.versions:
            if version.effective_from <= on:
                current = version
            else:
                break
        if current is None:
            first = self.versions[0].effective_from
            raise RulesFileError(_("{source}: no rules in force on {on} (the first version "
                                   "takes effect on {first})").format(
                                   source=self.source, on=format_date(on),
                                   first=format_date(first)))
        return current


def _int(where: str, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise RulesFileError(_("{where}: expected a whole number >= 0, got {raw!r}").format(
                               where=where, raw=raw))
    return raw


def _decimal(where: str, raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise RulesFileError(_("{where}: expected a number written as a string or integer (no "
                               "floats: they are not exact), got {raw!r}").format(
                               where=where, raw=raw))
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise RulesFileError(_("{where}: {raw!r} is not a number").format(where=where,
        raw=raw)) from None
    if not value.is_finite() or value < 0:
        raise RulesFileError(_("{where}: expected a number >= 0, got {raw!r}").format(
                               where=where, raw=raw))
    return value


def _share(where: str, raw: Any) -> Decimal:
    value = _decimal(where, raw)
    if value > 1:
        raise RulesFileError(_("{where}: expected a share from 0 to 1 (1 = in step with the "
                               "period), got {raw!r}").format(where=where, raw=raw))
    return value


def _date(where: str, raw: Any) -> date:
    if not isinstance(raw, date) or hasattr(raw, "hour"):
        raise RulesFileError(_("{where}: expected an ISO date like 2025-09-01, got {raw!r}").format(
                               where=where, raw=raw))
    return raw


def _bool(where: str, raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise RulesFileError(_("{where}: expected true or false, got {raw!r}").format(
                               where=where, raw=raw))
    return raw


def _day_list(where: str, raw: Any) -> tuple[int, ...]:
    if not isinstance(raw, list) or not raw:
        raise RulesFileError(_("{where}: expected a list of days before the end date, e.g. [90, "
                               "30]").format(where=where))
    days = tuple(_int(f"{where}[{i}]", item) for i, item in enumerate(raw))
    return tuple(sorted(days, reverse=True))


_REQUIRED = {
    "period_years": _int,
    "min_points": _decimal,
    "min_distinct_years": _int,
    "min_hours": _decimal,
    "max_supervisees": _int,
    "supervisor_min_years": _int,
    "annual_fee": _decimal,
    "notice_days": _day_list,
    "retention_years": _int,
    "pace_share": _share,
}
_OPTIONAL = {"basisprofiel_required_from": _date, "transition_ends": _date,
             "fee_exempt_supervisees": _bool, "fee_payment_days": _int,
             "arrears_block_renewal": _bool}


def _entry(where: str, raw: Any) -> tuple[Any, str]:
    """A value is `{ value = ..., reference = "..." }`: no number without its source."""
    if not isinstance(raw, dict) or set(raw) != {"value", "reference"}:
        raise RulesFileError(_("{where}: expected {{ value = ..., "
                               "reference = \"...\" }}").format(where=where))
    reference = raw["reference"]
    if not isinstance(reference, str) or not reference.strip():
        raise RulesFileError(_("{where}.reference: every value needs its source").format(
                               where=where))
    return raw["value"], reference


def _version(source: str, index: int, raw: Any) -> RuleSet:
    where = f"{source}: version[{index}]"
    if not isinstance(raw, dict):
        raise RulesFileError(_("{where}: expected a [[version]] table").format(where=where))
    version_id = raw.get("id")
    if not isinstance(version_id, str) or not version_id:
        raise RulesFileError(_("{where}.id: missing or not a string").format(where=where))
    where = f"{source}: version {version_id!r}"
    effective_from = _date(f"{where}.effective_from", raw.get("effective_from"))
    values = raw.get("values")
    if not isinstance(values, dict):
        raise RulesFileError(_("{where}.values: missing table [version.values]").format(
                               where=where))
    unknown = sorted(set(values) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise RulesFileError(_("{where}.values.{unknown}: unknown key").format(
                               where=where, unknown=unknown[0]))
    parsed: dict[str, Any] = {}
    references: dict[str, str] = {}
    for key, check in (_REQUIRED | _OPTIONAL).items():
        if key not in values:
            if key in _REQUIRED:
                raise RulesFileError(_("{where}.values.{key}: missing").format(
                                       where=where, key=key))
            continue
        value, reference = _entry(f"{where}.values.{key}", values[key])
        parsed[key] = check(f"{where}.values.{key}", value)
        references[key] = reference
    if parsed["period_years"] < 1:
        raise RulesFileError(_("{where}.values.period_years: must be at least 1").format(
                               where=where))
    minimums: dict[str, Decimal] = {}
    for key, entry in (raw.get("practice_minimums") or {}).items():
        if key not in PRACTICE_COUNTS:
            raise RulesFileError(_("{where}.practice_minimums.{key}: unknown practice count "
                                   "(known: {known})").format(
                                   where=where, key=key, known=", ".join(PRACTICE_COUNTS)))
        value, reference = _entry(f"{where}.practice_minimums.{key}", entry)
        minimums[key] = _decimal(f"{where}.practice_minimums.{key}", value)
        references[f"practice_minimums.{key}"] = reference
    return RuleSet(
        id=version_id,
        effective_from=effective_from,
        practice_minimums=minimums,
        references=references,
        description=str(raw.get("description", "")),
        **parsed,
    )


def parse_rules(text: str, source: str) -> RulesBook:
    """Validate a rules file's text; every error names `source` and the key."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesFileError(_("{source}: not valid TOML: {exc}").format(source=source,
        exc=exc)) from None
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise RulesFileError(_("{source}: schema_version must be "
                               "{SCHEMA_VERSION}, got {raw!r}").format(
                               source=source, SCHEMA_VERSION=SCHEMA_VERSION,
                               raw=raw.get('schema_version')))
    entries = raw.get("version")
    if not isinstance(entries, list) or not entries:
        raise RulesFileError(_("{source}: no [[version]] entries").format(source=source))
    versions = [_version(source, i, entry) for i, entry in enumerate(entries)]
    for earlier, later in zip(versions, versions[1:], strict=False):
        if later.effective_from <= earlier.effective_from:
            raise RulesFileError(_("{source}: version {id!r}.effective_from must be later than "
                                   "that of {id2!r} (versions are listed oldest first)").format(
                                   source=source, id=later.id, id2=earlier.id))
    ids = [v.id for v in versions]
    if len(set(ids)) != len(ids):
        raise RulesFileError(_("{source}: version ids must be unique").format(source=source))
    return RulesBook(source=source, versions=tuple(versions))


def load_rules(path: Path | None = None) -> RulesBook:
    """Read and validate a rules file (the packaged one by default)."""
    rules_path = path or default_rules_path()
    try:
        text = rules_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesFileError(_("{rules_path}: cannot read the rules file ({strerror})").format(
                               rules_path=rules_path, strerror=exc.strerror)) from None
    except UnicodeDecodeError:
        raise RulesFileError(_("{rules_path}: not "
                               "UTF-8 text").format(rules_path=rules_path)) from None
    return parse_rules(text, str(rules_path))
