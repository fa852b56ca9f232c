"""A new file's schema is made at head from the statements the migrations leave, and is the
schema running every migration makes; a file of another revision still goes through them."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendesk import cipher, schema, schema_head
from sendesk.vault import Vault, _engine
from tests.conftest import PASSPHRASE, SCHOOL


def _constraint_order_free(sql: str) -> str:
    """A CREATE statement with its table constraints sorted: Alembic's batch mode writes a
    rebuilt table's constraints in set order, which differs from one run to the next."""
    lines = sql.split("\n")
    constraints = sorted(
        line.strip().rstrip(",") for line in lines if line.startswith("\tCONSTRAINT")
    )
    rest = [line for line in lines if not line.startswith("\tCONSTRAINT")]
    return "\n".join(rest + constraints)


def _schema(path: Path, key: cipher.RawKey) -> list[tuple[str, str, str, str | None]]:
    conn = cipher.connect(path, key)
    try:
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    finally:
        conn.close()
    assert revision == [(schema.head_revision(),)]
    return [
        (t, n, tbl, None if sql is None else _constraint_order_free(sql)) for t, n, tbl, sql in rows
    ]


@pytest.fixture
def upgrades(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = schema.upgrade

    def counting(connection: object, target: str = "head", **kwargs: object) -> None:
        seen.append(target)
        real(connection, target, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(schema, "upgrade", counting)
    return seen


def test_the_statements_are_those_of_the_head_revision() -> None:
    assert schema.head_revision() == schema_head.REVISION, (
        "a migration was added: run `.venv/bin/python tools/write_schema_head.py`"
    )


def test_a_new_file_has_the_schema_every_migration_makes(
    tmp_path: Path, upgrades: list[str]
) -> None:
    made = tmp_path / "made.sendesk"
    with Vault.create(made, PASSPHRASE, SCHOOL) as vault:
        key = vault._live_key()
        assert vault.verify() == []
    assert upgrades == []  # made at head, without Alembic

    migrated = tmp_path / "migrated.sendesk"
    engine = _engine(migrated, key)
    try:
        with engine.begin() as conn:
            schema.upgrade(conn)
    finally:
        engine.dispose()
    assert upgrades == ["head"]
    ours, theirs = _schema(made, key), _schema(migrated, key)
    assert {t for t, *_ in ours} == {"table", "index", "trigger"}
    assert ours == theirs


def test_statements_of_an_older_head_are_not_used(
    tmp_path: Path, upgrades: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema_head, "REVISION", "0001")  # as if a migration had been added since
    with Vault.create(tmp_path / "a.sendesk", PASSPHRASE, SCHOOL) as vault:
        assert vault.schema_revision() == schema.head_revision()
    assert upgrades == ["head"]


def test_a_file_made_at_head_opens_without_an_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "a.sendesk"
    Vault.create(path, PASSPHRASE, SCHOOL).close()
    with Vault.open(path, PASSPHRASE) as vault:
        assert vault.upgrade is None
        assert vault.verify() == []
