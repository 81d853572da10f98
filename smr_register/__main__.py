"""`python -m smr_register` and the `smr` script: start the CLI, quietly even on an early Ctrl-C.

Importing the CLI (Typer, Rich) takes a noticeable moment; a Ctrl-C in it would print an import
traceback, so the import itself runs under the same handling as the command. After a Ctrl-C the
process ends with `os._exit` once its output is flushed: CPython remembers a KeyboardInterrupt
that passed through some of its own frames and would otherwise end the process by the signal
(exit -2 to the caller) instead of with the exit code the command chose (130). Even this module's
own first imports are guarded: on a loaded machine a Ctrl-C can arrive while `signal` loads.
"""

from __future__ import annotations

import os
import sys

try:
    import contextlib
    import gc
    import signal
except KeyboardInterrupt:  # before any handler of ours exists
    sys.stderr.write("interrupted: nothing was written\n")
    sys.stderr.flush()
    os._exit(130)

_interrupted_once = False


def _interrupted(_signum: int, _frame: object) -> None:
    """The first Ctrl-C raises KeyboardInterrupt (the command rolls back and says so); any
    later one is ignored, so it cannot cut that clean-up short."""
    global _interrupted_once
    _interrupted_once = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def main() -> None:
    """Import the app and run it; Ctrl-C before the command starts writes nothing."""
    signal.signal(signal.SIGINT, _interrupted)
    try:
        # Importing the CLI makes some 60,000 objects that live as long as the process; the
        # cycle collector would walk them again and again while they are made (about 60 ms)
        # and in every full collection of the command after. Off while they are made, then
        # set aside (frozen): the collector runs as usual on what the command makes.
        gc.disable()
        try:
            from smr_register.cli import main as run
        finally:
            gc.freeze()
            gc.enable()
        run()
        code: int | str | None = 0
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was written\n")
        code = 130
    except SystemExit as done:
        code = done.code
    if not _interrupted_once:
        # The interpreter's shutdown runs full garbage collections over every object the
        # command leaves (SQLAlchemy's, typer's, the tables'): about 150 ms on every run, more
        # than many commands take. By now every database connection is closed (the root
        # group disposes of its engine) and every file the command wrote is closed: freezing
        # the heap leaves only memory, which the process returns as it ends. atexit handlers,
        # the flush of stdout and stderr and the exit code are as usual.
        gc.freeze()
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to keep
            stream.flush()
    os._exit(code if isinstance(code, int) else 1)


if __name__ == "__main__":
    main()
