"""Errors that carry their exit code, so library code never prints or exits.

The exit-code table is the contract with scripts (README, "Exit codes"); the root group in
`cli.py` (`SmrGroup.invoke`) is the one place that turns an `SmrError` into a message on stderr
and a process exit.
"""

from __future__ import annotations

from decimal import Decimal
from enum import IntEnum


class ExitCode(IntEnum):
    """The exit codes scripts rely on: the table in the README."""
    OK = 0
    FINDINGS = 1
    USAGE = 2
    INPUT = 3
    REGISTER = 4
    DATABASE = 5
    INTERNAL = 70


class SmrError(Exception):
    """Base of every error a user can act on."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidValue(SmrError):
    """A value given on the command line is malformed (date, BIG number, e-mail, ...)."""

    exit_code = ExitCode.USAGE

    def __init__(self, field: str, value: object, problem: str) -> None:
        super().__init__(f"{field}: {_shown(value)} {problem}")
        self.field = field
        self.value = value
        self.problem = problem


def _shown(value: object) -> str:
    """The value as the person typed it, quoted: a number in their notation (`'2,5'` in Dutch),
    never Python's `Decimal('2.50')`."""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        from smr_register.domain.i18n import number

        return repr(number(value))
    return repr(value)


class UsageError(SmrError):
    """Options that do not fit together."""

    exit_code = ExitCode.USAGE


class InputFileError(SmrError):
    """A file we were asked to read cannot be used at all (missing, corrupt, wrong format)."""

    exit_code = ExitCode.INPUT


class RulesFileError(InputFileError):
    """The rules file is malformed; the message names the file and the key."""


class NotFound(SmrError):
    """The register holds no such coach, course, run, batch, ..."""

    exit_code = ExitCode.REGISTER


class Conflict(SmrError):
    """The change contradicts the register (duplicate number, supervisor over the limit, ...)."""

    exit_code = ExitCode.REGISTER


class DatabaseError(SmrError):
    """The database cannot be used: locked, missing schema, needs an upgrade, or newer than us."""

    exit_code = ExitCode.DATABASE


class Retryable(DatabaseError):
    """The database ended the transaction to break a deadlock (or keep it serializable):
    nothing was written, and running the command again will most likely succeed."""
