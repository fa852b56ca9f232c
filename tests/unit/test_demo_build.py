"""The demo school is written in batches of multi-row inserts, from one set of name locales."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from sendesk import demo
from sendesk.vault import Vault
from tests.conftest import DEMO_TODAY, PASSPHRASE


@pytest.fixture
def inserts() -> Iterator[list[str]]:
    seen: list[str] = []

    def capture(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if sql.lstrip().upper().startswith("INSERT"):
            seen.append(sql.split("(")[0].split()[-1])

    event.listen(Engine, "before_cursor_execute", capture)
    yield seen
    event.remove(Engine, "before_cursor_execute", capture)


# Columns that hold the moment a row was written, which two builds never share.
WRITTEN_AT = {"created_at"}


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the audit log (its times differ), in id order, without the
    moments rows were written."""
    with Vault.open(path, PASSPHRASE) as vault, vault.engine.connect() as conn:
        names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
        found = {}
        for (table,) in names.all():
            if table in ("audit_event", "meta", "school_settings"):
                continue
            result = conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1")
            keep = [
                i for i, c in enumerate(result.keys()) if c not in WRITTEN_AT or table == "pupil"
            ]
            found[table] = [tuple(r[i] for i in keep) for r in result]
        return found


def test_one_insert_per_table_and_batch_not_per_row(tmp_path: Path, inserts: list[str]) -> None:
    demo.build(tmp_path / "a.sendesk", PASSPHRASE, 300, seed=2, today=DEMO_TODAY).close()
    tables = set(inserts)
    assert {"pupil", "cycle", "provision_session", "meeting"} <= tables
    # One batch of 300 pupils: each table written once (the file's own rows aside: its audit
    # log, its schema version and the example measures every new file starts with).
    own = {"audit_event", "alembic_version", "assessment_measure"}
    assert max(inserts.count(t) for t in tables - own) == 1


def test_the_school_is_the_same_whatever_the_batch_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inserts: list[str]
) -> None:
    demo.build(tmp_path / "one.sendesk", PASSPHRASE, 90, seed=5, today=DEMO_TODAY).close()
    monkeypatch.setattr(demo, "BATCH_PUPILS", 20)  # rows are written and dropped every 20
    inserts.clear()
    demo.build(tmp_path / "many.sendesk", PASSPHRASE, 90, seed=5, today=DEMO_TODAY).close()
    assert inserts.count("pupil") == 5  # 20+20+20+20+10
    assert snapshot(tmp_path / "one.sendesk") == snapshot(tmp_path / "many.sendesk")


def test_names_come_from_one_faker_for_every_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[object] = []
    real = demo.Faker

    def counting(*args: Any, **kwargs: Any) -> Any:
        made.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(demo, "Faker", counting)
    demo.build(tmp_path / "a.sendesk", PASSPHRASE, 120, seed=3, today=dt.date(2026, 11, 23)).close()
    assert len(made) == 1
