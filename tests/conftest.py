"""Shared fixtures: an empty record file and a small demo school, built once, copied per test.

`vault` and `demo_vault` run each service test twice: on a record file and on the team server
(a fresh database cloned from a template on the private PostgreSQL server `./dev test` starts).
A test about the file itself says so with `@pytest.mark.file_only`; the app's tests (tests/ui)
and the tests that open files by path are file-only by nature.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sendesk import demo
from sendesk.records import Records
from sendesk.vault import Vault

PASSPHRASE = "correct horse battery staple"
OTHER_PASSPHRASE = "purple elephants dance at midnight"
SCHOOL = "Oakfield Primary School"
DEMO_TODAY = dt.date(2026, 11, 23)
DEMO_PUPILS = 60


@pytest.fixture(autouse=True, scope="session")
def own_state_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The run's logs and notes (crash logs, the folders being written to) go to a folder of its
    own, never the user's; the commands the tests start inherit it."""
    saved = {name: os.environ.get(name) for name in ("XDG_STATE_HOME", "LOCALAPPDATA")}
    state = tmp_path_factory.mktemp("state")
    os.environ["XDG_STATE_HOME"] = str(state)
    os.environ["LOCALAPPDATA"] = str(state)  # Windows keeps logs there
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


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


BACKENDS = ["file", pytest.param("server", marks=pytest.mark.server)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def vault(backend: str, request: pytest.FixtureRequest) -> Iterator[Records]:
    """The records a service test works on: an empty file, or an empty server database."""
    if backend == "file":
        with Vault.open(request.getfixturevalue("record_file"), PASSPHRASE) as opened:
            yield opened
        return
    server = request.getfixturevalue("server_templates")
    with server.clone("empty") as opened:
        yield opened


def a_day_in_a_week_with_reviews(records: Records) -> dt.date:
    """A day in the first week from DEMO_TODAY in which the demo school has a planned review
    meeting (which week that is changes with the demo's content)."""
    from sendesk.services import documents

    for weeks in range(12):
        day = DEMO_TODAY + dt.timedelta(weeks=weeks)
        if documents.pupils_with_reviews(records.sessions, day):
            return day
    raise AssertionError("the demo school has no review meeting in the twelve weeks from today")


@pytest.fixture
def demo_vault(backend: str, request: pytest.FixtureRequest) -> Iterator[Records]:
    """The small demo school, in a file or on the server."""
    if backend == "file":
        with Vault.open(request.getfixturevalue("demo_file"), PASSPHRASE) as opened:
            yield opened
        return
    server = request.getfixturevalue("server_templates")
    with server.clone("demo") as opened:
        yield opened


# Modules about the record file itself (its encryption, backups, faults, upgrades, the command
# line on files): their tests have no server variant. The app's tests are file-only too.
FILE_ONLY = (
    "tests/ui/",
    "tests/unit/test_backup.py",
    "tests/unit/test_demo.py",  # the demo builds a file; the server variants import it
    "tests/unit/test_faults.py",
    "tests/unit/test_migrations.py",
    "tests/unit/test_no_plaintext.py",
    "tests/unit/test_query_plans.py",  # reads SQLite's EXPLAIN QUERY PLAN
    "tests/unit/test_restore.py",
    "tests/unit/test_transfer.py",  # a transfer is a record file sent between schools' files
    "tests/unit/test_vault.py",
)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups off the markers set here
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the server variant only of tests that can have one."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_server = callspec is not None and callspec.params.get("backend") == "server"
        file_only = item.get_closest_marker("file_only") is not None or any(
            item.nodeid.startswith(prefix) for prefix in FILE_ONLY
        )
        (drop if on_server and file_only else keep).append(item)
        if on_server or item.nodeid.startswith("tests/server/"):
            # Logins are the whole PostgreSQL server's, not one database's: every test on the
            # private server runs on one xdist worker (--dist loadgroup), the rest on the others.
            item.add_marker(pytest.mark.xdist_group("server"))
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


pytest_plugins = ["tests.server.templates"]
