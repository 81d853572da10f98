"""The tables are defined per feature module, when first named: a command builds only the
tables it uses, and what needs them all asks for all."""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module

import pytest

from smr_register.store import models


def test_every_name_the_package_hands_out_is_in_the_module_it_names() -> None:
    for module, names in models._MODULES.items():
        defined = import_module(f"smr_register.store.models.{module}")
        for name in names:
            assert getattr(models, name) is getattr(defined, name), name
    reexported = {"CoachState", "CreditSource", "Education", "Profile", "load_all", "tables"}
    assert sorted(models.__all__) == sorted(reexported | set(models._MODULE_OF))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Coaches'"):
        models.Coaches  # noqa: B018


def test_naming_one_table_defines_its_module_only_and_load_all_defines_every_table() -> None:
    script = (
        "from sqlmodel import SQLModel\n"
        "from smr_register.store.models import Coach, load_all\n"
        "print(sorted(SQLModel.metadata.tables))\n"
        "load_all()\n"
        "print(len(SQLModel.metadata.tables))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    first, everything = done.stdout.splitlines()
    assert first == str(["coach", "coach_state", "registration_period"])
    assert int(everything) == len(models.tables()) == 20
