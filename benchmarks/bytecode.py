"""Compiled bytecode for the package before anything is timed, as an installed `smr` has it.

`pip install` writes the `.pyc` files of a package; an editable install writes them on the
first run, unless `PYTHONDONTWRITEBYTECODE` is set (as it is on some build machines). Then every
`smr` a benchmark starts compiles the package from source again, ~100 ms that no user pays,
and the start-up figures measure the environment instead of the tool.
"""

from __future__ import annotations

import compileall
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "smr_register"


def compile_package() -> None:
    """Write the package's `.pyc` files (py_compile writes them whatever the environment says)."""
    compileall.compile_dir(PACKAGE, quiet=1)
