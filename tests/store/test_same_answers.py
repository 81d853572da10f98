"""The same register gives the same answers on SQLite and on PostgreSQL.

Every command that prints json runs on the demo register built on each database, and the two
outputs must be the same to the byte (clock times of the builds masked): Dutch order, accent-
and case-insensitive search, dates and moments, decimals, key order. Commands that write run on
a fresh copy on each side. Runs where SMR_TEST_DATABASE_URL names a PostgreSQL server.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smr_register.cli import app
from tests.fixtures import init_register
from tests.fixtures.imports import HEADER, MESSY_ROWS, TITLE_ROWS, write_csv
from tests.fixtures.registers import ON_POSTGRESQL, Register, Registers

pytestmark = pytest.mark.skipif(not ON_POSTGRESQL, reason="compares SQLite with PostgreSQL: "
                                "needs SMR_TEST_DATABASE_URL")

A = ["--as-of", "01-12-2026"]
RULES = str(Path(__file__).resolve().parents[2] / "data" / "rules.toml")

READS = {
    "coach list": ["coach", "list", *A],
    "coach list active": ["coach", "list", "--status", "active", *A],
    "search ozturk": ["coach", "list", "--search", "ozturk", *A],
    "search ÖZTÜRK": ["coach", "list", "--search", "ÖZTÜRK", *A],
    "search koc": ["coach", "list", "--search", "koc", *A],
    "search berg": ["coach", "list", "--search", "berg", *A],
    "search 100_": ["coach", "list", "--search", "100_", *A],
    "coach show": ["coach", "show", "004512"],
    "coach show accented": ["coach", "show", "104734"],
    "agenda list": ["agenda", "list"],
    "provider list": ["agenda", "provider", "list"],
    "intervention list": ["intervention", "list"],
    "exception list": ["exception", "list"],
    "supervisor list": ["supervisor", "list"],
    "history": ["history", "004512"],
    "audit": ["audit", *A],
    "audit one": ["audit", "100541", *A],
    "audit sample": ["audit", "--sample", "10", "--seed", "2026", *A],
    "audit compare rules": ["audit", "--compare-rules", RULES, *A],
    "renew dry run": ["renew", "--due-within", "120", "--dry-run", *A],
    "expiry": ["report", "expiry", "--within", "182", *A],
    "notices nl": ["report", "notices", "--lang", "nl", *A],
    "notices en": ["report", "notices", "--lang", "en", *A],
    "public": ["report", "public", *A],
    "stats": ["report", "stats", *A],
    "privacy export": ["privacy", "export", "004512", *A],
    "purge dry run": ["privacy", "purge", "--inactive-years", "6", "--dry-run", *A],
    "import list": ["import", "list"],
    "import review": ["import", "review"],
    "db check": ["db", "check"],
}
# Run on a fresh copy of the register on each side, then read back with `then`.
WRITES = {
    "renew": (["renew", "--due-within", "120", *A], ["history", "101170"]),
    "purge": (["privacy", "purge", "--inactive-years", "6", "--yes", *A],
              ["coach", "list", *A]),
    "import": (["import", "attendance", "{sheet}"], ["import", "show", "1"]),
    "coach add": (["coach", "add", "--reg-no", "999001", "--last-name", "Ēlcke",
                   "--prefix", "van", "--registered", "01-01-2026"], ["coach", "list", *A]),
}
TODAY = date.today().isoformat()  # noqa: DTZ011 - masking the builds' own clock times


def masked(text: str) -> str:
    """Clock times of the days the builds ran (their history, batches) made equal: the day the
    tests began and today, for a run that goes past midnight (UTC)."""
    days = "|".join(sorted({TODAY, date.today().isoformat()}))  # noqa: DTZ011 - as TODAY
    return re.sub(rf"(?:{days})T\d\d:\d\d:\d\d(\.\d+)?(\+00:00)?", "<now>", text)


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo register as a SQLite file, beside the session's demo register on PostgreSQL."""
    return Path(init_register(tmp_path_factory.mktemp("same") / "demo.sqlite", "--demo"))


def answer(register: Register, args: list[str]) -> tuple[int, str]:
    """(exit code, stdout) of `smr ARGS --format json` (commands without --format print
    json or nothing as they are)."""
    plain = args[:2] in (["privacy", "export"], ["privacy", "purge"], ["coach", "add"])
    result = CliRunner().invoke(app, ["--db", str(register), *args,
                                      *([] if plain else ["--format", "json"])])
    assert result.exit_code in (0, 1), (args, result.output)
    return result.exit_code, masked(result.stdout + ("" if not plain else result.stderr))


@pytest.mark.parametrize("case", list(READS))
def test_every_json_answer_is_the_same_on_both(case: str, on_sqlite: Path,
                                               demo_template: Register,
                                               registers: Registers) -> None:
    sqlite_answer = answer(on_sqlite, READS[case])
    assert sqlite_answer[1], case
    # A copy: `audit --sample` records the sample it drew (a decision row), and the session's
    # demo register must stay as `init --demo` builds it for the tests after this one.
    on_postgresql = registers.copy(demo_template, "reads")
    assert answer(on_postgresql, READS[case]) == sqlite_answer


@pytest.mark.parametrize("case", list(WRITES))
def test_every_change_leaves_the_same_register_on_both(case: str, on_sqlite: Path,
                                                       demo_template: Register,
                                                       registers: Registers,
                                                       tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "lijst.csv", MESSY_ROWS, header=HEADER, title_rows=TITLE_ROWS)
    change, then = ([str(sheet) if a == "{sheet}" else a for a in args]
                    for args in WRITES[case])
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(on_sqlite, copy)
    on_postgresql = registers.copy(demo_template, "same")
    assert answer(on_postgresql, change) == answer(copy, change)
    assert answer(on_postgresql, then) == answer(copy, then)
