"""Each role connects with plain SQL, as anyone with a database tool could: PostgreSQL refuses
whatever the role may not do, whatever the app would have shown."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from sendesk.errors import BadInput
from sendesk.server import admin
from sendesk.server.address import ServerAddress
from tests.server.conftest import STAFF_PASSWORD, PrivateServer, fresh_database, import_demo


@dataclass(frozen=True)
class Team:
    database: str
    teacher_class: str
    class_pupils: int
    all_pupils: int
    assisted_provision: int
    assisted_pupil: int
    other_provision: int


@pytest.fixture(scope="module")
def team(
    test_server: PrivateServer, demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Team]:
    """One demo school and its staff for the whole module: the tests only read, or add rows
    that no other test counts."""
    with fresh_database(test_server) as demo_server, pytest.MonkeyPatch.context() as patch:
        patch.setenv("PGPASSWORD", test_server.password)
        import_demo(demo_server, demo_template, tmp_path_factory.mktemp("team"))
        yield _staff(demo_server, test_server)


def _staff(demo_server: ServerAddress, test_server: PrivateServer) -> Team:
    db = demo_server.database
    with test_server.psql(db) as conn:
        teacher_class, class_pupils = conn.execute(
            "SELECT class_name, count(*) FROM pupil WHERE class_name IS NOT NULL "
            "GROUP BY class_name ORDER BY count(*) DESC, class_name LIMIT 1"
        ).fetchone()
        (all_pupils,) = conn.execute("SELECT count(*) FROM pupil").fetchone()
    for login, role, classes in (
        ("t.teacher", "teacher", [teacher_class]),
        ("a.assistant", "assistant", None),
        ("l.leader", "leader", None),
        ("s.senco", "senco", None),
    ):
        admin.add_user(demo_server, None, login, role, STAFF_PASSWORD, classes)
        test_server.logins.append(login)
    with test_server.psql(db) as conn:
        provision, pupil = conn.execute(
            "SELECT v.id, c.pupil_id FROM provision v JOIN cycle c ON c.id = v.cycle_id "
            "ORDER BY v.id LIMIT 1"
        ).fetchone()
        (other,) = conn.execute(
            "SELECT v.id FROM provision v JOIN cycle c ON c.id = v.cycle_id "
            "WHERE c.pupil_id <> %s ORDER BY v.id LIMIT 1",
            (pupil,),
        ).fetchone()
        conn.execute(
            "UPDATE provision SET staff_id = (SELECT id FROM staff WHERE login = 'a.assistant') "
            "WHERE id = %s",
            (provision,),
        )
    return Team(db, teacher_class, class_pupils, all_pupils, provision, pupil, other)


def _as(test_server: PrivateServer, team: Team, login: str) -> psycopg.Connection:
    return test_server.psql(team.database, login)


# --- teacher -------------------------------------------------------------------------------


def test_a_teacher_sees_only_the_pupils_of_their_classes(
    team: Team, test_server: PrivateServer
) -> None:
    with _as(test_server, team, "t.teacher") as conn:
        rows = conn.execute("SELECT DISTINCT class_name FROM pupil").fetchall()
        (count,) = conn.execute("SELECT count(*) FROM pupil").fetchone()
    assert rows == [(team.teacher_class,)]
    assert count == team.class_pupils < team.all_pupils


def test_a_teacher_reads_the_plans_of_their_pupils_only(
    team: Team, test_server: PrivateServer
) -> None:
    with _as(test_server, team, "t.teacher") as conn:
        outcomes = conn.execute(
            "SELECT DISTINCT p.class_name FROM outcome o JOIN cycle c ON c.id = o.cycle_id "
            "JOIN pupil p ON p.id = c.pupil_id"
        ).fetchall()
    assert outcomes in ([(team.teacher_class,)], [])


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM contact",
        "SELECT text FROM note",
        "SELECT * FROM attachment",
        "UPDATE pupil SET sen_status = 'N'",
        "DELETE FROM pupil",
        "DELETE FROM audit_event",
        "SELECT * FROM audit_event",
        "INSERT INTO outcome (cycle_id) VALUES (1)",
    ],
)
def test_a_teacher_is_refused_everything_else(
    team: Team, test_server: PrivateServer, statement: str
) -> None:
    with (
        _as(test_server, team, "t.teacher") as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(statement)


def test_a_teacher_adds_a_note_to_their_pupil_but_not_to_another(
    team: Team, test_server: PrivateServer
) -> None:
    with test_server.psql(team.database) as conn:
        (mine,) = conn.execute(
            "SELECT id FROM pupil WHERE class_name = %s LIMIT 1", (team.teacher_class,)
        ).fetchone()
        (theirs,) = conn.execute(
            "SELECT id FROM pupil WHERE class_name IS DISTINCT FROM %s LIMIT 1",
            (team.teacher_class,),
        ).fetchone()
    insert = (
        "INSERT INTO note (pupil_id, noted_on, kind, author, text, created_at) "
        "VALUES (%s, current_date, 'observation', 'T. Teacher', 'Settled well', now()) RETURNING id"
    )
    with _as(test_server, team, "t.teacher") as conn:
        assert conn.execute(insert, (mine,)).fetchone() is not None
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(insert, (theirs,))


# --- teaching assistant --------------------------------------------------------------------


def test_attendance_per_term_is_read_by_the_class_teacher_and_kept_by_the_senco(
    team: Team, test_server: PrivateServer
) -> None:
    with test_server.psql(team.database) as conn:
        ours, theirs = conn.execute(
            "SELECT (SELECT min(id) FROM pupil WHERE class_name = %s), "
            "(SELECT min(id) FROM pupil WHERE class_name IS DISTINCT FROM %s)",
            (team.teacher_class, team.teacher_class),
        ).fetchone()
    insert = (
        "INSERT INTO term_attendance (pupil_id, school_year, term, sessions_possible, "
        "sessions_attended) VALUES (%s, 2019, 'autumn', 140, 130)"
    )
    with _as(test_server, team, "s.senco") as conn:
        for pupil in (ours, theirs):
            conn.execute(insert, (pupil,))
    read = "SELECT pupil_id FROM term_attendance WHERE school_year = 2019"
    with _as(test_server, team, "t.teacher") as conn:
        assert conn.execute(read).fetchall() == [(ours,)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE term_attendance SET sessions_attended = 0")
    with (
        _as(test_server, team, "t.teacher") as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(insert.replace("2019", "2018"), (ours,))
    for login in ("a.assistant", "l.leader"):
        with (
            _as(test_server, team, login) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute(read)


def test_an_assistant_sees_only_the_pupils_they_deliver_provision_to(
    team: Team, test_server: PrivateServer
) -> None:
    with _as(test_server, team, "a.assistant") as conn:
        pupils = conn.execute("SELECT id FROM pupil").fetchall()
        provisions = conn.execute("SELECT id FROM provision").fetchall()
        strategies = conn.execute(
            "SELECT DISTINCT c.pupil_id FROM strategy s JOIN cycle c ON c.id = s.cycle_id"
        ).fetchall()
    assert pupils == [(team.assisted_pupil,)]
    with _as(test_server, team, "a.assistant") as conn:
        meetings = conn.execute("SELECT DISTINCT pupil_id FROM meeting").fetchall()
    assert meetings in ([(team.assisted_pupil,)], [])
    assert provisions == [(team.assisted_provision,)]
    assert strategies in ([(team.assisted_pupil,)], [])


def test_an_assistant_records_sessions_of_their_own_provision_only(
    team: Team, test_server: PrivateServer
) -> None:
    insert = (
        "INSERT INTO provision_session (provision_id, held_on, attended) "
        "VALUES (%s, current_date, true) RETURNING id"
    )
    with _as(test_server, team, "a.assistant") as conn:
        assert conn.execute(insert, (team.assisted_provision,)).fetchone() is not None
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(insert, (team.other_provision,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM contact")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE pupil SET sen_status = 'N'")


# --- leader --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement", ["SELECT * FROM pupil", "SELECT * FROM note", "SELECT * FROM cycle"]
)
def test_a_leader_reads_no_pupil_rows(
    team: Team, test_server: PrivateServer, statement: str
) -> None:
    with (
        _as(test_server, team, "l.leader") as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(statement)


def test_a_leader_gets_anonymised_counts_with_small_numbers_suppressed(
    team: Team, test_server: PrivateServer
) -> None:
    with _as(test_server, team, "l.leader") as conn:
        rows = conn.execute("SELECT * FROM sendesk_register_summary()").fetchall()
    assert rows
    assert all(count is None or count >= 5 for *_, count in rows)
    assert any(count is None for *_, count in rows)  # the demo school has small groups


# --- SENCo and everyone ---------------------------------------------------------------------


def test_the_senco_sees_everything_but_cannot_rewrite_the_audit_log(
    team: Team, test_server: PrivateServer
) -> None:
    with _as(test_server, team, "s.senco") as conn:
        (count,) = conn.execute("SELECT count(*) FROM pupil").fetchone()
        assert count == team.all_pupils
        conn.execute("UPDATE pupil SET strengths = strengths")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE audit_event SET summary = 'x'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM audit_event")


def test_the_audit_log_names_each_login(team: Team, test_server: PrivateServer) -> None:
    for login in ("t.teacher", "a.assistant", "s.senco"):
        with _as(test_server, team, login) as conn:
            conn.execute(
                "INSERT INTO audit_event (at, action, summary, actor) "
                "VALUES (now(), 'test', %s, 'forged')",
                (login,),
            )
    with test_server.psql(team.database) as conn:
        rows = conn.execute(
            "SELECT summary, actor FROM audit_event WHERE action = 'test' ORDER BY id"
        ).fetchall()
    assert rows == [(login, login) for login in ("t.teacher", "a.assistant", "s.senco")]


def test_a_wrong_staff_password_is_refused(team: Team, test_server: PrivateServer) -> None:
    address = test_server.address(team.database, "t.teacher")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(
            host=address.url.host,
            port=address.url.port,
            dbname=team.database,
            user="t.teacher",
            password="not the password",
        )


def test_add_user_refuses_a_teacher_without_classes_and_a_short_password(
    school_server: ServerAddress,
) -> None:
    with pytest.raises(BadInput, match="classes"):
        admin.add_user(school_server, None, "t.two", "teacher", STAFF_PASSWORD)
    with pytest.raises(BadInput, match="12 characters"):
        admin.add_user(school_server, None, "t.two", "senco", "short")
    with pytest.raises(BadInput, match="cannot be a login"):
        admin.add_user(school_server, None, "Robert'); DROP", "senco", STAFF_PASSWORD)
