"""Shared fixtures: a real SQLite register in tmp_path, the CLI through CliRunner, real .xlsx."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from smr_register.cli import app
from tests.fixtures import Run

# Tests never depend on who runs them or on a developer's environment.
for _var in ("SMR_DB", "SMR_RULES", "SMR_FORMAT", "SMR_AS_OF", "SMR_LANG", "SMR_DEBUG"):
    os.environ.pop(_var, None)
os.environ["SMR_ACTOR"] = "test-admin"
os.environ["COLUMNS"] = "200"




@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    """A path where no register exists yet."""
    return tmp_path / "empty.sqlite"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A real, initialised (empty) register file."""
    path = tmp_path / "register.sqlite"
    result = CliRunner().invoke(app, ["--db", str(path), "init"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def run(runner: CliRunner, db_path: Path) -> Run:
    """`run("coach", "list")` runs `smr --db <db_path> coach list` and returns the Result."""

    def invoke(*args: str, db: Path | None = None, input: str | None = None) -> Result:  # noqa: A002
        return runner.invoke(app, ["--db", str(db or db_path), *args], input=input,
                             catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo register, built once per test session (copy it before writing to it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    result = CliRunner().invoke(app, ["--db", str(path), "init", "--demo"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo register that a test may change."""
    path = tmp_path / "demo.sqlite"
    path.write_bytes(demo_template.read_bytes())
    return path


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
