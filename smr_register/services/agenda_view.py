"""The training agenda as staff look through it: by provider, by code or title, by the dates
of the runs, and each course's runs summed up (how many, the first and the last).

Pure selection over the agenda the store read (`store.agenda.agenda`): the agenda is a few
hundred courses, and the same folding (`values.fold`) as every other search of the register.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from smr_register.domain.values import fold, from_centi
from smr_register.errors import NotFound
from smr_register.store.agenda import AgendaLine


@dataclass(frozen=True)
class AgendaFilter:
    """Which courses to show: of a provider, matching a text, with runs between two dates."""

    provider: str | None = None
    search: str | None = None
    since: date | None = None
    until: date | None = None

    def runs_in_range(self, runs: Iterable[date]) -> list[date]:
        """The run dates between `since` and `until` (both included)."""
        return [d for d in runs if (self.since is None or d >= self.since)
                and (self.until is None or d <= self.until)]

    def keeps(self, line: AgendaLine, runs: list[date]) -> bool:
        """Whether the course matches: provider (folded, exact or part of the name), code or
        title containing the search text, and, with a date range, a run inside it."""
        if self.provider and fold(self.provider) not in fold(line.provider.name):
            return False
        if self.search:
            wanted = fold(self.search)
            if wanted not in fold(line.course.code) and wanted not in fold(line.course.title):
                return False
        return bool(runs) or (self.since is None and self.until is None)


def agenda_rows(lines: Iterable[AgendaLine], chosen: AgendaFilter) -> list[dict[str, Any]]:
    """One row per course kept: its accreditation, the runs in range and their summary.
    Raises NotFound when no provider's name matches --provider (a typo, not an empty list)."""
    lines = list(lines)
    if chosen.provider and not any(fold(chosen.provider) in fold(line.provider.name)
                                   for line in lines):
        from smr_register.domain.i18n import _

        raise NotFound(_("--provider {name!r}: no provider of a course in the training agenda "
                         "is called that (see 'smr agenda provider list')").format(
            name=chosen.provider))
    rows = []
    for line in lines:
        runs = chosen.runs_in_range(run.run_date for run in line.runs)
        if not chosen.keeps(line, runs):
            continue
        rows.append({
            "code": line.course.code, "title": line.course.title,
            "provider": line.provider.name, "points": from_centi(line.course.points_centi),
            "accredited_from": line.course.accredited_from,
            "accredited_until": line.course.accredited_until,
            "profiles": line.course.profiles.split(",") if line.course.profiles else [],
            "runs": runs, "run_count": len(runs),
            "first_run": runs[0] if runs else None, "last_run": runs[-1] if runs else None,
        })
    return rows
