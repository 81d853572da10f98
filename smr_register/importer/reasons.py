"""What became of an imported row (`Outcome`) and why (`Reason`), with the texts that explain them.

The values are the import report's stable slugs: scripts, `smr import show` and the rows stored
in the register depend on them, so a value is never renamed. Being enum members, a misspelt slug
is a NameError where it is written, not a report that ships with it; being `StrEnum`s, they are
written (JSON, csv, the summary, the database) exactly as the slugs they stand for.
"""

from __future__ import annotations

from enum import StrEnum


class _Slug(StrEnum):
    """A stable slug of the import report, with its text for people."""

    @property
    def text(self) -> str:
        """What the slug means, for people, in the current language (tools/catalogs.py puts
        the texts in the catalog)."""
        from smr_register.domain.i18n import _

        return _(_TEXTS[self])


class Outcome(_Slug):
    """What became of one row."""

    CREDITED = "credited"
    ADDED = "added"
    HELD = "held"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    SKIPPED = "skipped"


class Reason(_Slug):
    """Why a row was not simply credited or added (or a note on a credited row)."""

    BLANK_ROW = "blank-row"
    TOTAL_ROW = "total-row"
    MISSING_VALUE = "missing-value"
    BAD_DATE = "bad-date"
    BAD_NUMBER = "bad-number"
    BAD_VALUE = "bad-value"
    UNKNOWN_COACH = "unknown-coach"
    COACH_WITHDRAWN = "coach-withdrawn"
    NAME_MISMATCH = "name-mismatch"
    FIRST_NAME_MISMATCH = "first-name-mismatch"
    UNKNOWN_NUMBER = "unknown-number"
    NO_NUMBER = "no-number"
    NEAR_MATCH = "near-match"
    BIRTH_DATE_MISMATCH = "birth-date-mismatch"
    ABSENT = "absent"
    ATTENDANCE_UNCLEAR = "attendance-unclear"
    RUN_NOT_YET_HELD = "run-not-yet-held"
    UNKNOWN_COURSE = "unknown-course"
    NO_RUN_ON_DATE = "no-run-on-date"
    OUTSIDE_ACCREDITATION = "outside-accreditation"
    COURSE_TITLE_MISMATCH = "course-title-mismatch"
    OTHER_PROVIDER = "other-provider"
    POINTS_DIFFER = "points-differ"
    ALREADY_CREDITED = "already-credited"
    ALREADY_HELD = "already-held"
    DUPLICATE_IN_FILE = "duplicate-in-file"
    ALREADY_REGISTERED = "already-registered"
    REG_NO_TAKEN = "reg-no-taken"
    BIG_IN_USE = "big-in-use"
    ALREADY_IN_AGENDA = "already-in-agenda"
    COURSE_DIFFERS = "course-differs"
    REJECTED_ON_REVIEW = "rejected-on-review"


# The order of the report's totals and of the summary's lines per outcome.
OUTCOMES: tuple[Outcome, ...] = tuple(Outcome)

OUTCOME_TEXTS: dict[Outcome, str] = {
    Outcome.CREDITED: "points credited to the coach (attendance)",
    Outcome.ADDED: "added to the register (agenda, coaches)",
    Outcome.HELD: "held for review by the register's staff",
    Outcome.REJECTED: "not taken in, with a reason",
    Outcome.DUPLICATE: "already in the register or earlier in the file: nothing new",
    Outcome.SKIPPED: "a blank or total line, not a row of data",
}

REASON_TEXTS: dict[Reason, str] = {
    Reason.BLANK_ROW: "an empty row",
    Reason.TOTAL_ROW: "a total or count line, not a person",
    Reason.MISSING_VALUE: "a required cell is empty",
    Reason.BAD_DATE: "a date that cannot be read",
    Reason.BAD_NUMBER: "a number that cannot be read",
    Reason.BAD_VALUE: "a value the register does not accept (e-mail, BIG number, postcode, ...)",
    Reason.UNKNOWN_COACH: "no coach in the register with this registration number, BIG number, "
                          "or name and birth date",
    Reason.COACH_WITHDRAWN: "the coach is withdrawn from the register",
    Reason.NAME_MISMATCH: "the registration or BIG number belongs to a coach with another name",
    Reason.FIRST_NAME_MISMATCH: "the number and last name match a coach whose first name or "
                                "initials differ",
    Reason.UNKNOWN_NUMBER: "the registration or BIG number is not in the register, but the "
                           "row's other cells fit a coach (never credited to another number "
                           "unseen)",
    Reason.NO_NUMBER: "no registration or BIG number, and no exact match on name and birth "
                      "date: the coaches of this name are the candidates",
    Reason.NEAR_MATCH: "a coach in the register is close, but not an exact match",
    Reason.BIRTH_DATE_MISMATCH: "the number and name match a coach with another birth date",
    Reason.ABSENT: "the attendance column says the person was absent: no points",
    Reason.ATTENDANCE_UNCLEAR: "the attendance column says neither present nor absent",
    Reason.RUN_NOT_YET_HELD: "the course run takes place after the date of entry: attendance "
                             "earns points once it has",
    Reason.UNKNOWN_COURSE: "the course code is not in the training agenda",
    Reason.NO_RUN_ON_DATE: "the course has no run on that date in the training agenda",
    Reason.OUTSIDE_ACCREDITATION: "the date is outside the course's accreditation",
    Reason.COURSE_TITLE_MISMATCH: "the course title differs from the agenda's title for this "
                                  "code",
    Reason.OTHER_PROVIDER: "the course belongs to another provider than --provider",
    Reason.POINTS_DIFFER: "the sheet's points differ from the agenda's (the agenda's count)",
    Reason.ALREADY_CREDITED: "the coach is already credited for this course run",
    Reason.ALREADY_HELD: "the same row is already waiting for review in an earlier batch",
    Reason.DUPLICATE_IN_FILE: "the same line or credit appears earlier in this file",
    Reason.ALREADY_REGISTERED: "the coach is already in the register with this number",
    Reason.REG_NO_TAKEN: "the registration number belongs to another coach",
    Reason.BIG_IN_USE: "the BIG number is registered for another coach",
    Reason.ALREADY_IN_AGENDA: "the course and run are already in the training agenda",
    Reason.COURSE_DIFFERS: "the course is in the agenda with other details",
    Reason.REJECTED_ON_REVIEW: "rejected by the register's staff after review",
}

_TEXTS: dict[_Slug, str] = {**OUTCOME_TEXTS, **REASON_TEXTS}

# Each member as the plain str of its slug (None as None), for the database driver: sqlite3
# binds an exact str straight away but looks a str subclass up in its adapters first, which
# costs an import of 100,000 rows a tenth of a second.
PLAIN: dict[str | None, str | None] = {
    None: None, **{member: member.value for member in (*Outcome, *Reason)}}
