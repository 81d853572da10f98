"""Start-up time of `smr`, against floors measured in the same run.

Targets: `smr --help` and `smr --version` within 10x `python -c pass`; a database
command within `python -c "import sqlmodel"` + 150 ms. Run: python benchmarks/bench_startup.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 15


def timed(args: list[str]) -> float:
    """Best wall time of `args` over RUNS runs (after a warm-up run).

    The minimum, not the median: on a shared 2-core machine the noise only ever adds time, and
    floor and figure are measured the same way in the same run.
    """
    subprocess.run(args, capture_output=True, check=False)
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        samples.append(time.perf_counter() - start)
    return min(samples)


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
        bare = timed([py, "-c", "pass"])
        sqlmodel = timed([py, "-c", "import sqlmodel"])
        help_time = timed([*smr, "--help"])
        version = timed([*smr, "--version"])
        db_command = timed([*smr, "--db", db, "coach", "list", "--format", "json"])
    print(f"floor  python -c pass            {bare * 1000:7.1f} ms")
    print(f"floor  python -c 'import sqlmodel' {sqlmodel * 1000:5.1f} ms")
    print(f"ours   smr --help                {help_time * 1000:7.1f} ms  "
          f"ratio {help_time / bare:5.1f}x  (target <= 10x)")
    print(f"ours   smr --version             {version * 1000:7.1f} ms  "
          f"ratio {version / bare:5.1f}x  (target <= 10x)")
    print(f"ours   smr coach list -f json    {db_command * 1000:7.1f} ms  "
          f"over sqlmodel {(db_command - sqlmodel) * 1000:+.1f} ms  (target <= +150 ms)")


if __name__ == "__main__":
    main()
