"""Shell completion at the root: the scripts for bash, zsh and fish, their installation, and
the protocol the scripts speak (`_SMR_COMPLETE=complete_bash ...`) answering with commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smr_register.cli import app
from smr_register.errors import ExitCode

SMR = Path(sys.executable).with_name("smr")


def smr(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `smr`, as a shell calls it."""
    return subprocess.run([str(SMR), *args], capture_output=True, text=True, check=False,
                          env={**os.environ, **(env or {})}, timeout=60)


@pytest.mark.parametrize(("shell", "marker"), [
    ("bash", "complete -o default -F _smr_completion smr"),
    ("zsh", "compdef _smr_completion smr"),
    ("fish", "complete --command smr"),
])
def test_show_completion_prints_the_script_of_each_shell(shell: str, marker: str) -> None:
    result = CliRunner().invoke(app, ["--show-completion", shell], catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    assert marker in result.stdout
    assert f"_SMR_COMPLETE=complete_{shell}" in result.stdout


def test_an_unknown_shell_is_refused_with_the_choices() -> None:
    result = CliRunner().invoke(app, ["--show-completion", "tcsh"])
    assert result.exit_code == ExitCode.USAGE
    assert "bash" in result.stderr and "fish" in result.stderr


def test_without_a_shell_the_current_one_is_meant(monkeypatch: pytest.MonkeyPatch) -> None:
    import shellingham

    monkeypatch.setattr(shellingham, "detect_shell", lambda: ("zsh", "/bin/zsh"))
    result = CliRunner().invoke(app, ["--show-completion"], catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    assert "compdef _smr_completion smr" in result.stdout


@pytest.mark.parametrize(("shell", "written"), [
    ("bash", ".bash_completions/smr.sh"), ("zsh", ".zfunc/_smr"),
    ("fish", ".config/fish/completions/smr.fish"),
])
def test_install_completion_writes_the_script(tmp_path: Path, shell: str, written: str) -> None:
    result = smr("--install-completion", shell, env={"HOME": str(tmp_path)})
    assert result.returncode == ExitCode.OK, result.stderr
    assert "_SMR_COMPLETE" in (tmp_path / written).read_text(encoding="utf-8")
    assert written.split("/")[-1] in result.stderr


def test_bash_protocol_answers_with_commands() -> None:
    result = smr(env={"_SMR_COMPLETE": "complete_bash", "COMP_WORDS": "smr coach pro",
                      "COMP_CWORD": "2"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["profile"]
    top = smr(env={"_SMR_COMPLETE": "complete_bash", "COMP_WORDS": "smr ", "COMP_CWORD": "1"})
    assert {"coach", "audit", "import", "report"} <= set(top.stdout.split())


def test_zsh_and_fish_protocols_answer_with_commands() -> None:
    zsh = smr(env={"_SMR_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "smr coach a"})
    assert zsh.returncode == 0, zsh.stderr
    assert '"add"' in zsh.stdout
    fish = smr(env={"_SMR_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION": "get-args",
                    "_TYPER_COMPLETE_ARGS": "smr au"})
    assert fish.returncode == 0, fish.stderr
    assert fish.stdout.startswith("audit")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_script_completes_in_bash() -> None:
    script = smr("--show-completion", "bash").stdout
    program = (f"{script}\nCOMP_WORDS=(smr coach pro); COMP_CWORD=2; _smr_completion smr; "
               'echo "${COMPREPLY[@]}"')
    env = {**os.environ, "PATH": f"{SMR.parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True,
                          env=env, check=False, timeout=60)
    assert done.stdout.split() == ["profile"], done.stderr
