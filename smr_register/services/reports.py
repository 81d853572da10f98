"""Reports built on the audit: expiry (for cron) and statistics (notices: services/notices.py).

No rule is evaluated here: statuses, shortfalls and sentences come from the audit's assessments
(`audit.assessments`, i.e. rules.assess), so a report can never disagree with `smr audit`.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from smr_register.domain.i18n import N_, _
from smr_register.domain.ruleset import RulesBook, data_dir
from smr_register.errors import InputFileError
from smr_register.render.cells import Column, key_column
from smr_register.rules import Assessment, Status
from smr_register.services.audit import Selection, assessments
from smr_register.store import aggregates as aggregate_store
from smr_register.store import coaches as coach_store

EXPIRY_SCHEMA_VERSION = 2  # 2: renewed coaches are listed, with next_valid_until


def notice_stage(days_left: int, notice_days: tuple[int, ...]) -> int | None:
    """Which notice a coach is in: 1 from the rules' first (longest) interval on, then 2, 3."""
    stage = None
    for number, days in enumerate(notice_days, start=1):
        if days_left <= days:
            stage = number
    return stage


def _shortfalls(assessment: Assessment) -> list[str]:
    return [finding.short or finding.rule for finding in assessment.unmet]


# --------------------------------------------------------------------------------------------
# Expiry


EXPIRY_COLUMNS = [
    Column("valid_until", N_("Valid until"), priority=0),
    Column("days_left", N_("Days left"), "right"),
    key_column("reg_no", N_("Reg. no")), Column("name", N_("Name"), priority=0),
    key_column("status", N_("Status"), term=True),
    Column("notice_stage", N_("Notice"), "right", priority=2),
    Column("shortfalls", N_("Still missing")),
    Column("next_valid_until", N_("Next period until"), priority=2),
]


def expiry_rows(conn: Connection, book: RulesBook, as_of: date,
                within: int) -> list[dict[str, Any]]:
    """Coaches whose period in force ends within `within` days, by end date then last name;
    a coach renewed already is listed with the next period (and no notice: nothing is due); a
    withdrawn coach's registration ends for good, so none is listed (nobody is to act)."""
    ruleset = book.in_force(as_of)
    found = []
    for item in assessments(conn, book, as_of, Selection(due_within=within)):
        if item.period is None or item.status is Status.WITHDRAWN:
            continue
        renewed = item.renewal
        found.append((item.period.valid_until, item.reg_no, {
            "reg_no": item.reg_no,
            "name": item.name,
            "valid_until": item.period.valid_until,
            "days_left": item.days_left,
            "status": item.status.value,
            "notice_stage": (None if renewed else
                             notice_stage(item.days_left or 0, ruleset.notice_days)),
            "shortfalls": _shortfalls(item),
            "next_valid_until": renewed.valid_until if renewed else None,
        }))
    names = coach_store.sort_names(conn, [reg_no for _end, reg_no, _row in found])
    found.sort(key=lambda entry: (entry[0], names.get(entry[1], ""), entry[1]))
    return [row for _end, _reg_no, row in found]


def expiry_flagged(rows: Iterable[dict[str, Any]]) -> bool:
    """Exit 1 for cron when any coach in the window is due, at risk or failing."""
    return any(row["status"] in (Status.DUE, Status.AT_RISK, Status.NON_COMPLIANT)
               for row in rows)


# --------------------------------------------------------------------------------------------
# Statistics


def province_ranges() -> list[tuple[int, int, str]]:
    """The postcode ranges of the provinces (data/provinces.toml), for statistics."""
    path = data_dir() / "provinces.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return [(int(a), int(b), str(name)) for a, b, name in raw["ranges"]]
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise InputFileError(_("{path}: cannot read the postcode ranges ({exc})").format(
                               path=path, exc=exc)) from None


def find_province(postcode: str | None, ranges: list[tuple[int, int, str]]) -> str | None:
    """The province of a Dutch postcode, or None when it lies outside every range."""
    digits = (postcode or "")[:4]
    if digits.isdigit():
        number = int(digits)
        for first, last, name in ranges:
            if first <= number <= last:
                return name
    return None


def province_of(postcode: str | None, ranges: list[tuple[int, int, str]]) -> str:
    """The province of a postcode, or 'unknown' (translated) when it has none or is outside
    the ranges."""
    return find_province(postcode, ranges) or _("unknown")


def _month_starts(as_of: date, months: int) -> list[date]:
    first = as_of.replace(day=1)
    return [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range(months)]


def stats(conn: Connection, session: Session, book: RulesBook,
          as_of: date) -> dict[str, list[dict[str, Any]]]:
    """Every table of `smr report stats`, as rows; each is checked against a direct count."""
    status_counts: Counter[str] = Counter()
    ending: Counter[str] = Counter()
    horizon = _month_starts(as_of, 25)
    for item in assessments(conn, book, as_of):
        status_counts[item.status.value] += 1
        if (item.period is not None and item.renewal is None
                and item.status is not Status.WITHDRAWN
                and as_of <= item.period.valid_until < horizon[-1]):
            ending[item.period.valid_until.strftime("%Y-%m")] += 1
    ranges = province_ranges()
    provinces: Counter[str] = Counter(
        province_of(postcode, ranges)
        for postcode in aggregate_store.postcodes_valid_on(session, as_of))
    return {
        "status": [{"status": s.value, "coaches": status_counts.get(s.value, 0)}
                   for s in Status],
        "ending": [{"month": m.strftime("%Y-%m"), "coaches": ending.get(m.strftime("%Y-%m"), 0)}
                   for m in horizon[:-1]],
        "points": [{"year": year, "points": points}
                   for year, points in aggregate_store.points_per_year(session, as_of)],
        "hours": [{"year": year, "hours": hours}
                  for year, hours in aggregate_store.hours_per_year(session, as_of)],
        "profiles": [{"profile": profile, "coaches": count}
                     for profile, count in aggregate_store.coaches_per_profile(session, as_of)],
        "provinces": [{"province": name, "coaches": count}
                      for name, count in sorted(provinces.items())],
        "supervisors": [{"supervisor": row["supervisor"], "name": row["name"],
                         "supervisees": row["count"]}
                        for row in coach_store.supervisor_rows(session)],
    }


STATS_TABLES: dict[str, tuple[str, list[Column], str, str]] = {
    # key: (title, columns, category key, value key) — the last two drive the bar charts
    "status": (N_("Coaches per status"),
               [key_column("status", N_("Status"), term=True),
                Column("coaches", N_("Coaches"), "right")],
               "status", "coaches"),
    "ending": (N_("Registrations ending per month"),
               [Column("month", N_("Month")), Column("coaches", N_("Coaches"), "right")],
               "month", "coaches"),
    "points": (N_("Points earned per year"),
               [Column("year", N_("Year")), Column("points", N_("Points"), "right")],
               "year", "points"),
    "hours": (N_("Coaching hours per year"),
              [Column("year", N_("Year")), Column("hours", N_("Hours"), "right")],
              "year", "hours"),
    "profiles": (N_("Coaches per profile"),
                 [Column("profile", N_("Profile"), term=True),
                  Column("coaches", N_("Coaches"), "right")],
                 "profile", "coaches"),
    "provinces": (N_("Coaches per province"),
                  [Column("province", N_("Province")),
                   Column("coaches", N_("Coaches"), "right")],
                  "province", "coaches"),
    "supervisors": (N_("Supervisors and their supervisees"),
                    [key_column("supervisor", N_("Supervisor")),
                     Column("name", N_("Name"), priority=0),
                     Column("supervisees", N_("Supervisees"), "right")],
                    "supervisor", "supervisees"),
}
