"""Time and peak memory of a child process, measured from a small process.

Linux hands a process's peak RSS down to every program it starts: at exec the kernel keeps the
larger of the new program's peak and that of the memory it replaces (exec_mmap), which under
fork or vfork is the parent's. A benchmark that built a register of a million credits in its own
memory and then started `smr` reported its own size as smr's (214 MiB for an audit that peaks at
100). So the measured program is started by a launcher, a fresh `python -c` a few MB large, that
waits for it and reports its rusage.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_LAUNCHER = r"""
import json, os, subprocess, sys, time
out, env_json, args = sys.argv[1], sys.argv[2], sys.argv[3:]
env = {**os.environ, **json.loads(env_json)}
with open(out if out else os.devnull, "wb") as sink:
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=sink, stderr=subprocess.PIPE, env=env)
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
sys.stderr.buffer.write(errors)
print(json.dumps([seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]))
"""


def run(args: list[str], stdout: Path | None = None,
        env: dict[str, str] | None = None) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in MiB, exit code, stderr) of `args`, its stdout to `stdout` (None:
    discarded) and `env` added to the environment."""
    done = subprocess.run([sys.executable, "-c", _LAUNCHER, str(stdout or ""),
                           json.dumps(env or {}), *args], capture_output=True, text=True,
                          check=True)
    seconds, peak_kib, code = json.loads(done.stdout)
    return seconds, peak_kib / 1024, code, done.stderr
