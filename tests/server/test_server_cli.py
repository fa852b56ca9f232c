"""`sendesk server …` and the everyday commands given a server address instead of a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sendesk.server.address import ServerAddress
from tests.cli_support import run
from tests.conftest import SCHOOL
from tests.server.conftest import STAFF_PASSWORD, PrivateServer
from tests.unit.test_startup import modules_imported_by

HANDOVER = "a different long handover passphrase"


def test_init_add_user_and_list_pupils_over_the_command_line(
    server_database: ServerAddress,
    test_server: PrivateServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = str(server_database)
    code, _, err = run(capsys, "server", "init", url, "--school", SCHOOL)
    assert code == 0, err
    assert "Created the SENDesk database" in err
    monkeypatch.setenv("SENDESK_NEW_PASSWORD", STAFF_PASSWORD)
    code, _, err = run(capsys, "server", "add-user", url, "j.smith", "--role", "senco")
    test_server.logins.append("j.smith")
    assert code == 0, err
    # j.smith logs in with the password from the environment, as libpq reads it.
    monkeypatch.setenv("PGPASSWORD", STAFF_PASSWORD)
    staff_url = str(server_database.with_login("j.smith"))
    code, out, err = run(capsys, "pupils", staff_url, "--json")
    assert (code, json.loads(out)) == (0, [])
    code, out, err = run(capsys, "info", staff_url, "--json")
    assert code == 0, err
    assert json.loads(out)["school"] == SCHOOL


def test_a_file_goes_in_and_an_encrypted_copy_comes_out(
    server_database: ServerAddress,
    demo_file: Path,
    tmp_path: Path,
    cli_passphrase: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = str(server_database)
    code, _, err = run(capsys, "server", "import", str(demo_file), url)
    assert code == 0, err
    _, from_file, _ = run(capsys, "pupils", str(demo_file), "--json")
    _, from_server, _ = run(capsys, "pupils", url, "--json")
    assert json.loads(from_server) == json.loads(from_file) != []
    for options in (["--search", "o"], ["--archived"], ["--search", "a", "--as-of", "2027-01-01"]):
        _, file_rows, _ = run(capsys, "pupils", str(demo_file), "--json", *options)
        _, server_rows, _ = run(capsys, "pupils", url, "--json", *options)
        assert json.loads(server_rows) == json.loads(file_rows) != [], options
    # The server's register is read with plain SQL on the driver's connection: no ORM, no models.
    modules = modules_imported_by("pupils", url, "--json")
    assert "psycopg" in modules  # it did read the server
    assert {"sqlalchemy.orm", "sendesk.models", "sendesk.services"} & modules == set()
    monkeypatch.setenv("SENDESK_NEW_PASSPHRASE", HANDOVER)
    out_file = tmp_path / "server-copy.sendesk"
    code, _, err = run(capsys, "server", "export", url, "--out", str(out_file))
    assert code == 0, err
    monkeypatch.setenv("SENDESK_PASSPHRASE", HANDOVER)
    _, from_copy, _ = run(capsys, "pupils", str(out_file), "--json")
    assert json.loads(from_copy) == json.loads(from_file)


def test_a_password_on_the_command_line_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(capsys, "pupils", "postgresql://j.smith:hunter2@server/sendesk")
    assert exit_.value.code == 2
    assert "must not contain the password" in capsys.readouterr().err


def test_file_only_commands_say_so_for_a_server(
    school_server: ServerAddress, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "backup", str(school_server), "--out", str(tmp_path / "b.sendesk"))
    assert code == 2
    assert "server export" in err


def test_a_wrong_password_is_exit_3_and_an_unreachable_server_exit_2(
    school_server: ServerAddress,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PGPASSWORD", "not the password")
    code, _, err = run(capsys, "pupils", str(school_server))
    assert code == 3
    assert "refused the login" in err
    nowhere = school_server.url.set(port=1)
    code, _, err = run(capsys, "pupils", str(ServerAddress(nowhere)))
    assert code == 2
    assert "No SENDesk server answered" in err


def test_without_any_password_the_command_says_where_to_give_one(
    school_server: ServerAddress,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    code, _, err = run(capsys, "pupils", str(school_server))
    assert code == 2
    assert "PGPASSWORD" in err and ".pgpass" in err
