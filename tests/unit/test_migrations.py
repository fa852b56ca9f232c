"""Migrations match the models; an older file is backed up, then upgraded with its data intact."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import CheckConstraint, Connection, create_engine, inspect, text

from sendesk import backup, cipher, schema
from sendesk.measure_models import EXAMPLES
from sendesk.models import Base
from sendesk.services import attendance, cycles, files, measures, pupils
from sendesk.vault import Vault, _engine
from tests.conftest import PASSPHRASE


def test_a_new_file_is_at_head_and_matches_the_models(vault: Vault) -> None:
    assert vault.schema_revision() == schema.head_revision()
    with vault.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_every_revision_downgrades_and_upgrades_again(tmp_path: Path) -> None:
    key = cipher.RawKey.fresh(PASSPHRASE)
    engine = _engine(tmp_path / "scratch.sendesk", key, foreign_keys=False)
    try:
        with engine.begin() as conn:
            schema.upgrade(conn)
        config = schema.alembic_config()
        from alembic import command

        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
            assert set(inspect(conn).get_table_names()) == {"alembic_version"}
            command.upgrade(config, "head")
            assert "pupil" in inspect(conn).get_table_names()
    finally:
        engine.dispose()


FUTURE_REVISION = '''
"""a test revision that rebuilds the pupil table, as a real column change would"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pupil", recreate="always") as batch:
        batch.add_column(sa.Column("nickname", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pupil") as batch:
        batch.drop_column("nickname")
'''


@pytest.fixture
def future_migrations(tmp_path: Path) -> Path:
    """This app's migrations plus one newer revision: today's head becomes an 'old' file."""
    folder = tmp_path / "future_migrations"
    shutil.copytree(
        schema.DEFAULT_SCRIPT_LOCATION, folder, ignore=shutil.ignore_patterns("__pycache__")
    )
    (folder / "versions" / "9999_future.py").write_text(
        FUTURE_REVISION.format(head=schema.head_revision()), encoding="utf-8"
    )
    return folder


def test_an_older_file_is_backed_up_then_upgraded_with_its_data_intact(
    demo_file: Path, future_migrations: Path
) -> None:
    with Vault.open(demo_file, PASSPHRASE) as before:
        counts_before = files.info(before).counts
        register_before = pupils.list_register(before.sessions)
    old_revision = schema.head_revision()

    with Vault.open(demo_file, PASSPHRASE, script_location=future_migrations) as upgraded:
        assert upgraded.upgrade is not None
        assert upgraded.upgrade.from_revision == old_revision
        assert upgraded.schema_revision() == "9999"
        # Rebuilding the pupil table must not cascade into its children.
        assert files.info(upgraded).counts == counts_before | {
            "audit_event": counts_before["audit_event"] + 1
        }
        assert pupils.list_register(upgraded.sessions) == register_before
        with upgraded.engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("pupil")}
        assert "nickname" in columns
        assert upgraded.verify() == []
        saved = upgraded.upgrade.backup

    assert saved in backup.automatic_backups(demo_file)
    with Vault.open(saved, PASSPHRASE) as copy:  # the backup is the file as it was
        assert copy.schema_revision() == old_revision
        assert files.info(copy).counts == counts_before


def test_a_failing_upgrade_leaves_the_file_as_it_was(
    demo_file: Path, future_migrations: Path
) -> None:
    broken = future_migrations / "versions" / "9999_future.py"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace(
            'batch.add_column(sa.Column("nickname", sa.String(40), nullable=True))',
            'batch.add_column(sa.Column("nickname", sa.String(40), nullable=True))\n'
            '    op.execute("INSERT INTO contact (pupil_id, name, parental_responsibility) '
            "VALUES (999999, 'orphan', 0)\")",
        ),
        encoding="utf-8",
    )
    from sendesk.errors import DamagedFile

    with pytest.raises(DamagedFile, match="not changed"):
        Vault.open(demo_file, PASSPHRASE, script_location=future_migrations)
    with Vault.open(demo_file, PASSPHRASE) as still_old:
        assert still_old.schema_revision() == schema.head_revision()
        with still_old.engine.connect() as conn:
            assert (
                conn.execute(text("SELECT count(*) FROM contact WHERE name = 'orphan'")).scalar()
                == 0
            )


# --- each revision upgrades a real file of the revision before ---------------------------------

REVISION_0001_ROWS = (
    "INSERT INTO meta (id, file_id, school_name, created_at, app_version) "
    "VALUES (1, 'f-0001', 'Oakfield Primary School', '2026-11-23 09:00:00', '0.1.0')",
    "INSERT INTO school_settings (id, sen_threshold_pence, staff_hourly_rate_pence, "
    "idle_lock_minutes, calendar_detail) VALUES (1, 600000, 1800, 5, 'initials_kind')",
    "INSERT INTO pupil (id, uuid, legal_surname, legal_forename, preferred_surname, sen_status, "
    "primary_need, strengths, search_text, created_at, updated_at) VALUES (1, 'u-1', 'Smith', "
    "'Jayden', 'Okoro', 'K', 'SLCN', 'Chess', 'smith jayden okoro', "
    "'2026-11-23 09:00:00', '2026-11-23 09:00:00')",
    "INSERT INTO contact (id, pupil_id, name, parental_responsibility, phone) "
    "VALUES (1, 1, 'Ada Okoro', 1, '01234 567890')",
    "INSERT INTO note (id, pupil_id, noted_on, kind, text, created_at) "
    "VALUES (1, 1, '2026-11-20', 'concern', 'Finds group work hard', '2026-11-20 10:00:00')",
    "INSERT INTO cycle (id, pupil_id, number, stage, opened_on) "
    "VALUES (1, 1, 1, 'plan', '2026-11-01')",
    "INSERT INTO outcome (id, cycle_id, position, description) "
    "VALUES (1, 1, 0, 'Takes turns in a group of four')",
    "INSERT INTO provision (id, cycle_id, description, group_size, sessions_per_week, "
    "minutes_per_session, weeks) VALUES (1, 1, 'Talk group', 4, 2.0, 20, 10)",
    "INSERT INTO meeting (id, pupil_id, kind, starts_at, duration_minutes, status) "
    "VALUES (1, 1, 'sen_review', '2027-01-14 15:30:00', 30, 'planned')",
    "INSERT INTO audit_event (at, action, summary) "
    "VALUES ('2026-11-23 09:00:00', 'file.created', 'Record file created')",
)


@pytest.fixture
def file_at_0001(tmp_path: Path) -> Path:
    """A record file as SENDesk at revision 0001 wrote it, with a pupil and their records."""
    path = tmp_path / "old.sendesk"
    old_file(path, "0001")
    return path


def old_file(
    path: Path, revision: str, *more: str, read: tuple[str, ...] = ()
) -> dict[str, list[tuple[object, ...]]]:
    """A record file as SENDesk at `revision` wrote it, with a pupil and their records and the
    `more` rows; the rows of the `read` tables as they were written."""
    engine = _engine(path, cipher.RawKey.fresh(PASSPHRASE))
    try:
        with engine.begin() as conn:
            schema.upgrade(conn, target=revision)
            for statement in (*REVISION_0001_ROWS, *more):
                conn.execute(text(statement))
        with engine.connect() as conn:
            return {t: list(map(tuple, conn.execute(text(f"SELECT * FROM {t}")))) for t in read}
    finally:
        engine.dispose()


def _rows(vault: Vault) -> dict[str, list[tuple[object, ...]]]:
    tables = ("pupil", "contact", "note", "cycle", "outcome", "provision", "meeting")
    with vault.engine.connect() as conn:
        return {t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t}"))] for t in tables}


def test_a_file_at_revision_0001_is_backed_up_then_upgraded_with_its_data_intact(
    file_at_0001: Path,
) -> None:
    with Vault.open(file_at_0001, PASSPHRASE) as upgraded:
        assert upgraded.upgrade is not None
        assert upgraded.upgrade.from_revision == "0001"
        assert upgraded.schema_revision() == schema.head_revision()
        assert upgraded.verify() == []
        details = pupils.details(upgraded.sessions, 1)
        assert (details.legal_surname, details.preferred_surname, details.strengths) == (
            "Smith",
            "Okoro",
            "Chess",
        )
        assert details.version == 1  # rows already in the file start at version 1
        rows = _rows(upgraded)
        assert {t: len(r) for t, r in rows.items()} == dict.fromkeys(rows, 1)
        assert rows["contact"][0][:2] == (1, 1)
        # The upgraded pupil can be edited, and the edit is counted.
        saved = pupils.update(upgraded.sessions, 1, replace(details, what_helps="A quiet room"))
        assert saved.version == 2
        saved_copy = upgraded.upgrade.backup

    assert saved_copy in backup.automatic_backups(file_at_0001)
    # The backup is the file as it was, read without upgrading it.
    key = cipher.RawKey.derive(PASSPHRASE, cipher.read_salt(saved_copy))
    engine = _engine(saved_copy, key)
    try:
        with engine.connect() as conn:
            assert schema.current_revision(conn) == "0001"
            assert conn.execute(text("SELECT strengths FROM pupil")).scalar() == "Chess"
            columns = {c["name"] for c in inspect(conn).get_columns("pupil")}
            assert "version" not in columns
    finally:
        engine.dispose()


def audit_actions(vault: Vault) -> list[str]:
    with vault.engine.connect() as conn:
        return list(conn.execute(text("SELECT action FROM audit_event ORDER BY id")).scalars())


def test_a_file_made_before_measures_is_upgraded_with_the_example_measures_once(
    file_at_0001: Path,
) -> None:
    with Vault.open(file_at_0001, PASSPHRASE) as upgraded:
        names = [m.details.name for m in measures.list_measures(upgraded.sessions)]
        audit = audit_actions(upgraded)
    assert sorted(names) == sorted(name for name, *_ in EXAMPLES)
    assert audit.count("measure.add") == 1
    with Vault.open(file_at_0001, PASSPHRASE) as again:  # opening again adds no second set
        assert len(measures.list_measures(again.sessions, include_retired=True)) == len(EXAMPLES)


def test_an_upgrade_never_touches_a_schools_own_measures(
    demo_file: Path, future_migrations: Path
) -> None:
    with Vault.open(demo_file, PASSPHRASE) as before:
        for m in measures.list_measures(before.sessions):
            measures.set_retired(before.sessions, m.id)  # the school retired every example
        measures.add(before.sessions, measures.MeasureDetails("Phonics check", "marks"))
        own = measures.list_measures(before.sessions, include_retired=True)

    with Vault.open(demo_file, PASSPHRASE, script_location=future_migrations) as upgraded:
        assert upgraded.upgrade is not None
        assert measures.list_measures(upgraded.sessions, include_retired=True) == own
        assert audit_actions(upgraded)[-1] == "file.upgraded"


def test_an_old_files_wizard_drafts_stay_its_users_own(tmp_path: Path) -> None:
    """Drafts became a login's own in 0011; the one user of a file keeps what they had typed."""
    path = tmp_path / "old.sendesk"
    old_file(
        path,
        "0001",
        "INSERT INTO wizard_draft (pupil_id, cycle_id, stage, page, data_json, updated_at) "
        "VALUES (1, 1, 'plan', 2, '{\"why\": \"Zoë\"}', '2026-11-23 09:00:00')",
    )
    with Vault.open(path, PASSPHRASE) as upgraded:
        assert upgraded.upgrade is not None and upgraded.upgrade.from_revision == "0001"
        assert upgraded.verify() == []
        assert cycles.load_draft(upgraded.sessions, 1, "plan") == (2, {"why": "Zoë"})
        assert len(_rows(upgraded)["cycle"]) == 1
        cycles.save_draft(upgraded.sessions, 1, "plan", 3, {"why": "changed"})
        with upgraded.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*), min(owner) FROM wizard_draft")).one() == (
                1,
                "",
            )


# --- the vocabularies in the file are the ones in sendesk.codes --------------------------------


def _checks(conn: Connection) -> dict[tuple[str, str], str]:
    """Every CHECK constraint by (table, name), its SQL with spacing normalised."""
    found = {}
    inspector = inspect(conn)
    for table in inspector.get_table_names():
        for check in inspector.get_check_constraints(table):
            found[(table, str(check["name"]))] = " ".join(str(check["sqltext"]).split())
    return found


def _model_checks() -> dict[tuple[str, str], str]:
    """The CHECK constraints the models generate from `sendesk.codes` today."""
    engine = create_engine("sqlite://")
    try:
        Base.metadata.create_all(engine)
        with engine.connect() as conn:
            return _checks(conn)
    finally:
        engine.dispose()


def test_the_stored_check_constraints_match_the_code_lists(vault: Vault) -> None:
    """A code added to `codes` without a revision would make every save of it an IntegrityError.

    The migrations freeze the vocabularies as CHECK constraints: a change to a code list needs a
    revision that rebuilds the constraint from `codes`, and this test says so.
    """
    with vault.engine.connect() as conn:
        stored = _checks(conn)
    assert "'SLCN'" in stored[("pupil", "ck_pupil_primary_need")]
    assert stored == _model_checks()


def test_a_code_list_changed_without_a_revision_is_caught(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sendesk import codes

    need = codes.NeedType("XX", "A need added to the code list", None)
    [primary] = [
        c
        for c in Base.metadata.tables["pupil"].constraints
        if isinstance(c, CheckConstraint) and str(c.name).endswith("_primary_need")
    ]
    wider = codes.sql_in([*codes.NEED_BY_CODE, need.code])
    widened = text(f"primary_need IS NULL OR primary_need IN {wider}")
    monkeypatch.setattr(primary, "sqltext", widened)
    with vault.engine.connect() as conn:
        stored = _checks(conn)
    model = _model_checks()
    assert stored != model
    assert "XX" in model[("pupil", "ck_pupil_primary_need")]


def test_a_file_at_0011_gains_attendance_and_expected_values_with_its_data_intact(
    tmp_path: Path,
) -> None:
    """0012 adds attendance per term and the values expected at each year group on a measure;
    what the file held before is kept as it was."""
    path = tmp_path / "old.sendesk"
    before = old_file(
        path,
        "0011",
        "INSERT INTO assessment_measure (id, name, unit, higher_is_better, retired) "
        "VALUES (1, 'Reading age', 'months', 1, 0)",
        "INSERT INTO measure_score (pupil_id, measure_id, measure_name, unit, recorded_on, "
        "point, value, created_at) VALUES (1, 1, 'Reading age', 'months', '2026-10-01', "
        "'baseline', 84, '2026-10-01 09:00:00')",
        read=("pupil", "cycle", "assessment_measure", "measure_score"),
    )
    with Vault.open(path, PASSPHRASE) as upgraded:
        assert upgraded.upgrade is not None and upgraded.upgrade.from_revision == "0011"
        assert upgraded.schema_revision() == schema.head_revision()
        assert upgraded.verify() == []
        with upgraded.engine.connect() as conn:
            for table, rows in before.items():
                kept = [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table}"))]
                assert [r[: len(rows[0])] for r in kept] == rows, table
        assert attendance.list_for(upgraded.sessions, 1) == []
        figures = attendance.TermFigures(2025, "autumn", 140, 131)
        attendance.record(upgraded.sessions, 1, figures, None, dt.date(2026, 11, 23))
        assert [r.percent for r in attendance.list_for(upgraded.sessions, 1)] == ["93.6%"]
        [reading] = measures.list_measures(upgraded.sessions)
        assert reading.details.expected == {}
        expected = replace(reading.details, expected={4: 108.0})
        measures.edit(upgraded.sessions, reading.id, expected, reading.version)
        [history] = measures.history(upgraded.sessions, 1, dt.date(2026, 11, 23))
        assert [(p.value, p.expected) for p in history.points] == [(84, None)]  # no year group
