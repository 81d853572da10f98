"""Coaching practice: the interventions a coach offers and the hours and counts of each year."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from smr_register.domain.vocabulary import CreditSource
from smr_register.store.models.keyed import Keyed


class Intervention(Keyed, table=True):
    __tablename__ = "intervention"

    name: str = Field(max_length=200, unique=True)
    description: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    listed_since: date
    listed_until: date | None = None


class CoachIntervention(SQLModel, table=True):
    __tablename__ = "coach_intervention"

    coach_id: int = Field(foreign_key="coach.id", primary_key=True)
    intervention_id: int = Field(foreign_key="intervention.id", primary_key=True)


class PracticeYear(Keyed, table=True):
    """Coaching hours and the practice counts (EPAs) of one coach in one calendar year."""

    __tablename__ = "practice_year"
    __table_args__ = (UniqueConstraint("coach_id", "year"),)

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
