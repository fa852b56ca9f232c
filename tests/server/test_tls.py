"""TLS end to end: a PostgreSQL server of this test's own with `ssl = on` and a certificate from a
certificate authority made here, reached through the app's connection layer (`ServerAddress`,
`ServerDatabase.connect`) with the school's CA file, so `sslmode=verify-full`: the server's
certificate must be signed by that CA and name the host connected to.

The server is started as the `dev` script's `pg_start` does (initdb and pg_ctl, as the postgres
user when run as root) on a free port, and stopped afterwards. The server without TLS is the
private one `./dev test` starts.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import text

from sendesk.server.address import ServerAddress
from sendesk.server.database import ServerDatabase, ServerUnreachable
from tests.server.conftest import PrivateServer

pytestmark = [pytest.mark.slow, pytest.mark.server]

ADMIN = "sendesk_admin"


@dataclass(frozen=True)
class Authority:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    file: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _authority(folder: Path, common_name: str) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    file = folder / f"{common_name.replace(' ', '-').lower()}.pem"
    file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Authority(key, cert, file)


def _server_certificate(ca: Authority) -> tuple[bytes, bytes]:
    """A certificate for localhost and 127.0.0.1 only, signed by `ca`: (cert PEM, key PEM)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not found:
        pytest.fail("PostgreSQL is not installed (./dev setup installs it): TLS cannot be tested.")
    return found[-1]


def _as_root() -> bool:
    return os.geteuid() == 0


def _as_pg(*command: str | Path) -> None:
    """initdb and the server refuse to run as root: as the postgres user then, as `dev` does."""
    args = [str(c) for c in command]
    if _as_root():
        args = ["runuser", "-u", "postgres", "--", *args]
    done = subprocess.run(args, cwd="/", capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _own_folder() -> Path:
    """A folder the server's user may enter: pytest's tmp_path under /tmp/pytest-of-root is not."""
    folder = Path(tempfile.mkdtemp(prefix="sendesk-tls-"))
    if _as_root():
        shutil.chown(folder, "postgres")
    return folder


@dataclass(frozen=True)
class TlsServer:
    port: int
    password: str
    ca: Authority
    other_ca: Authority

    def address(self, host: str, ca_file: Path | None) -> ServerAddress:
        return ServerAddress.from_parts(host, self.port, "postgres", ADMIN, str(ca_file or ""))


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    client = tmp_path_factory.mktemp("tls-client")
    ca = _authority(client, "Oakfield School CA")
    other = _authority(client, "Another School CA")
    cert_pem, key_pem = _server_certificate(ca)
    bin_dir, folder, port = _pg_bin(), _own_folder(), _free_port()
    data = folder / "data"
    password = secrets.token_hex(16)
    pwfile = folder / "pw"
    pwfile.write_text(password + "\n")
    if _as_root():
        shutil.chown(pwfile, "postgres")
    started = False
    try:
        _as_pg(
            bin_dir / "initdb", "-D", data, "-U", ADMIN, f"--pwfile={pwfile}", "-E", "UTF8",
            "--locale=C.UTF-8", "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
        )  # fmt: skip
        for name, pem in (("server.crt", cert_pem), ("server.key", key_pem)):
            path = data / name
            path.write_bytes(pem)
            path.chmod(0o600)  # the server refuses a key others may read
            if _as_root():
                shutil.chown(path, "postgres")
        # 127.0.0.2 is loopback too, but the certificate does not name it.
        options = (
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1,127.0.0.2 -c fsync=off "
            "-c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key"
        )
        _as_pg(bin_dir / "pg_ctl", "-D", data, "-l", folder / "server.log", "-w", "-s",
               "-o", options, "start")  # fmt: skip
        started = True
        yield TlsServer(port, password, ca, other)
    finally:
        if started:
            _as_pg(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "-s", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _connect(server: TlsServer, host: str, ca_file: Path | None) -> ServerDatabase:
    return ServerDatabase.connect(
        server.address(host, ca_file), server.password, check_schema=False
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_schools_ca_connects_with_the_servers_name_checked(
    tls_server: TlsServer, host: str
) -> None:
    address = tls_server.address(host, tls_server.ca.file)
    assert address.url.query["sslmode"] == "verify-full"  # given a CA, the name is checked too
    with _connect(tls_server, host, tls_server.ca.file) as server:
        with server.engine.connect() as conn:
            secured = conn.execute(
                text("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).one()
        assert secured[0] is True and str(secured[1]).startswith("TLS")
        assert server.login() == ADMIN


def test_a_certificate_from_another_ca_is_refused(tls_server: TlsServer) -> None:
    with pytest.raises(ServerUnreachable) as refused:
        _connect(tls_server, "127.0.0.1", tls_server.other_ca.file)
    message = refused.value.message
    assert "could not be secured" in message
    assert f"not signed by the certificate authority in {tls_server.other_ca.file}" in message, (
        message
    )


def test_a_certificate_for_another_name_is_refused(tls_server: TlsServer) -> None:
    with pytest.raises(ServerUnreachable) as refused:
        _connect(tls_server, "127.0.0.2", tls_server.ca.file)
    message = refused.value.message
    assert "could not be secured" in message
    assert "certificate is not for 127.0.0.2" in message, message


def test_a_server_without_tls_is_refused_when_a_ca_is_given(
    tls_server: TlsServer, test_server: PrivateServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = ServerAddress.parse(test_server.admin_url)  # `./dev test`'s server: no TLS
    monkeypatch.setenv("PGPASSWORD", test_server.password)
    with ServerDatabase.connect(plain, check_schema=False) as server:  # it answers without a CA
        assert server.login() == plain.login
    address = ServerAddress.from_parts(
        plain.url.host or "", plain.url.port or 5432, "postgres", plain.login or "",
        str(tls_server.ca.file),
    )  # fmt: skip
    with pytest.raises(ServerUnreachable) as refused:
        ServerDatabase.connect(address, test_server.password, check_schema=False)
    message = refused.value.message
    assert "could not be secured" in message
    assert "does not offer a secure connection (TLS)" in message, message


def test_a_ca_file_that_is_not_a_certificate_is_refused(
    tls_server: TlsServer, tmp_path: Path
) -> None:
    not_a_ca = tmp_path / "school-ca.pem"
    not_a_ca.write_text("this is the school's letterhead, not its certificate authority\n")
    with pytest.raises(ServerUnreachable) as refused:
        _connect(tls_server, "127.0.0.1", not_a_ca)
    assert f"{not_a_ca} could not be read as a certificate" in refused.value.message
