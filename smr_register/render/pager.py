"""Long output through a pager on a terminal, as git does.

Only the table format pages, only when stdout is a terminal and the output is taller than the
screen; never when piped, never with a machine format (json, csv, xlsx). The pager is
`SMR_PAGER`, else `PAGER`, else `less` (with `LESS=FRX` unless LESS is set: quit when it fits,
keep the colours, leave the text on the screen); an empty value or `cat` means none, and the
root option `--no-pager` turns it off for one command.
"""

from __future__ import annotations

import os
import shutil
import sys

_enabled = True  # set on every invocation by the root callback (cli.py)


def use_pager(enabled: bool) -> None:
    """`--no-pager` (False) or the default (True), for the command being run."""
    global _enabled
    _enabled = enabled


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal a person reads (tests inject the answer here)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def pager_command() -> str | None:
    """The pager to use now, or None: not enabled, not a terminal, or none chosen."""
    if not _enabled or not stdout_is_terminal() or os.environ.get("TERM") == "dumb":
        return None
    command = os.environ.get("SMR_PAGER")
    if command is None:
        command = os.environ.get("PAGER")
    if command is None:
        command = "less" if shutil.which("less") else None
    command = (command or "").strip()
    return None if command in ("", "cat") else command


def show(text: str, command: str, *, height: int) -> None:
    """`text` to stdout, through `command` when it is taller than the screen (`height`)."""
    if text.count("\n") < height:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    import signal
    import subprocess

    sys.stdout.flush()
    env = {**os.environ}
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    # The pager reads the keyboard: Ctrl-C there is for it (less), not a reason to stop us.
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals stay as they are
        previous = None
    try:
        # a shell runs the user's own pager command (it may carry options), as git does
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
        assert pager.stdin is not None
        try:
            pager.stdin.write(text.encode("utf-8", errors="replace"))
            pager.stdin.close()
        except BrokenPipeError:  # the reader quit the pager before the end
            pass
        pager.wait()
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
