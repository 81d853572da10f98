"""The register's tables.

Points and hours are whole hundredths (`*_centi`) so that `1,5 + 1,5` is exactly 3 on SQLite and
PostgreSQL alike. Moments (`imported_at`, `at`, ...) are `UTCDateTime`: UTC on every database,
read back as aware UTC datetimes. Whether a registration is expired or due is never stored: it is
computed from the registration periods on the date asked (rules.py). Every schema change needs an
Alembic migration in `smr_register/store/migrations/versions` (db.SCHEMA_REVISION names the
newest).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Dialect,
    Index,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    false,
)
from sqlmodel import Field, SQLModel

from smr_register.domain.values import search_text, sort_name
from smr_register.domain.vocabulary import CoachState, CreditSource, Education, Profile

__all__ = ["CoachState", "CreditSource", "Education", "Profile"]  # re-exported: models' words


class UTCDateTime(TypeDecorator[datetime]):
    """A moment, the same on every database: `timestamptz` on PostgreSQL (whatever the session's
    time zone), UTC text on SQLite (which has no zones); read back as an aware UTC datetime.
    A naive value is taken to be UTC already."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Text that orders byte by byte on every database: PostgreSQL's own collation (nl_NL, en_US)
# would ignore spaces and order differently from SQLite; "C" is binary, like SQLite's default.
BinaryText = String(400).with_variant(String(400, collation="C"), "postgresql")


# The columns the keys are made of.
KEY_SOURCES = ("last_name", "prefix", "initials", "first_name", "city", "practice", "reg_no")


def coach_keys(values: Mapping[str, Any]) -> dict[str, str]:
    """The stored Dutch sort key and search text of a coach with these column values: defined
    in Python (domain.values), so order and search are the same on SQLite and PostgreSQL."""
    last_name, prefix = values.get("last_name") or "", values.get("prefix")
    return {
        "sort_key": sort_name(last_name, prefix, values.get("initials")),
        "search_text": search_text(last_name, f"{prefix} {last_name}" if prefix else None,
                                   values.get("first_name"), values.get("city"),
                                   values.get("practice"), values.get("reg_no"))[:4000],
    }


def _key_default(name: str) -> Any:
    """A column default computing a key from the row's other values (Core inserts too)."""
    return lambda context: coach_keys(context.get_current_parameters())[name]


class Coach(SQLModel, table=True):
    __tablename__ = "coach"
    __table_args__ = (Index("ix_coach_last_name", "last_name"),
                      Index("ix_coach_sort_key", "sort_key"))

    id: int | None = Field(default=None, primary_key=True)
    reg_no: str = Field(max_length=12, unique=True, index=True)
    initials: str | None = Field(default=None, max_length=20)
    first_name: str | None = Field(default=None, max_length=80)
    prefix: str | None = Field(default=None, max_length=20)
    last_name: str = Field(max_length=120)
    birth_date: date | None = None
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    big: str | None = Field(default=None, max_length=11, index=True)
    agb: str | None = Field(default=None, max_length=8)
    education: str | None = Field(default=None, max_length=10)
    practice: str | None = Field(default=None, max_length=200)
    postcode: str | None = Field(default=None, max_length=7)
    city: str | None = Field(default=None, max_length=100)
    supervisor_id: int | None = Field(default=None, foreign_key="coach.id", index=True)
    # Derived from the names (coach_keys), kept by the store, left out of model_dump (history,
    # listings): `coach list` orders and searches on them in the database.
    sort_key: str = Field(default="", exclude=True, sa_column=Column(
        BinaryText, nullable=False, server_default="", default=_key_default("sort_key")))
    search_text: str = Field(default="", exclude=True, sa_column=Column(
        Text, nullable=False, server_default="", default=_key_default("search_text")))


@event.listens_for(Coach, "before_insert")
@event.listens_for(Coach, "before_update")
def _keys_follow_names(_mapper: Any, _connection: Any, coach: Coach) -> None:
    """Every ORM write of a coach stores keys that match the names it writes."""
    names = {field: getattr(coach, field) for field in KEY_SOURCES}
    for name, value in coach_keys(names).items():
        if getattr(coach, name, None) != value:
            setattr(coach, name, value)


class CoachStateSpell(SQLModel, table=True):
    """A suspension or withdrawal of a coach, dated: in force from `starts_on` through `ends_on`
    (inclusive; None: open). Spells of one coach never overlap; a coach in none is active.
    Schema 0006 (before it, the coach row held only the latest state)."""

    __tablename__ = "coach_state"

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", index=True)
    state: str = Field(max_length=10)  # suspended | withdrawn
    starts_on: date
    ends_on: date | None = None
    reason: str = Field(sa_column=Column(Text, nullable=False))


class RegistrationPeriod(SQLModel, table=True):
    """One registration period; the newest (latest `starts_on`) is the current one."""

    __tablename__ = "registration_period"
    __table_args__ = (UniqueConstraint("coach_id", "starts_on"),)

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id")  # indexed by the unique constraint
    starts_on: date
    valid_until: date
    renewed_on: date | None = None


class ProfileHeld(SQLModel, table=True):
    __tablename__ = "profile_held"
    __table_args__ = (UniqueConstraint("coach_id", "profile"),)

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id")  # indexed by the unique constraint
    profile: str = Field(max_length=20)
    attained_on: date
    evidence: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    assessed_by_id: int | None = Field(default=None, foreign_key="coach.id")
    ended_on: date | None = None  # the first day no longer held (a revocation): schema 0007


class RoleAssessment(SQLModel, table=True):
    """A supervisor's verdict on one CanMEDS role of a coach's basisprofiel (schema 0006)."""

    __tablename__ = "role_assessment"

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", index=True)
    role: int
    catalogue: str = Field(max_length=20)  # the version of data/competences.toml assessed on
    supervisor_id: int = Field(foreign_key="coach.id")
    assessed_on: date
    result: str = Field(max_length=12)  # voldaan | niet-voldaan
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class BasicTraining(SQLModel, table=True):
    """The integral basic training of a coach: a basic-training course of the agenda, or other
    evidence the quality committee accepted (schema 0006)."""

    __tablename__ = "basic_training"

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", index=True)
    completed_on: date
    course_id: int | None = Field(default=None, foreign_key="course.id")
    evidence: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    accepted_by: str | None = Field(default=None, max_length=200)


class Intervention(SQLModel, table=True):
    __tablename__ = "intervention"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    description: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    listed_since: date
    listed_until: date | None = None


class CoachIntervention(SQLModel, table=True):
    __tablename__ = "coach_intervention"

    coach_id: int = Field(foreign_key="coach.id", primary_key=True)
    intervention_id: int = Field(foreign_key="intervention.id", primary_key=True)


class PracticeYear(SQLModel, table=True):
    """Coaching hours and the practice counts (EPAs) of one coach in one calendar year."""

    __tablename__ = "practice_year"
    __table_args__ = (UniqueConstraint("coach_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id")  # indexed by the unique constraint
    year: int
    hours_centi: int = 0
    clients: int | None = None
    clients_low_literacy: int | None = None
    intakes: int | None = None
    integral_trajectories: int | None = None
    pharmacotherapy_trajectories: int | None = None
    referrals: int | None = None  # before schema 0006: referrals without their reason
    # Referrals by reason (Basisvereisten v2.2, requirement 3.4 and the EPAs): somatic
    # comorbidity, psychiatric comorbidity or other addiction, pregnancy (wish), medication.
    referrals_somatic: int | None = None
    referrals_psychiatric: int | None = None
    referrals_pregnancy: int | None = None
    referrals_medication: int | None = None
    source: str = Field(default=CreditSource.MANUAL.value, max_length=10)
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class Provider(SQLModel, table=True):
    __tablename__ = "provider"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)


class Course(SQLModel, table=True):
    """A course in the training agenda; only these earn points, and only while accredited."""

    __tablename__ = "course"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    title: str = Field(max_length=300)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    points_centi: int
    accredited_from: date
    accredited_until: date
    profiles: str | None = Field(default=None, max_length=200)  # comma-separated Profile values
    # The integral basic training of the basisprofiel (schema 0006): attending it is the
    # training part of the basisprofiel.
    basic_training: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class CourseRun(SQLModel, table=True):
    """A dated run (uitvoering) of a course: attendance is credited against a run."""

    __tablename__ = "course_run"
    __table_args__ = (UniqueConstraint("course_id", "run_date"),)

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id")  # indexed by the unique constraint
    run_date: date


class ImportBatch(SQLModel, table=True):
    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # attendance | agenda | coaches
    file_name: str = Field(max_length=500)
    sha256: str = Field(max_length=64, index=True)
    sheet: str | None = Field(default=None, max_length=200)
    imported_at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=100)
    rows_read: int = 0
    credited: int = 0
    held: int = 0
    rejected: int = 0
    skipped: int = 0
    duplicates: int = 0  # rows already credited (same coach and run): schema 0002
    undone_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    undo_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ImportRow(SQLModel, table=True):
    """What became of one data row of an imported file, so every row is accounted for."""

    __tablename__ = "import_row"
    __table_args__ = (UniqueConstraint("batch_id", "row_number"),)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id")  # indexed by the unique constraint
    row_number: int
    outcome: str = Field(max_length=12)  # credited | held | rejected | skipped | duplicate
    reason: str | None = Field(default=None, max_length=40)  # stable slug
    message: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    raw: str = Field(sa_column=Column(Text, nullable=False))  # JSON of the original cells
    coach_id: int | None = Field(default=None, foreign_key="coach.id")
    run_id: int | None = Field(default=None, foreign_key="course_run.id")
    candidates: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PointCredit(SQLModel, table=True):
    """Points credited to a coach for a course run, with where the credit came from."""

    __tablename__ = "point_credit"
    __table_args__ = (UniqueConstraint("coach_id", "run_id"),)

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id")  # indexed by the unique constraint
    run_id: int = Field(foreign_key="course_run.id", index=True)
    points_centi: int
    source: str = Field(default=CreditSource.MANUAL.value, max_length=10)
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id", index=True)
    row_number: int | None = None
    credited_at: datetime = Field(sa_type=UTCDateTime)


class RuleException(SQLModel, table=True):
    """A quality-committee decision waiving or changing one rule for one coach."""

    __tablename__ = "rule_exception"

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", index=True)
    rule: str = Field(max_length=30)
    value: str | None = Field(default=None, max_length=40)  # a changed minimum; None waives
    reason: str = Field(sa_column=Column(Text, nullable=False))
    decided_by: str = Field(max_length=200)
    decided_on: date
    valid_until: date | None = None


class FeeCharge(SQLModel, table=True):
    """One coach's annual contribution for one year: charged once, paid by `FeePayment`s."""

    __tablename__ = "fee_charge"
    __table_args__ = (UniqueConstraint("coach_id", "year", name="uq_fee_charge_coach_year"),)

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", index=True)
    year: int
    amount_cents: int  # whole euro cents: exact on every database
    charged_on: date
    due_on: date
    rules_id: str = Field(max_length=20)  # the rules version whose fee was charged


class FeePayment(SQLModel, table=True):
    """A payment towards one charge (part payments add up)."""

    __tablename__ = "fee_payment"

    id: int | None = Field(default=None, primary_key=True)
    charge_id: int = Field(foreign_key="fee_charge.id", index=True)
    amount_cents: int
    paid_on: date
    reference: str | None = Field(default=None, max_length=200)


class History(SQLModel, table=True):
    """Append-only record of every change, written in the same transaction as the change."""

    __tablename__ = "history"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=100)
    command: str = Field(max_length=60)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    coach_id: int | None = Field(default=None, index=True)  # no FK: survives a purge
    action: str = Field(max_length=20)
    before: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    after: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class DecisionRecord(SQLModel, table=True):
    """A decision as it was taken: a renewal, a refused renewal, a notice recorded as sent, a
    coach drawn for a spot check. `findings` holds the coach's assessment on `decided_on` (the
    COACH object of the audit's JSON), so a later correction of the facts never changes what
    the register shows was decided and why. Append-only; a purge blanks only who it was."""

    __tablename__ = "decision"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=12)  # renewal | refusal | notice | sample
    coach_id: int | None = Field(default=None, foreign_key="coach.id", index=True)
    reg_no: str = Field(max_length=12)  # as it was on the day
    decided_on: date  # the evaluation date the decision was taken on
    at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=100)
    command: str = Field(max_length=60)
    rules_version: str = Field(max_length=40)
    why: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    detail: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON
    findings: str = Field(sa_column=Column(Text, nullable=False))  # JSON: the audit's COACH
    # A notice's stage of one deadline of one coach (`12:period-end:2026-12-01:2`): never
    # recorded twice.
    notice_key: str | None = Field(default=None, max_length=80, unique=True)
