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

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from smr_register.domain import sealing
from smr_register.domain.i18n import _, ngettext
from smr_register.domain.values import format_date
from smr_register.domain.vocabulary import EDUCATION_ORDER, Profile
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
    "referrals_somatic",
    "referrals_psychiatric",
    "referrals_pregnancy",
    "referrals_medication",
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
    min_hour_years: int | None = None
    supervisor_in_good_standing: bool = False
    supervisor_requires_basisprofiel: bool = False
    profiles_on_top_of_basisprofiel: tuple[str, ...] = ()
    min_education: str | None = None
    # Policy the sources name but have not set yet: key -> what the source says about it.
    not_set: dict[str, str] = field(default_factory=dict)
    transition_ends: date | None = None
    # Contributions: None where a version leaves the policy unset (no exemption, due when
    # charged, arrears never block a renewal).
    fee_exempt_supervisees: bool | None = None
    fee_payment_days: int | None = None
    arrears_block_renewal: bool | None = None
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
            first = self.versions[0].effective_from
            raise RulesFileError(_("{source}: no rules in force on {on} (the first version "
                                   "takes effect on {first})").format(
                                   source=self.source, on=format_date(on),
                                   first=format_date(first)))
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
        raise RulesFileError(_("{source}: no version applies to the period {start} to {end}"
                               ).format(source=self.source, start=format_date(starts_on),
                                        end=format_date(valid_until)))


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


def _profiles(where: str, raw: Any) -> tuple[str, ...]:
    known = [p.value for p in Profile if p is not Profile.BASISPROFIEL]
    if not isinstance(raw, list) or any(item not in known for item in raw):
        raise RulesFileError(f"{where}: expected a list of profiles from {', '.join(known)}")
    return tuple(raw)


def _education(where: str, raw: Any) -> str:
    known = [level.value for level in EDUCATION_ORDER]
    if raw not in known:
        raise RulesFileError(f"{where}: expected an education level from {', '.join(known)}")
    return str(raw)


_OPTIONAL = {"basisprofiel_required_from": _date, "transition_ends": _date,
             "fee_exempt_supervisees": _bool, "fee_payment_days": _int,
             "arrears_block_renewal": _bool,
             "min_hour_years": _int, "supervisor_in_good_standing": _bool,
             "supervisor_requires_basisprofiel": _bool,
             "profiles_on_top_of_basisprofiel": _profiles, "min_education": _education}
# Policy named by the sources but not yet set: [version.policy_not_set] says so, key by key.
NOT_SET_KEYS = ("pregnancy_entry", "psychiatric_entry", "smr_extra_entry",
                "smr_extra_min_education", "epa_minimums")


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
        raise RulesFileError(ngettext("{where}.values: unknown key {keys}",
                                      "{where}.values: unknown keys {keys}", len(unknown))
                             .format(where=where, keys=", ".join(unknown)))
    missing = [key for key in _REQUIRED if key not in values]
    if missing:  # every one at once: a proposal written by hand lacks several, not one
        raise RulesFileError(_(
            "{where}.values: missing {keys} ({count} of {total} required values; each is "
            "written key = {{ value = ..., reference = \"...\" }})").format(
            where=where, keys=", ".join(missing), count=len(missing), total=len(_REQUIRED)))
    parsed: dict[str, Any] = {}
    references: dict[str, str] = {}
    for key, check in (_REQUIRED | _OPTIONAL).items():
        if key not in values:
            continue
        value, reference = _entry(f"{where}.values.{key}", values[key])
        parsed[key] = check(f"{where}.values.{key}", value)
        references[key] = reference
    applies_to = raw.get("applies_to", RUNNING)
    if applies_to not in APPLIES_TO:
        raise RulesFileError(_("{where}.applies_to: must be one of {choices}, got {value!r}"
                               ).format(where=where, choices=", ".join(APPLIES_TO),
                                        value=applies_to))
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
    not_set: dict[str, str] = {}
    for key, text in (raw.get("policy_not_set") or {}).items():
        if key not in NOT_SET_KEYS:
            raise RulesFileError(f"{where}.policy_not_set.{key}: unknown key "
                                 f"(known: {', '.join(NOT_SET_KEYS)})")
        if not isinstance(text, str) or not text.strip():
            raise RulesFileError(f"{where}.policy_not_set.{key}: say what the source says")
        if key in parsed:
            raise RulesFileError(f"{where}.policy_not_set.{key}: set in [version.values]")
        not_set[key] = text
    return RuleSet(
        id=version_id,
        not_set=not_set,
        effective_from=effective_from,
        practice_minimums=minimums,
        references=references,
        description=str(raw.get("description", "")),
        applies_to=applies_to,
        **parsed,
    )


def _raw_versions(text: str, source: str) -> list[Any]:
    """The file's [[version]] tables as TOML gives them (checked: schema, sources)."""
    raw = sealing.load_toml(text, source, SCHEMA_VERSION)
    sources = raw.get("sources", {})
    if not isinstance(sources, dict) or not all(
            isinstance(v, str) and v.strip() for v in sources.values()):
        raise RulesFileError(_("{source}: sources: expected a table of name = \"document\""
                               ).format(source=source))
    entries = raw.get("version")
    if not isinstance(entries, list) or not entries:
        raise RulesFileError(_("{source}: no [[version]] entries").format(source=source))
    return entries


def parse_rules(text: str, source: str, lock: tuple[str, str] | None = None) -> RulesBook:
    """Validate a rules file's text; every error names `source` and the key. With `lock`
    (the lock file's text and name) every version must be sealed there, unchanged."""
    entries = _raw_versions(text, source)
    versions = [_version(source, i, entry) for i, entry in enumerate(entries)]
    if versions[0].applies_to != RUNNING:
        raise RulesFileError(_("{source}: version {id!r}.applies_to: the first version judges "
                               "every period (running): nothing comes before it").format(
                               source=source, id=versions[0].id))
    for earlier, later in zip(versions, versions[1:], strict=False):
        if later.effective_from <= earlier.effective_from:
            raise RulesFileError(_("{source}: version {id!r}.effective_from must be later than "
                                   "that of {id2!r} (versions are listed oldest first)").format(
                                   source=source, id=later.id, id2=earlier.id))
    ids = [v.id for v in versions]
    if len(set(ids)) != len(ids):
        raise RulesFileError(_("{source}: version ids must be unique").format(source=source))
    if lock is not None:
        lock_content, lock_source = lock
        states = sealing.seal_states(entries, sealing.parse_lock(lock_content, lock_source))
        sealing.check_seals(states, source, lock_source)
    return RulesBook(source=source, versions=tuple(versions))


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        message = (_("{rules_path}: cannot read the rules file ({strerror})") if what == "rules"
                   else _("{rules_path}: cannot read the lock file ({strerror})"))
        raise RulesFileError(message.format(rules_path=path, strerror=exc.strerror)) from None
    except UnicodeDecodeError:
        raise RulesFileError(_("{rules_path}: not "
                               "UTF-8 text").format(rules_path=path)) from None


def _lock_of(rules_path: Path) -> tuple[str, str] | None:
    """The lock beside a rules file; the packaged rules file must have one."""
    path = sealing.lock_path(rules_path)
    if not path.exists():
        if rules_path.resolve() == default_rules_path().resolve():
            raise RulesFileError(_("{rules_path}: its lock file {lock} is missing (the "
                                   "fingerprints of the published versions)").format(
                                   rules_path=rules_path, lock=path))
        return None  # a draft, e.g. a proposal for --compare-rules
    return _read(path, "lock"), str(path)


def load_rules(path: Path | None = None) -> RulesBook:
    """Read and validate a rules file (the packaged one by default), checked against the lock
    beside it when there is one (sealing.py)."""
    rules_path = path or default_rules_path()
    text = _read(rules_path, "rules")
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
    text = _read(rules_path, "rules")
    book = parse_rules(text, str(rules_path))  # a file that does not load is not sealed
    target = sealing.lock_path(rules_path)
    recorded = (sealing.parse_lock(_read(target, "lock"), str(target))
                if target.exists() else {})
    return Seals(book, sealing.seal_states(_raw_versions(text, str(rules_path)), recorded),
                 target)
