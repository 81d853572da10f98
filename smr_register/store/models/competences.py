"""The competences behind the basisprofiel: the supervisor's verdicts on its roles and the
integral basic training."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Text
from sqlmodel import Field

from smr_register.store.models.keyed import Keyed


class RoleAssessment(Keyed, table=True):
    """A supervisor's verdict on one CanMEDS role of a coach's basisprofiel (schema 0006)."""

    __tablename__ = "role_assessment"

    coach_id: int = Field(foreign_key="coach.id", index=True)
    role: int
    catalogue: str = Field(max_length=20)  # the version of data/competences.toml assessed on
    supervisor_id: int = Field(foreign_key="coach.id")
    assessed_on: date
    result: str = Field(max_length=12)  # voldaan | niet-voldaan
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class BasicTraining(Keyed, table=True):
    """The integral basic training of a coach: a basic-training course of the agenda, or other
    evidence the quality committee accepted (schema 0006)."""

    __tablename__ = "basic_training"

    coach_id: int = Field(foreign_key="coach.id", index=True)
    completed_on: date
    course_id: int | None = Field(default=None, foreign_key="course.id")
    evidence: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    accepted_by: str | None = Field(default=None, max_length=200)
