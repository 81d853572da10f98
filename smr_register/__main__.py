"""`python -m smr_register` and the `smr` script: start the CLI, quietly even on an early Ctrl-C.

Importing the CLI (Typer, Rich) takes a noticeable moment; a Ctrl-C in it would print an import
traceback, so the import itself runs under the same handling as the command.
"""

from __future__ import annotations

import signal
import sys


def _interrupted(_signum: int, _frame: object) -> None:
    """The first Ctrl-C raises KeyboardInterrupt (the command rolls back and says so); any
    later one is ignored, so it cannot cut that clean-up short."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def main() -> None:
    """Import the app and run it; Ctrl-C before the command starts writes nothing."""
    signal.signal(signal.SIGINT, _interrupted)
    try:
        from smr_register.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was written\n")
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
