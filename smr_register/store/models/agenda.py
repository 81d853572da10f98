"""The training agenda (scholingsagenda): providers, accredited courses and their dated runs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint, false
from sqlmodel import Field

from smr_register.store.models.keyed import Keyed


class Provider(Keyed, table=True):
    __tablename__ = "provider"

    name: str = Field(max_length=200, unique=True)


class Course(Keyed, table=True):
    """A course in the training agenda; only these earn points, and only while accredited."""

    __tablename__ = "course"

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


class CourseRun(Keyed, table=True):
    """A dated run (uitvoering) of a course: attendance is credited against a run."""

    __tablename__ = "course_run"
    __table_args__ = (UniqueConstraint("course_id", "run_date"),)

    course_id: int = Field(foreign_key="course.id")  # indexed by the unique constraint
    run_date: date
