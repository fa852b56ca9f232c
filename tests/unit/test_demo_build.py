"""The demo school is written in batches of multi-row inserts, from one set of name locales, and
is the school it always was."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from sendesk import cipher, demo, demo_terms
from sendesk.errors import CannotUnlock
from sendesk.services import audit
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
    assert inserts.count("measure_score") > 1  # the scores too, a batch of pupils at a time
    assert snapshot(tmp_path / "one.sendesk") == snapshot(tmp_path / "many.sendesk")


# The school seed 5 and 90 pupils made since its reviews' ratings agree with their decisions, its
# requests carry consent and sign-off, its parents share a concern at Assess, its sessions kept
# to school days (none at a weekend, in a holiday or on a bank holiday): every value of every
# row but the moments they were written and the schema revision.
# A deliberate change to the demo's content changes it.
SEED_5_DIGEST = "28caf60893a338fd"
SEED_5_COUNTS = {
    "assessment_evidence": 47,
    "contact": 90,
    "cycle": 47,
    "measure_score": 180,
    "meeting": 43,
    "note": 36,
    "outcome": 129,
    "provision": 93,
    "provision_session": 1862,
    "pupil": 90,
    "referral": 12,
    "review": 31,
    "strategy": 129,
    "term_attendance": 48,
}


def test_sessions_fall_on_school_weekdays(tmp_path: Path) -> None:
    # The Do wizard shows Monday to Friday only: a session on a Saturday could not be seen or
    # put right, and none is held in August's holiday.
    demo.build(tmp_path / "a.sendesk", PASSPHRASE, 120, seed=2, today=DEMO_TODAY).close()
    rows = _content(tmp_path / "a.sendesk")["provision_session"]  # id, provision_id, held_on…
    dates = [dt.date.fromisoformat(str(row[2])[:10]) for row in rows]
    assert dates and all(d.weekday() < 5 for d in dates)
    assert not any(d.month == 8 for d in dates)
    assert all(demo_terms.is_school_day(d) for d in dates)


def test_reviews_cycles_and_requests_fall_on_school_days(tmp_path: Path) -> None:
    """From the document review: reviews held on Good Friday and on bank holidays, sessions on
    Christmas Day, cycles begun on a Saturday, a request signed off on a Saturday."""
    from sendesk import calendar

    demo.build(tmp_path / "a.sendesk", PASSPHRASE, 150, seed=3, today=DEMO_TODAY).close()
    with Vault.open(tmp_path / "a.sendesk", PASSPHRASE) as vault, vault.reading() as conn:
        days = [
            dt.date.fromisoformat(str(day)[:10])
            for query in (
                "SELECT opened_on FROM cycle",
                "SELECT review_date FROM cycle WHERE review_date IS NOT NULL",
                "SELECT held_on FROM review",
                "SELECT held_on FROM provision_session",
                "SELECT requested_on FROM referral",
                "SELECT signed_off_on FROM referral WHERE signed_off_on IS NOT NULL",
                "SELECT starts_at FROM meeting",
            )
            for (day,) in conn.execute(query).fetchall()
        ]
        held = conn.execute("SELECT held_on FROM review").fetchall()
    assert len(days) > 500 and all(demo_terms.is_school_day(d) for d in days)
    assert not [d for d in days if calendar.bank_holiday(d)]  # by the real calendar, too
    assert held and all(dt.date.fromisoformat(str(h)[:10]) <= DEMO_TODAY for (h,) in held)


def test_the_demo_schools_easter_holiday_is_around_easter() -> None:
    assert [demo_terms.easter_sunday(y) for y in (2025, 2026, 2027)] == [
        dt.date(2025, 4, 20), dt.date(2026, 4, 5), dt.date(2027, 3, 28)
    ]  # fmt: skip
    spring, summer = demo_terms.terms(2026)[3:5]
    assert spring[2] == dt.date(2027, 3, 25) and summer[1] == dt.date(2027, 4, 6)
    assert not demo_terms.is_school_day(dt.date(2027, 3, 26))  # Good Friday
    assert not demo_terms.is_school_day(dt.date(2027, 5, 3))  # the early May bank holiday
    assert demo_terms.school_day_on_or_after(dt.date(2026, 12, 19)) == dt.date(2027, 1, 5)


def _content(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored value of every table but the audit log, the file's own identity and its
    schema revision (a new migration is not new content), without the moments rows were written
    (the demo's pupils carry a fixed one, kept)."""
    with Vault.open(path, PASSPHRASE) as vault, vault.reading() as conn:
        found = {}
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for (table,) in tables.fetchall():
            if table in ("audit_event", "meta", "alembic_version"):
                continue
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")').fetchall()]
            kept = ", ".join(f'"{c}"' for c in columns if c != "created_at" or table == "pupil")
            found[table] = conn.execute(f'SELECT {kept} FROM "{table}" ORDER BY 1').fetchall()
        return found


def test_the_school_is_the_one_it_always_was(tmp_path: Path) -> None:
    demo.build(tmp_path / "a.sendesk", PASSPHRASE, 90, seed=5, today=DEMO_TODAY).close()
    found = _content(tmp_path / "a.sendesk")
    assert {t: len(found[t]) for t in SEED_5_COUNTS} == SEED_5_COUNTS
    digest = hashlib.sha256(repr(sorted(found.items())).encode()).hexdigest()[:16]
    assert digest == SEED_5_DIGEST


def test_a_key_derived_meanwhile_is_the_files_and_is_derived_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    derived: list[bytes] = []
    real = cipher.RawKey.derive.__func__  # type: ignore[attr-defined]

    def counting(cls: type[cipher.RawKey], passphrase: str, salt: bytes) -> cipher.RawKey:
        derived.append(salt)
        return real(cls, passphrase, salt)  # type: ignore[no-any-return]

    monkeypatch.setattr(cipher.RawKey, "derive", classmethod(counting))
    deriving = cipher.KeyInProgress.fresh(PASSPHRASE)
    path = tmp_path / "a.sendesk"
    demo.build(path, PASSPHRASE, 5, seed=1, today=DEMO_TODAY, deriving=deriving).close()
    assert derived == [deriving.salt]  # on its thread, and never again
    assert cipher.read_salt(path) == deriving.salt
    with Vault.open(path, PASSPHRASE) as vault:
        assert vault.verify() == []


def test_a_key_derived_meanwhile_for_another_passphrase_is_not_used(tmp_path: Path) -> None:
    deriving = cipher.KeyInProgress.fresh("some other passphrase entirely")
    path = tmp_path / "a.sendesk"
    demo.build(path, PASSPHRASE, 5, seed=1, today=DEMO_TODAY, deriving=deriving).close()
    Vault.open(path, PASSPHRASE).close()
    with pytest.raises(CannotUnlock):
        Vault.open(path, "some other passphrase entirely").close()


def test_the_school_is_written_in_the_transaction_that_makes_the_file(tmp_path: Path) -> None:
    commits: list[object] = []

    def count(conn: object) -> None:
        commits.append(conn)

    event.listen(Engine, "commit", count)
    try:
        demo.build(tmp_path / "a.sendesk", PASSPHRASE, 30, seed=2, today=DEMO_TODAY).close()
    finally:
        event.remove(Engine, "commit", count)
    assert len(commits) == 1  # schema, first rows and the whole school: one wait for the disk
    with Vault.open(tmp_path / "a.sendesk", PASSPHRASE) as vault:
        assert vault.verify() == []
        assert [e.action for e in audit.recent(vault.sessions)] == ["demo.built", "file.created"]


def test_a_demo_that_fails_half_way_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(demo.demo_attendance, "add", broken)  # after every pupil is written
    with pytest.raises(RuntimeError, match="disk is full"):
        demo.build(tmp_path / "a.sendesk", PASSPHRASE, 30, seed=2, today=DEMO_TODAY)
    assert list(tmp_path.iterdir()) == []
