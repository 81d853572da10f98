"""Four staff importing four different attendance lists at the same moment, on one register.

The register of bench_import.py (20,000 coaches, 2,000 course runs) and four .xlsx lists of
5,000 rows each (different coaches and runs, a few rows shared between lists, as when two
providers report the same course). On a fresh copy of the register the four imports run one
after another; on another fresh copy they start together as four processes. Both must leave the
same credits (every row of every list credited once; checked); the figure is the wall time of
the four together against the sum one after another (target: within 1.2x). One import
holds the register at a time (store/locks.py), so together cannot beat one after another by
much: what is gained is the start-up and reading of the others while one writes.

With `--db URL` (a PostgreSQL server where the benchmark may create databases) the same on
PostgreSQL, the register moved there with `smr db copy`.

Run: python benchmarks/bench_concurrent.py [--keep DIR] [--db postgresql://...]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_import import build_register, write_xlsx

LISTS = 4
ROWS = 5_000
SHARED = 100  # rows each list has in common with the next one
SMR = [sys.executable, "-m", "smr_register"]


def lists(coaches: list[dict], runs: list[dict], rnd: random.Random) -> list[list[list]]:
    """Four lists of ROWS rows: (coach, run) pairs of their own and SHARED with the next."""
    active = [i for i, coach in enumerate(coaches) if coach["state"] == "active"]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < LISTS * ROWS:
        pairs.add((rnd.choice(active), rnd.randrange(len(runs))))
    ordered = list(pairs)
    own = [ordered[i * ROWS:(i + 1) * ROWS] for i in range(LISTS)]
    for i in range(LISTS):  # the last SHARED rows of a list are also in the next one
        own[(i + 1) % LISTS][:SHARED] = own[i][-SHARED:]
    out = []
    for chosen in own:
        rows = []
        for ci, ri in chosen:
            coach, run = coaches[ci], runs[ri]
            rows.append([coach["reg_no"], coach["last_name"], coach["prefix"], coach["initials"],
                         coach["birth_date"], run["course"]["code"], run["course"]["title"],
                         run["run_date"], run["course"]["points_centi"] / 100])
        out.append(rows)
    return out


def timed_imports(register: str, sheets: list[Path], *, together: bool) -> float:
    """Wall seconds of importing the sheets, together (processes at once) or one by one."""
    started = time.perf_counter()
    if together:
        processes = [subprocess.Popen([*SMR, "--db", register, "import", "attendance",
                                       str(path)], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True) for path in sheets]
        results = [(p.wait(), p.stderr.read() if p.stderr else "") for p in processes]
    else:
        results = []
        for path in sheets:
            done = subprocess.run([*SMR, "--db", register, "import", "attendance", str(path)],
                                  capture_output=True, text=True, check=False)
            results.append((done.returncode, done.stderr))
    elapsed = time.perf_counter() - started
    for code, stderr in results:
        if code not in (0, 1):
            raise SystemExit(f"an import failed (exit {code}): {stderr}")
    return elapsed


def credits_written(register: str) -> tuple[int, list[tuple[int, int]]]:
    """(credits in the register, (credited, duplicates) per batch)."""
    from sqlalchemy import func, select

    from smr_register import db
    from smr_register.store.models import ImportBatch, PointCredit

    engine = db.make_engine(db.database_url(register))
    try:
        with engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(PointCredit)).scalar_one()
            batches = conn.execute(select(ImportBatch.credited, ImportBatch.duplicates)
                                   .order_by(ImportBatch.id)).all()
    finally:
        engine.dispose()
    return int(total), [tuple(b) for b in batches]  # type: ignore[misc]


def compare(label: str, fresh: Callable[[str], str], sheets: list[Path],
            expected: int) -> None:
    """One after another, then together, each on a fresh copy; checked and printed."""
    alone = timed_imports(fresh("alone"), sheets, together=False)
    register = fresh("together")
    together = timed_imports(register, sheets, together=True)
    total, batches = credits_written(register)
    correct = total == expected and len(batches) == LISTS and all(
        c + d == ROWS for c, d in batches)
    print(f"{label}: one after another {alone:6.2f} s   together {together:6.2f} s   "
          f"ratio {together / alone:4.2f}x (target <= 1.2x)   "
          f"{'all four correct' if correct else f'NOT CORRECT: {total} credits, {batches}'}")


def main() -> None:
    from bytecode import compile_package  # beside this script, as `python benchmarks/...` runs it

    compile_package()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="Build the files in this directory and keep "
                        "them (reused when present).")
    parser.add_argument("--db", metavar="URL", help="A PostgreSQL server where the benchmark "
                        "may create databases: time the imports there too.")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-concurrent-"))
    work.mkdir(parents=True, exist_ok=True)
    register = work / "register.sqlite"
    sheets = [work / f"lijst{i + 1}.xlsx" for i in range(LISTS)]
    server: Any = None
    try:
        if not (register.exists() and all(s.exists() for s in sheets)):
            rnd = random.Random(20261201)
            register.unlink(missing_ok=True)
            coaches, runs = build_register(register, rnd)
            for path, rows in zip(sheets, lists(coaches, runs, rnd), strict=True):
                write_xlsx(path, rows)
        expected = LISTS * (ROWS - SHARED)

        def on_sqlite(name: str) -> str:
            copy = work / f"{name}.sqlite"
            shutil.copyfile(register, copy)
            return str(copy)

        compare("SQLite    ", on_sqlite, sheets, expected)
        if args.db:
            from postgres_server import Server

            server = Server(args.db)
            server.load(register, "smr_bench_concurrent")

            def on_postgresql(name: str) -> str:
                return server.create(f"smr_bench_concurrent_{name}",
                                     template="smr_bench_concurrent")

            compare("PostgreSQL", on_postgresql, sheets, expected)
    finally:
        if server is not None:
            for name in ("smr_bench_concurrent_alone", "smr_bench_concurrent_together",
                         "smr_bench_concurrent"):
                server.drop(name)
            server.dispose()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
