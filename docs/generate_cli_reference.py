"""Write docs/cli.md from the command tree itself, so the reference cannot drift from the code.

Run: python docs/generate_cli_reference.py   (tests/test_docs.py fails when docs/cli.md is stale)
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HEADER = """# smr command reference

Generated from the code by `python docs/generate_cli_reference.py`; do not edit by hand.
Global options (before the command): `--db PATH|URL` (env `SMR_DB`), `--rules FILE`
(env `SMR_RULES`), `--actor NAME` (env `SMR_ACTOR`), `--lang nl|en` (env `SMR_LANG`),
`--no-pager` (env `SMR_PAGER`, `PAGER`), `--version`.
"""


def walk(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
    """Every leaf command, loading lazy groups through the group's own get_command."""
    if not hasattr(command, "list_commands"):
        yield path, command
        return
    ctx = command.context_class(command, info_name=path[-1])
    for name in sorted(command.list_commands(ctx)):
        yield from walk(command.get_command(ctx, name), [*path, name])


def describe(param: Any) -> str:
    names = " / ".join(f"`{opt}`" for opt in param.opts) if param.param_type_name == "option" \
        else f"`{(param.name or '').upper()}`"
    help_text = " ".join((getattr(param, "help", None) or "").split())
    choices = getattr(getattr(param, "type_descriptor", None), "choices", None)
    if choices:  # an Enum, or a Literal of some members of one (the --format subsets)
        help_text += " One of: " + ", ".join(
            f"`{c.value if isinstance(c, enum.Enum) else c}`" for c in choices) + "."
    envvar = getattr(param, "envvar", None)
    if envvar:
        help_text += f" (env `{envvar}`)"
    required = " (required)" if param.required else ""
    return f"- {names}{required}: {help_text}".rstrip(": ")


def reference() -> str:
    import typer

    from smr_register.cli import app

    root = typer.main.get_command(app)
    parts = [HEADER]
    for path, command in walk(root, ["smr"]):
        parts.append(f"\n## {' '.join(path)}\n")
        parts.append(" ".join((command.help or "").split()) + "\n")
        params = [p for p in command.params if p.name not in ("help",)]
        group_params = []
        parent = root
        for name in path[1:-1]:
            parent = parent.get_command(parent.context_class(parent), name)
            group_params += [p for p in parent.params if p.param_type_name == "argument"]
        shown = [*group_params, *params]
        if shown:
            parts.append("\n" + "\n".join(describe(p) for p in shown) + "\n")
    return "".join(parts)


def commands() -> list[str]:
    import typer

    from smr_register.cli import app

    return [" ".join(path) for path, _ in walk(typer.main.get_command(app), ["smr"])]


def readme_with_columns(readme: str) -> str:
    """The README with its import-columns section drawn from the importers' own list."""
    from smr_register.render.columns import README_END, README_START, columns_markdown

    start, end = readme.index(README_START), readme.index(README_END) + len(README_END)
    return readme[:start] + columns_markdown() + readme[end:]


if __name__ == "__main__":
    target = Path(__file__).with_name("cli.md")
    target.write_text(reference(), encoding="utf-8")
    sys.stderr.write(f"wrote {target}\n")
    readme = Path(__file__).resolve().parents[1] / "README.md"
    readme.write_text(readme_with_columns(readme.read_text(encoding="utf-8")), encoding="utf-8")
    sys.stderr.write(f"wrote the import columns in {readme}\n")
