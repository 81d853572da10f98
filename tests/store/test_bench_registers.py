"""The benchmarks' registers are written with raw SQL for speed, so a schema change can leave
them behind unnoticed (the coach's state moved to its own dated table and bench_audit.py and
bench_publish.py could no longer build). Built small here, and used by the real commands."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from smr_register.cli import app

pytestmark = pytest.mark.sqlite_file

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))  # bench_publish imports bench_audit by name
    try:
        spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_the_audit_benchmark_register_builds_and_audits(tmp_path: Path) -> None:
    bench = _load("bench_audit")
    register = tmp_path / "bench.sqlite"
    bench.build(register, 60)
    with closing(sqlite3.connect(register)) as conn:
        states = dict(conn.execute("SELECT state, count(*) FROM coach_state GROUP BY state"))
    assert set(states) <= {"suspended", "withdrawn"}
    result = CliRunner().invoke(app, ["--db", str(register), "audit", "--format", "json",
                                      "--as-of", bench.AS_OF.strftime("%d-%m-%Y")])
    assert result.exit_code in (0, 1), result.stderr
    audited = json.loads(result.stdout)["coaches"]
    assert 0 < len(audited) <= 60


def test_the_publish_benchmark_register_builds_and_publishes(tmp_path: Path) -> None:
    bench = _load("bench_publish")
    register = tmp_path / "publish.sqlite"
    bench.build(register, 60)
    bench.enrich(register)
    site = tmp_path / "site"
    result = CliRunner().invoke(app, ["--db", str(register), "publish", "--output", str(site),
                                      "--as-of", bench.AS_OF.strftime("%d-%m-%Y")])
    assert result.exit_code == 0, result.stderr
    published = json.loads((site / "register.json").read_text(encoding="utf-8"))
    assert 0 < len(published["coaches"]) <= 60
