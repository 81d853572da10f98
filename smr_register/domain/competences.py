"""The basisprofiel's competence catalogue (data/competences.toml) and the rule that says when a
coach has attained the basisprofiel.

The catalogue is data, versioned like the rules: the 7 CanMEDS roles with their requirements in
the source's Dutch words. A supervisor assesses a coach per role; the basisprofiel is attained
when the integral basic training is recorded and every role of the catalogue is assessed
positively, on the last of those dates (Basisvereisten SMR-begeleiders v2.2). Pure: no database,
no clock, the date is a parameter.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from smr_register.domain.i18n import _
from smr_register.domain.ruleset import data_dir
from smr_register.domain.vocabulary import Result
from smr_register.errors import RulesFileError

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Requirement:
    """One requirement (vereiste) of a role, e.g. 2.3, with its Dutch text."""

    id: str
    text: str


@dataclass(frozen=True)
class Role:
    """A CanMEDS role of the basisprofiel with its requirements."""

    number: int
    name: str
    name_en: str
    description: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class Catalogue:
    """One version of the competence profile."""

    id: str
    effective_from: date
    source: str
    roles: tuple[Role, ...]

    def role(self, number: int) -> Role | None:
        """The role numbered `number`, or None when the profile has no such role."""
        return next((r for r in self.roles if r.number == number), None)


@dataclass(frozen=True)
class CatalogueBook:
    """Every version of the competence profile, oldest first."""

    source: str
    versions: tuple[Catalogue, ...]

    def in_force(self, on: date) -> Catalogue:
        """The version in force on `on`; before the first, the first (the profile it became)."""
        current = self.versions[0]
        for version in self.versions:
            if version.effective_from <= on:
                current = version
        return current


def default_catalogue_path() -> Path:
    """The packaged catalogue, data/competences.toml."""
    return data_dir() / "competences.toml"


def _text(where: str, raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise RulesFileError(_("{where}: expected text").format(where=where))
    return raw


def _role(where: str, raw: Any) -> Role:
    if not isinstance(raw, dict):
        raise RulesFileError(_("{where}: expected a [[version.role]] table").format(where=where))
    number = raw.get("number")
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise RulesFileError(_("{where}.number: expected a whole number from 1").format(
            where=where))
    items = raw.get("requirement")
    if not isinstance(items, list) or not items:
        raise RulesFileError(_("{where}: no [[version.role.requirement]] entries").format(
            where=where))
    requirements = []
    for index, item in enumerate(items):
        spot = f"{where}.requirement[{index}]"
        if not isinstance(item, dict):
            raise RulesFileError(_("{spot}: expected a table").format(spot=spot))
        ident = _text(f"{spot}.id", item.get("id"))
        if ident.split(".")[0] != str(number):
            raise RulesFileError(_("{spot}.id: {ident!r} is not a requirement of role "
                                   "{number}").format(spot=spot, ident=ident, number=number))
        requirements.append(Requirement(ident, _text(f"{spot}.text", item.get("text"))))
    return Role(number=number, name=_text(f"{where}.name", raw.get("name")),
                name_en=_text(f"{where}.name_en", raw.get("name_en")),
                description=str(raw.get("description", "")), requirements=tuple(requirements))


def parse_catalogue(text: str, source: str) -> CatalogueBook:
    """Validate the catalogue's text; every error names `source` and the key."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesFileError(_("{source}: not valid TOML: {exc}").format(
            source=source, exc=exc)) from None
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise RulesFileError(_("{source}: schema_version must be {version}").format(
            source=source, version=SCHEMA_VERSION))
    entries = raw.get("version")
    if not isinstance(entries, list) or not entries:
        raise RulesFileError(_("{source}: no [[version]] entries").format(source=source))
    versions = []
    for index, entry in enumerate(entries):
        where = f"{source}: version[{index}]"
        if not isinstance(entry, dict):
            raise RulesFileError(_("{where}: expected a table").format(where=where))
        effective = entry.get("effective_from")
        if not isinstance(effective, date) or hasattr(effective, "hour"):
            raise RulesFileError(_("{where}.effective_from: expected an ISO date").format(
                where=where))
        roles = tuple(_role(f"{where}.role[{i}]", r) for i, r in enumerate(entry.get("role")
                                                                          or ()))
        if not roles:
            raise RulesFileError(_("{where}: no [[version.role]] entries").format(where=where))
        numbers = [r.number for r in roles]
        if len(set(numbers)) != len(numbers):
            raise RulesFileError(_("{where}: role numbers must be unique").format(where=where))
        versions.append(Catalogue(id=_text(f"{where}.id", entry.get("id")),
                                  effective_from=effective,
                                  source=_text(f"{where}.source", entry.get("source")),
                                  roles=roles))
    for earlier, later in zip(versions, versions[1:], strict=False):
        if later.effective_from <= earlier.effective_from:
            raise RulesFileError(_("{source}: version {later!r} must take effect after "
                                   "{earlier!r} (versions are listed oldest first)").format(
                                       source=source, later=later.id, earlier=earlier.id))
    return CatalogueBook(source=source, versions=tuple(versions))


def load_catalogue(path: Path | None = None) -> CatalogueBook:
    """Read and validate the competence catalogue (the packaged one by default)."""
    catalogue_path = path or default_catalogue_path()
    try:
        text = catalogue_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesFileError(_("{path}: cannot read the competence catalogue ({reason})").format(
            path=catalogue_path, reason=exc.strerror)) from None
    return parse_catalogue(text, str(catalogue_path))


# --------------------------------------------------------------------------------------------
# Progress towards the basisprofiel


@dataclass(frozen=True)
class RoleAssessment:
    """A supervisor's verdict on one role of a coach, on a date."""

    role: int
    assessed_on: date
    result: Result
    supervisor: str = ""


@dataclass(frozen=True)
class Progress:
    """Where a coach stands towards the basisprofiel on a date."""

    training_on: date | None  # the integral basic training, when recorded
    assessed: Mapping[int, date]  # role -> date of its positive assessment in force
    unassessed: tuple[int, ...]  # roles without a positive assessment (in catalogue order)
    attained_on: date | None  # the last of training and assessments, when all are there


def progress(roles: Sequence[int], assessments: Iterable[RoleAssessment],
             trainings: Iterable[date], on: date) -> Progress:
    """The basisprofiel's progress on `on` towards the catalogue's `roles`: the latest verdict
    per role counts (a role assessed `niet-voldaan` after `voldaan` is open again); the
    earliest training recorded counts. Attained on the last of training and assessments."""
    latest: dict[int, RoleAssessment] = {}
    for item in sorted(assessments, key=lambda a: a.assessed_on):
        if item.assessed_on <= on:
            latest[item.role] = item
    assessed = {role: a.assessed_on for role, a in latest.items() if a.result is Result.MET}
    unassessed = tuple(r for r in roles if r not in assessed)
    training_on = min((d for d in trainings if d <= on), default=None)
    attained = None
    if training_on is not None and not unassessed and roles:
        attained = max([training_on, *(assessed[r] for r in roles)])
    return Progress(training_on=training_on,
                    assessed={r: assessed[r] for r in roles if r in assessed},
                    unassessed=unassessed, attained_on=attained)
