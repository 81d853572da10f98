"""Loading the versioned rules file (`data/rules.toml`).

Policy numbers and dates live only there, each with its source. A rule change is a new version
with a later `effective_from`; the version in force on a date is the latest one dated on or before
it (a step function, as OpenFisca does it). `tomllib` rejects duplicate keys, which a YAML reader
would silently resolve.

Which version judges a registration period is policy too: a version's `applies_to` says whether
it judges every period running on the evaluation date (`running`), only periods that start on or
after its `effective_from` (`starting`), or only periods that end on or after it (`ending`);
`RulesBook.judging` picks the version and says why. Published versions are sealed (sealing.py).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from smr_register.domain import sealing
from smr_register.errors import RulesFileError

SCHEMA_VERSION = 1
# Which periods a version judges (see `RulesBook.judging`).
RUNNING, STARTING, ENDING = "running", "starting", "ending"
APPLIES_TO = (RUNNING, STARTING, ENDING)
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
    applies_to: str = RUNNING

    def judges(self, starts_on: date, valid_until: date) -> bool:
        """Whether this version (once in force) judges a period with these dates."""
        if self.applies_to == STARTING:
            return starts_on >= self.effective_from
        if self.applies_to == ENDING:
            return valid_until >= self.effective_from
        return True


@dataclass(frozen=True)
class Judged:
    """The version that judges one period on one date, and why: the newest version in force
    that applies to the period, and the newer ones in force that do not (`passed_over`)."""

    ruleset: RuleSet
    passed_over: tuple[RuleSet, ...] = ()


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

    def judging(self, starts_on: date, valid_until: date, on: date) -> Judged:
        """The version that judges the period `starts_on`..`valid_until` on `on`: the newest
        version in force on `on` whose `applies_to` takes in the period. The first version of a
        file applies to every period, so there always is one."""
        newest = self.in_force(on)
        passed: list[RuleSet] = []
        for version in reversed(self.versions[:self.versions.index(newest) + 1]):
            if version.judges(starts_on, valid_until):
                return Judged(version, tuple(passed))
            passed.append(version)
        raise RulesFileError(f"{self.source}: no version applies to the period "
                             f"{starts_on.isoformat()} to {valid_until.isoformat()}")


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
    applies_to = raw.get("applies_to", RUNNING)
    if applies_to not in APPLIES_TO:
        raise RulesFileError(f"{where}.applies_to: must be one of {', '.join(APPLIES_TO)}, "
                             f"got {applies_to!r}")
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
        applies_to=applies_to,
        **parsed,
    )


def _raw_versions(text: str, source: str) -> list[Any]:
    """The file's [[version]] tables as TOML gives them (checked: schema, sources)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesFileError(f"{source}: not valid TOML: {exc}") from None
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise RulesFileError(f"{source}: schema_version must be {SCHEMA_VERSION}, "
                             f"got {raw.get('schema_version')!r}")
    sources = raw.get("sources", {})
    if not isinstance(sources, dict) or not all(
            isinstance(v, str) and v.strip() for v in sources.values()):
        raise RulesFileError(f"{source}: sources: expected a table of name = \"document\"")
    entries = raw.get("version")
    if not isinstance(entries, list) or not entries:
        raise RulesFileError(f"{source}: no [[version]] entries")
    return entries


def parse_rules(text: str, source: str, lock: tuple[str, str] | None = None) -> RulesBook:
    """Validate a rules file's text; every error names `source` and the key. With `lock`
    (the lock file's text and name) every version must be sealed there, unchanged."""
    entries = _raw_versions(text, source)
    versions = [_version(source, i, entry) for i, entry in enumerate(entries)]
    if versions[0].applies_to != RUNNING:
        raise RulesFileError(f"{source}: version {versions[0].id!r}.applies_to: the first "
                             f"version judges every period (running): nothing comes before it")
    for earlier, later in zip(versions, versions[1:], strict=False):
        if later.effective_from <= earlier.effective_from:
            raise RulesFileError(f"{source}: version {later.id!r}.effective_from must be later "
                                 f"than that of {earlier.id!r} (versions are listed oldest first)")
    ids = [v.id for v in versions]
    if len(set(ids)) != len(ids):
        raise RulesFileError(f"{source}: version ids must be unique")
    if lock is not None:
        lock_content, lock_source = lock
        states = sealing.seal_states(entries, sealing.parse_lock(lock_content, lock_source))
        sealing.check_seals(states, source, lock_source)
    return RulesBook(source=source, versions=tuple(versions))


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesFileError(f"{path}: cannot read the {what} ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise RulesFileError(f"{path}: not UTF-8 text") from None


def _lock_of(rules_path: Path) -> tuple[str, str] | None:
    """The lock beside a rules file; the packaged rules file must have one."""
    path = sealing.lock_path(rules_path)
    if not path.exists():
        if rules_path.resolve() == default_rules_path().resolve():
            raise RulesFileError(f"{rules_path}: its lock file {path} is missing (the "
                                 f"fingerprints of the published versions)")
        return None  # a draft, e.g. a proposal for --compare-rules
    return _read(path, "lock file"), str(path)


def load_rules(path: Path | None = None) -> RulesBook:
    """Read and validate a rules file (the packaged one by default), checked against the lock
    beside it when there is one (sealing.py)."""
    rules_path = path or default_rules_path()
    text = _read(rules_path, "rules file")
    return parse_rules(text, str(rules_path), _lock_of(rules_path))


@dataclass(frozen=True)
class Seals:
    """A rules file (parsed, not yet checked against its lock) and each version's seal."""

    book: RulesBook
    states: list[sealing.VersionSeal]
    lock: Path


def seal_states(path: Path | None = None) -> Seals:
    """Every version of a rules file against its lock (an empty lock when there is none yet)."""
    rules_path = path or default_rules_path()
    text = _read(rules_path, "rules file")
    book = parse_rules(text, str(rules_path))  # a file that does not load is not sealed
    target = sealing.lock_path(rules_path)
    recorded = (sealing.parse_lock(_read(target, "lock file"), str(target))
                if target.exists() else {})
    return Seals(book, sealing.seal_states(_raw_versions(text, str(rules_path)), recorded),
                 target)
