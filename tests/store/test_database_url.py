"""`--db` as a URL: the forms people write, and a password that is never printed."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from smr_register import db
from smr_register.cli import app
from smr_register.errors import ExitCode
from tests.fixtures.registers import ON_POSTGRESQL, Register, Registers, shown_as


@pytest.mark.parametrize(("given", "meant"), [
    ("postgresql://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
    ("postgres://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
    ("PostgreSQL://u@h/d", "postgresql+psycopg://u@h/d"),
    ("postgresql+psycopg://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
    ("postgresql+psycopg2://u:p@h/d", "postgresql+psycopg2://u:p@h/d"),
    ("sqlite:////srv/register.sqlite", "sqlite:////srv/register.sqlite"),
])
def test_postgresql_urls_mean_psycopg_3(given: str, meant: str) -> None:
    assert db.database_url(given) == meant


def test_a_path_means_a_sqlite_file(tmp_path: os.PathLike[str]) -> None:
    assert db.database_url(f"{tmp_path}/r.sqlite") == f"sqlite:///{tmp_path}/r.sqlite"


@pytest.mark.parametrize(("given", "shown"), [
    ("postgresql://smr:geheim@db.kabiz.nl:5432/smr", "postgresql://smr:***@db.kabiz.nl:5432/smr"),
    ("postgres://smr:g%40h@db/smr?sslmode=require", "postgres://smr:***@db/smr?sslmode=require"),
    ("postgresql://smr@db/smr", "postgresql://smr@db/smr"),
    ("register.sqlite", "register.sqlite"),
    ("weird+://smr:geheim@db/smr", "weird+://smr:***@db/smr"),
])
def test_messages_show_the_url_without_its_password(given: str, shown: str) -> None:
    assert db.display_url(given) == shown


@pytest.mark.parametrize("url", [
    "postgresql://smr:geheim-wachtwoord@127.0.0.1:1/smr",
    "postgres://smr:geheim-wachtwoord@127.0.0.1:1/smr",
    "postgresql+nosuchdriver://smr:geheim-wachtwoord@127.0.0.1:1/smr",
])
@pytest.mark.parametrize("command", [["coach", "list"], ["db", "status"], ["db", "upgrade"],
                                     ["init"]])
def test_an_unreachable_server_is_exit_5_without_the_password(url: str,
                                                              command: list[str]) -> None:
    result = CliRunner().invoke(app, ["--db", url, *command])
    assert result.exit_code == ExitCode.DATABASE, result.output
    assert "geheim-wachtwoord" not in result.output
    assert "Traceback" not in result.output


def _password_of(register: Register) -> str | None:
    from sqlalchemy.engine import make_url

    return make_url(str(register)).password if isinstance(register, str) else None


def _no_password(register: Register, *outputs: str) -> None:
    password = _password_of(register)
    for text in outputs:
        assert shown_as(register) in text
        assert not password or f":{password}@" not in text


def test_every_message_naming_the_register_hides_the_password(registers: Registers) -> None:
    register, runner = registers.new("messages"), CliRunner()
    invoke = lambda *args: runner.invoke(app, ["--db", str(register), *args])  # noqa: E731

    not_yet = invoke("coach", "list")
    assert not_yet.exit_code == ExitCode.DATABASE
    if ON_POSTGRESQL:  # a SQLite file that does not exist is named as a path (no URL)
        assert "is not an initialised register" in not_yet.stderr
        _no_password(register, not_yet.stderr)
    upgraded = invoke("db", "upgrade")
    status = invoke("db", "status")
    again = invoke("init", "--demo")
    assert (upgraded.exit_code, status.exit_code, again.exit_code) == (
        ExitCode.OK, ExitCode.OK, ExitCode.REGISTER)
    _no_password(register, upgraded.stderr, status.stdout, again.stderr)
    demo = registers.new("demo-messages")
    built = runner.invoke(app, ["--db", str(demo), "init", "--demo"])
    assert built.exit_code == ExitCode.OK
    _no_password(demo, built.stderr)
    assert f"Built the demo register at {shown_as(demo)}: " in built.stderr


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs SMR_TEST_DATABASE_URL (PostgreSQL)")
def test_the_password_may_come_from_pgpassword(db_path: Register,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(str(db_path))
    if url.password is None:
        pytest.skip("SMR_TEST_DATABASE_URL holds no password to move into PGPASSWORD")
    monkeypatch.setenv("PGPASSWORD", str(url.password))
    bare = url._replace(drivername="postgresql", password=None).render_as_string()
    result = CliRunner().invoke(app, ["--db", bare, "coach", "list", "-f", "json"])
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout.strip() == "[]"
