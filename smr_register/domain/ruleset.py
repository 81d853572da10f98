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
    raise RulesFileError(f"cannot find the data directory next to {here}")


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
            first = self.versions[0].effective_from.isoformat()
            raise RulesFileError(f"{self.source}: no rules in force on {on.isoformat()} "
                                 f"(the first version takes effect on {first})")
        return current


def _int(where: str, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise RulesFileError(f"{where}: expected a whole number >= 0, got {raw!r}")
    return raw


def _decimal(where: str, raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise RulesFileError(f"{where}: expected a number written as a string or integer "
                             f"(no floats: they are not exact), got {raw!r}")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise RulesFileError(f"{where}: {raw!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise RulesFileError(f"{where}: expected a number >= 0, got {raw!r}")
    return value


def _share(where: str, raw: Any) -> Decimal:
    value = _decimal(where, raw)
    if value > 1:
        raise RulesFileError(f"{where}: expected a share from 0 to 1 (1 = in step with the "
                             f"period), got {raw!r}")
    return value


def _date(where: str, raw: Any) -> date:
    if not isinstance(raw, date) or hasattr(raw, "hour"):
        raise RulesFileError(f"{where}: expected an ISO date like 2025-09-01, got {raw!r}")
    return raw


def _day_list(where: str, raw: Any) -> tuple[int, ...]:
    if not isinstance(raw, list) or not raw:
        raise RulesFileError(f"{where}: expected a list of days before the end date, e.g. [90, 30]")
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
_OPTIONAL = {"basisprofiel_required_from": _date, "transition_ends": _date}


def _entry(where: str, raw: Any) -> tuple[Any, str]:
    """A value is `{ value = ..., reference = "..." }`: no number without its source."""
    if not isinstance(raw, dict) or set(raw) != {"value", "reference"}:
        raise RulesFileError(f"{where}: expected {{ value = ..., reference = \"...\" }}")
    reference = raw["reference"]
    if not isinstance(reference, str) or not reference.strip():
        raise RulesFileError(f"{where}.reference: every value needs its source")
    return raw["value"], reference


def _version(source: str, index: int, raw: Any) -> RuleSet:
    where = f"{source}: version[{index}]"
    if not isinstance(raw, dict):
        raise RulesFileError(f"{where}: expected a [[version]] table")
    version_id = raw.get("id")
    if not isinstance(version_id, str) or not version_id:
        raise RulesFileError(f"{where}.id: missing or not a string")
    where = f"{source}: version {version_id!r}"
    effective_from = _date(f"{where}.effective_from", raw.get("effective_from"))
    values = raw.get("values")
    if not isinstance(values, dict):
        raise RulesFileError(f"{where}.values: missing table [version.values]")
    unknown = sorted(set(values) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise RulesFileError(f"{where}.values.{unknown[0]}: unknown key")
    parsed: dict[str, Any] = {}
    references: dict[str, str] = {}
    for key, check in (_REQUIRED | _OPTIONAL).items():
        if key not in values:
            if key in _REQUIRED:
                raise RulesFileError(f"{where}.values.{key}: missing")
            continue
        value, reference = _entry(f"{where}.values.{key}", values[key])
        parsed[key] = check(f"{where}.values.{key}", value)
        references[key] = reference
    if parsed["period_years"] < 1:
        raise RulesFileError(f"{where}.values.period_years: must be at least 1")
    minimums: dict[str, Decimal] = {}
    for key, entry in (raw.get("practice_minimums") or {}).items():
        if key not in PRACTICE_COUNTS:
            raise RulesFileError(f"{where}.practice_minimums.{key}: unknown practice count "
                                 f"(known: {', '.join(PRACTICE_COUNTS)})")
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
        raise RulesFileError(f"{source}: not valid TOML: {exc}") from None
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise RulesFileError(f"{source}: schema_version must be {SCHEMA_VERSION}, "
                             f"got {raw.get('schema_version')!r}")
    entries = raw.get("version")
    if not isinstance(entries, list) or not entries:
        raise RulesFileError(f"{source}: no [[version]] entries")
    versions = [_version(source, i, entry) for i, entry in enumerate(entries)]
    for earlier, later in zip(versions, versions[1:], strict=False):
        if later.effective_from <= earlier.effective_from:
            raise RulesFileError(f"{source}: version {later.id!r}.effective_from must be later "
                                 f"than that of {earlier.id!r} (versions are listed oldest first)")
    ids = [v.id for v in versions]
    if len(set(ids)) != len(ids):
        raise RulesFileError(f"{source}: version ids must be unique")
    return RulesBook(source=source, versions=tuple(versions))


def load_rules(path: Path | None = None) -> RulesBook:
    """Read and validate a rules file (the packaged one by default)."""
    rules_path = path or default_rules_path()
    try:
        text = rules_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesFileError(f"{rules_path}: cannot read the rules file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise RulesFileError(f"{rules_path}: not UTF-8 text") from None
    return parse_rules(text, str(rules_path))
