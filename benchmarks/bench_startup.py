"""Start-up time of `smr`, against floors measured in the same run.

Targets: `smr --help` and `smr --version` within 10x `python -c pass`; a database
command within `python -c "import sqlmodel"` + 150 ms. Run: python benchmarks/bench_startup.py

`smr` freezes its heap before it exits (`gc.freeze`, smr_register/__main__.py), so the
interpreter's shutdown skips its garbage collections; the floor does not, and its shutdown alone
takes about 120 ms. For a fair view of the rest, a third floor does the same as smr at exit
(`import sqlmodel, gc; gc.freeze()`), printed beside the target's figure.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 15


def one(args: list[str]) -> float:
    """Wall time of one run of `args`."""
    start = time.perf_counter()
    subprocess.run(args, capture_output=True, check=False)
    return time.perf_counter() - start


def timed(commands: dict[str, list[str]]) -> dict[str, list[float]]:
    """RUNS wall times of each command (after a warm-up run of each), taken in turns.

    In turns, not one command RUNS times and then the next: this machine has slow spells that
    last seconds (`import sqlmodel` alone varies from 430 to 740 ms), and a floor measured in
    a quiet spell against a figure measured in a slow one says nothing. The minimum, not the
    median: the noise only ever adds time.
    """
    for args in commands.values():
        one(args)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, args in commands.items():
            samples[name].append(one(args))
    return samples


def main() -> None:
    from bytecode import compile_package  # beside this script, as `python benchmarks/...` runs it

    compile_package()
    py = sys.executable
    smr = [py, "-m", "smr_register"]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.sqlite")
        subprocess.run([*smr, "--db", db, "init"], capture_output=True, check=True)
        subprocess.run([*smr, "--db", db, "coach", "add", "--reg-no", "1", "--last-name", "Berg",
                        "--registered", "01-01-2024"], capture_output=True, check=True)
        samples = timed({"bare": [py, "-c", "pass"], "sqlmodel": [py, "-c", "import sqlmodel"],
                         "frozen": [py, "-c", "import sqlmodel, gc; gc.freeze()"],
                         "help": [*smr, "--help"], "version": [*smr, "--version"],
                         "list": [*smr, "--db", db, "coach", "list", "--format", "json"]})
    best = {name: min(times) for name, times in samples.items()}
    bare, sqlmodel, help_time, version, db_command = (
        best["bare"], best["sqlmodel"], best["help"], best["version"], best["list"])
    # The same difference taken within each turn: a second view of the noise.
    differences = sorted(b - a for a, b in zip(samples["sqlmodel"], samples["list"], strict=True))
    print(f"floor  python -c pass            {bare * 1000:7.1f} ms")
    print(f"floor  python -c 'import sqlmodel' {sqlmodel * 1000:5.1f} ms")
    print(f"ours   smr --help                {help_time * 1000:7.1f} ms  "
          f"ratio {help_time / bare:5.1f}x  (target <= 10x)")
    print(f"ours   smr --version             {version * 1000:7.1f} ms  "
          f"ratio {version / bare:5.1f}x  (target <= 10x)")
    print(f"ours   smr coach list -f json    {db_command * 1000:7.1f} ms  "
          f"over sqlmodel {(db_command - sqlmodel) * 1000:+.1f} ms  (target <= +150 ms; "
          f"within a turn: median {statistics.median(differences) * 1000:+.0f} ms)")
    print(f"       the same over 'import sqlmodel' frozen at exit as smr is "
          f"({best['frozen'] * 1000:.1f} ms): {(db_command - best['frozen']) * 1000:+.1f} ms")


if __name__ == "__main__":
    main()
