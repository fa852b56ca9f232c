"""The Connect dialog's fields make the same checked address as one typed on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendesk.errors import BadInput
from sendesk.server.address import ServerAddress


def test_fields_make_an_address_named_as_in_the_window_title() -> None:
    address = ServerAddress.from_parts(" sen-server ", 5432, "sendesk", "j.smith")
    assert address.label() == "sendesk on sen-server as j.smith"
    assert str(address) == "postgresql://j.smith@sen-server/sendesk"
    assert ServerAddress.parse(str(address)) == address
    assert ServerAddress.from_parts("sen-server", 6543, "sendesk", "j.smith").url.port == 6543


def test_a_certificate_authority_file_means_the_server_name_is_verified(tmp_path: Path) -> None:
    ca = tmp_path / "school-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    address = ServerAddress.from_parts("sen-server", 5432, "sendesk", "j.smith", str(ca))
    assert address.url.query["sslmode"] == "verify-full"
    assert address.url.query["sslrootcert"] == str(ca)
    with pytest.raises(BadInput, match="does not exist"):
        ServerAddress.from_parts("sen-server", 5432, "sendesk", "j.smith", str(ca) + ".gone")


@pytest.mark.parametrize("missing", ["host", "database", "login"])
def test_an_empty_field_is_named(missing: str) -> None:
    parts = {"host": "sen-server", "database": "sendesk", "login": "j.smith"} | {missing: "  "}
    with pytest.raises(BadInput, match="Type the server's name"):
        ServerAddress.from_parts(parts["host"], 5432, parts["database"], parts["login"])


def test_a_malformed_host_is_said_in_words_not_as_a_type_name() -> None:
    with pytest.raises(BadInput, match="is not a server address SENDesk can read"):
        ServerAddress.parse("postgresql://u@[::1/db")
