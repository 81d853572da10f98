"""The register's tables, one module per feature, each table defined when first named.

Points and hours are whole hundredths (`*_centi`) so that `1,5 + 1,5` is exactly 3 on SQLite and
PostgreSQL alike. Moments (`imported_at`, `at`, ...) are `UTCDateTime`: UTC on every database,
read back as aware UTC datetimes. Whether a registration is expired or due is never stored: it is
computed from the registration periods on the date asked (rules.py). Every schema change needs an
Alembic migration in `smr_register/store/migrations/versions` (db.SCHEMA_REVISION names the
newest).

`from smr_register.store.models import Coach` defines the tables of Coach's module only: each
SQLModel table costs about 4 ms to define, and `smr coach list` needs four of the twenty. What
needs the whole schema on `SQLModel.metadata` (migrations, `db check`, `db copy`) calls
`load_all()` first.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table
from sqlmodel import SQLModel

from smr_register.domain.vocabulary import CoachState, CreditSource, Education, Profile

if TYPE_CHECKING:
    from smr_register.store.models.agenda import Course, CourseRun, Provider
    from smr_register.store.models.coaches import (
        KEY_SOURCES,
        Coach,
        CoachStateSpell,
        RegistrationPeriod,
        coach_keys,
    )
    from smr_register.store.models.columns import BinaryText, UTCDateTime
    from smr_register.store.models.competences import BasicTraining, RoleAssessment
    from smr_register.store.models.credits import PointCredit
    from smr_register.store.models.decisions import DecisionRecord
    from smr_register.store.models.fees import FeeCharge, FeePayment
    from smr_register.store.models.history import History
    from smr_register.store.models.imports import ImportBatch, ImportRow
    from smr_register.store.models.practice import CoachIntervention, Intervention, PracticeYear
    from smr_register.store.models.profiles import ProfileHeld
    from smr_register.store.models.rule_exceptions import RuleException

# The module of each name this package hands out.
_MODULES = {
    "agenda": ("Course", "CourseRun", "Provider"),
    "coaches": ("KEY_SOURCES", "Coach", "CoachStateSpell", "RegistrationPeriod", "coach_keys"),
    "columns": ("BinaryText", "UTCDateTime"),
    "competences": ("BasicTraining", "RoleAssessment"),
    "credits": ("PointCredit",),
    "decisions": ("DecisionRecord",),
    "fees": ("FeeCharge", "FeePayment"),
    "history": ("History",),
    "imports": ("ImportBatch", "ImportRow"),
    "practice": ("CoachIntervention", "Intervention", "PracticeYear"),
    "profiles": ("ProfileHeld",),
    "rule_exceptions": ("RuleException",),
}
_MODULE_OF = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [  # the vocabulary's words re-exported, then every name of _MODULES
    "CoachState", "CreditSource", "Education", "Profile", "load_all", "tables",
    "Course", "CourseRun", "Provider", "KEY_SOURCES", "Coach", "CoachStateSpell",
    "RegistrationPeriod", "coach_keys", "BinaryText", "UTCDateTime", "BasicTraining",
    "ProfileHeld", "RoleAssessment", "PointCredit", "DecisionRecord", "FeeCharge", "FeePayment",
    "History", "ImportBatch", "ImportRow", "CoachIntervention", "Intervention", "PracticeYear",
    "RuleException",
]


def __getattr__(name: str) -> Any:
    """A table (or column type) by name, its module imported on first use (PEP 562)."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def load_all() -> None:
    """Define every table on `SQLModel.metadata`: the whole schema, for what compares, checks
    or copies all of it."""
    for module in _MODULES:
        import_module(f"{__name__}.{module}")


def tables() -> list[Table]:
    """Every table of the register, in foreign-key order (a table after those it refers to)."""
    load_all()
    return list(SQLModel.metadata.sorted_tables)
