"""Shared fixtures: an empty record file and a small demo school, built once, copied per test."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sendesk import demo
from sendesk.vault import Vault

PASSPHRASE = "correct horse battery staple"
OTHER_PASSPHRASE = "purple elephants dance at midnight"
SCHOOL = "Oakfield Primary School"
DEMO_TODAY = dt.date(2026, 11, 23)
DEMO_PUPILS = 60


@pytest.fixture
def cli_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line reads the test passphrase from the environment, as a script would."""
    monkeypatch.setenv("SENDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("SENDESK_NEW_PASSPHRASE", raising=False)


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "empty.sendesk"
    Vault.create(path, PASSPHRASE, SCHOOL).close()
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "demo.sendesk"
    demo.build(path, PASSPHRASE, DEMO_PUPILS, seed=7, today=DEMO_TODAY).close()
    return path


@pytest.fixture
def record_file(empty_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of an empty record file, closed."""
    path = tmp_path / "school.sendesk"
    shutil.copyfile(empty_template, path)
    return path


@pytest.fixture
def demo_file(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sendesk"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def vault(record_file: Path) -> Iterator[Vault]:
    with Vault.open(record_file, PASSPHRASE) as opened:
        yield opened


@pytest.fixture
def demo_vault(demo_file: Path) -> Iterator[Vault]:
    with Vault.open(demo_file, PASSPHRASE) as opened:
        yield opened
