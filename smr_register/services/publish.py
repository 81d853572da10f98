"""What the public website shows: the register on a date, public fields only.

The coaches are those of `report public` (`public.registered_coaches`: a period in force on the
date, not suspended or withdrawn then), now with their registration number, province and the
interventions they deliver. Every field is named in `SiteCoach`: a birth date, e-mail, phone,
BIG or AGB number, first name, hours, points, supervisor or exception cannot reach the site,
because nothing copies them into these records (DOMAIN.md, "Privacy").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from datetime import date

from sqlmodel import Session

from smr_register.domain.agenda import AccreditedCourse
from smr_register.domain.values import from_centi, full_name, sort_name
from smr_register.services.public import registered_coaches
from smr_register.services.reports import find_province, province_ranges
from smr_register.store import agenda as agenda_store
from smr_register.store import public_site
from smr_register.store.models import Profile

SITE_SCHEMA_VERSION = 1
PROFILE_ORDER = tuple(Profile)


@dataclass(frozen=True)
class SiteCoach:
    """One coach as the public sees them: the closed list of public fields."""

    reg_no: str
    name: str
    practice: str | None
    postcode: str | None
    city: str | None
    province: str | None
    registered_until: date
    profiles: tuple[Profile, ...]
    interventions: tuple[str, ...]
    renewed_until: date | None  # the renewal decided by the date, if any: last, so a csv
    # reader counting columns finds the older ones where they were


PUBLIC_COACH_FIELDS = tuple(field.name for field in fields(SiteCoach))


@dataclass(frozen=True)
class SiteIntervention:
    """An intervention listed on (or before) the date, with how many listed coaches deliver it."""

    name: str
    description: str | None
    listed_since: date
    listed_until: date | None
    coaches: int

    def listed_on(self, on: date) -> bool:
        """Listed on the date, not merely before it (listed_until is the last listed day)."""
        return self.listed_since <= on and (self.listed_until is None or self.listed_until >= on)


@dataclass(frozen=True)
class SiteCourse(AccreditedCourse):
    """A course of the training agenda (only these earn accreditation points) and the days of
    its runs within its accreditation."""

    runs: tuple[date, ...]


@dataclass(frozen=True)
class Site:
    """Everything the website and its open data show, as of one date."""

    as_of: date
    coaches: list[SiteCoach]
    interventions: list[SiteIntervention]
    courses: list[SiteCourse]


def _profiles(values: list[str] | str | None) -> tuple[Profile, ...]:
    """Profiles in their fixed order; a comma-separated text (a course's) or a list."""
    held = set(values.split(",") if isinstance(values, str) else values or [])
    return tuple(profile for profile in PROFILE_ORDER if profile.value in held)


def site_data(session: Session, on: date) -> Site:
    """The register as the website shows it on `on`: coaches in Dutch name order."""
    ranges = province_ranges()
    delivered = public_site.interventions_delivered(session, on)
    ranked = []
    for entry in registered_coaches(session, on):
        coach = entry.coach
        ranked.append((sort_name(coach.last_name, coach.prefix, coach.initials), coach.reg_no,
                       SiteCoach(
                           reg_no=coach.reg_no,
                           name=full_name(coach.initials, coach.prefix, coach.last_name),
                           practice=coach.practice, postcode=coach.postcode, city=coach.city,
                           province=find_province(coach.postcode, ranges),
                           registered_until=entry.period.valid_until,
                           renewed_until=entry.renewal.valid_until if entry.renewal else None,
                           profiles=_profiles(entry.profiles),
                           interventions=tuple(delivered.get(coach.id or 0, [])))))
    coaches = [item for _key, _reg_no, item in sorted(ranked, key=lambda r: (r[0], r[1]))]
    counts = Counter(name for coach in coaches for name in coach.interventions)
    interventions = [
        SiteIntervention(item.name, item.description, item.listed_since, item.listed_until,
                         counts[item.name])
        for item in public_site.interventions_known_on(session, on)]
    # A run outside its course's accreditation earns nothing, so the public agenda leaves it out;
    # a course accredited from a later date is shown already (the agenda plans ahead).
    courses = [
        SiteCourse(line.course.code, line.course.title, line.provider.name,
                   from_centi(line.course.points_centi), line.course.accredited_from,
                   line.course.accredited_until, _profiles(line.course.profiles),
                   tuple(run.run_date for run in line.runs
                         if line.course.accredited_from <= run.run_date
                         <= line.course.accredited_until))
        for line in agenda_store.agenda(session)]
    return Site(as_of=on, coaches=coaches, interventions=interventions, courses=courses)
