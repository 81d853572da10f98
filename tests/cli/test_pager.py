"""Long tables go through a pager on a terminal, as git's do: only when stdout is a terminal
and the output is taller than the screen; never when piped, never with a machine format, not
with --no-pager. The terminal is a real pseudo-terminal (pty) of a given size."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from typing import Any

import pytest
from typer.testing import CliRunner

from smr_register.cli import app
from smr_register.render import pager

PAGER = "sed s/^/PAGED:/"  # marks every line that went through the pager


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("COLUMNS", "LINES", "PAGER", "SMR_PAGER")}
    return {**env, "TERM": "xterm", **extra}


def on_terminal(args: list[str], env: dict[str, str], rows: int = 24,
                cols: int = 100) -> str:
    """Run `smr args` with stdout, stdin and stderr on a pseudo-terminal of rows x cols."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: size its terminal, then become smr
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execvpe(sys.executable, [sys.executable, "-m", "smr_register", *args], env)
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.waitpid(pid, 0)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", errors="replace")


def piped(args: list[str], env: dict[str, str]) -> str:
    return subprocess.run([sys.executable, "-m", "smr_register", *args], env=env,
                          capture_output=True, text=True, check=False).stdout


def test_a_long_table_on_a_terminal_goes_through_the_pager(demo_db: Any) -> None:
    output = on_terminal(["--db", str(demo_db), "coach", "list"],
                         environment(SMR_PAGER=PAGER))
    assert "PAGED:" in output and "101248" in output
    assert all(line.startswith("PAGED:") for line in output.splitlines() if "101248" in line)


def test_smr_pager_wins_over_pager_and_an_empty_one_means_none(demo_db: Any) -> None:
    args = ["--db", str(demo_db), "coach", "list"]
    assert "SMR:" in on_terminal(args, environment(SMR_PAGER="sed s/^/SMR:/", PAGER=PAGER))
    assert "PAGED:" in on_terminal(args, environment(PAGER=PAGER))
    unpaged = on_terminal(args, environment(SMR_PAGER="", PAGER=PAGER))
    assert "PAGED:" not in unpaged and "101248" in unpaged


def test_no_pager_and_short_output_print_straight_to_the_terminal(demo_db: Any) -> None:
    env = environment(SMR_PAGER=PAGER)
    no_pager = on_terminal(["--db", str(demo_db), "--no-pager", "coach", "list"], env)
    assert "PAGED:" not in no_pager and "101248" in no_pager
    short = on_terminal(["--db", str(demo_db), "agenda", "provider", "list"], env)
    assert "PAGED:" not in short and "Providers" in short
    tall_screen = on_terminal(["--db", str(demo_db), "audit", "--as-of", "01-12-2026",
                               "--status", "at-risk"], env, rows=200)
    assert "PAGED:" not in tall_screen and "at-risk" in tall_screen


def test_never_when_piped_or_with_a_machine_format(demo_db: Any) -> None:
    env = environment(SMR_PAGER=PAGER)
    assert "101248" in (text := piped(["--db", str(demo_db), "coach", "list"], env))
    assert "PAGED:" not in text
    for machine in ("json", "csv"):
        output = on_terminal(["--db", str(demo_db), "coach", "list", "--format", machine], env)
        assert "PAGED:" not in output and "101248" in output


@pytest.mark.parametrize(("terminal", "no_pager", "paged"),
                         [(True, False, True), (False, False, False), (True, True, False)])
def test_the_decision_injected(demo_db: Any, tmp_path: Any, monkeypatch: Any, terminal: bool,
                               no_pager: bool, paged: bool) -> None:
    """The same decision through CliRunner, with the terminal test answered by the test."""
    monkeypatch.setattr(pager, "stdout_is_terminal", lambda: terminal)
    target = tmp_path / "paged.txt"
    args = ["--db", str(demo_db), *(["--no-pager"] if no_pager else []), "coach", "list"]
    result = CliRunner().invoke(app, args, catch_exceptions=False,
                                env={"SMR_PAGER": f"cat > {target}", "LINES": "20"})
    assert result.exit_code == 0
    assert target.exists() == paged
    assert ("101248" in (target.read_text() if paged else result.stdout))
