"""Shared fixtures: a real register (a SQLite file in tmp_path, or a PostgreSQL database when
SMR_TEST_DATABASE_URL is set: see tests/registers.py), the CLI through CliRunner, real .xlsx."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from smr_register.cli import app
from tests.fixtures import Run, init_register
from tests.fixtures.registers import ON_POSTGRESQL, SERVER_URL, Register, Registers, Server

# Tests never depend on who runs them or on a developer's environment.
for _var in ("SMR_DB", "SMR_RULES", "SMR_FORMAT", "SMR_AS_OF", "SMR_LANG", "SMR_DEBUG"):
    os.environ.pop(_var, None)
os.environ["SMR_ACTOR"] = "test-admin"
os.environ["COLUMNS"] = "200"




def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, tests about the SQLite file itself are skipped, saying why."""
    if not ON_POSTGRESQL:
        return
    skip = pytest.mark.skip(reason="about the SQLite file itself; SMR_TEST_DATABASE_URL is set")
    for item in items:
        if item.get_closest_marker("sqlite_file"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def server() -> Iterator[Server | None]:
    """The PostgreSQL server of SMR_TEST_DATABASE_URL, or None: the registers are SQLite files."""
    if SERVER_URL is None:
        yield None
        return
    made = Server(SERVER_URL)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def registers(tmp_path: Path, server: Server | None) -> Iterator[Registers]:
    """Makes registers for one test: `registers.new()` (empty), `registers.copy(template)`."""
    made = Registers(lambda: tmp_path, server)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture(scope="session")
def session_registers(tmp_path_factory: pytest.TempPathFactory,
                      server: Server | None) -> Iterator[Registers]:
    """Makes registers that live for the session: templates built once."""
    made = Registers(lambda: tmp_path_factory.mktemp("registers"), server)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def empty_db(registers: Registers) -> Register:
    """A database where no register exists yet (a path on SQLite: no file there)."""
    return registers.new("empty")


@pytest.fixture(scope="session")
def empty_template(session_registers: Registers) -> Register:
    """An initialised, empty register, built once per session (PostgreSQL copies it)."""
    return init_register(session_registers.new("empty-template"))


@pytest.fixture
def db_path(tmp_path: Path, registers: Registers, request: pytest.FixtureRequest) -> Register:
    """A real, initialised (empty) register: a file made by `smr init`, or a PostgreSQL copy
    of an initialised template."""
    if not ON_POSTGRESQL:
        return init_register(tmp_path / "register.sqlite")
    return registers.copy(request.getfixturevalue("empty_template"), "register")


@pytest.fixture
def run(runner: CliRunner, db_path: Register) -> Run:
    """`run("coach", "list")` runs `smr --db <db_path> coach list` and returns the Result."""

    def invoke(*args: str, db: Register | None = None,
               input: str | None = None) -> Result:  # noqa: A002
        return runner.invoke(app, ["--db", str(db or db_path), *args], input=input,
                             catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def demo_template(session_registers: Registers) -> Register:
    """The demo register, built once per test session (copy it before writing to it)."""
    return init_register(session_registers.new("demo"), "--demo")


@pytest.fixture
def demo_db(demo_template: Register, registers: Registers) -> Register:
    """A private copy of the demo register that a test may change."""
    return registers.copy(demo_template, "demo")


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Write a real workbook with openpyxl: title rows, then a header row, then data rows."""
    from openpyxl import Workbook

    def write(
        rows: Sequence[Sequence[Any]],
        *,
        name: str = "lijst.xlsx",
        title_rows: Sequence[Sequence[Any]] = (),
        sheet: str = "Blad1",
        merge_title: bool = False,
    ) -> Path:
        workbook = Workbook()
        ws = workbook.active
        ws.title = sheet
        for row in title_rows:
            ws.append(list(row))
        if merge_title and title_rows:
            width = max(len(r) for r in rows) if rows else 1
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 2))
        for row in rows:
            ws.append(list(row))
        path = tmp_path / name
        workbook.save(path)
        return path

    return write
