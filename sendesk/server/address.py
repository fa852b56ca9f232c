"""A server's address: a libpq-style URL that never carries a password.

`postgresql://j.smith@sen-server.school.local:5432/sendesk?sslmode=verify-full&sslrootcert=ca.pem`.
The password comes the way libpq looks for it (PGPASSWORD, a .pgpass file) or from a prompt, so
it never sits in a shell's history, a process list or a recent-servers list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sendesk.errors import BadInput

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
DEFAULT_PORT = 5432
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


def is_server_address(text: str) -> bool:
    """Whether a command's target names a server rather than a record file."""
    return text.split("://", 1)[0].lower() in SCHEMES and "://" in text


@dataclass(frozen=True)
class ServerAddress:
    """Where the server is and who logs in; the password is never part of it."""

    url: URL

    @classmethod
    def parse(cls, text: str) -> ServerAddress:
        if not is_server_address(text):
            raise BadInput(
                f"{text!r} is not a server address; one looks like "
                "postgresql://LOGIN@HOST:5432/DATABASE"
            )
        from sqlalchemy.engine import make_url  # only once a server is named
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(text)
        except (ArgumentError, ValueError) as exc:  # ValueError: a malformed host, [::1 say
            raise BadInput(f"{text!r} is not a server address SENDesk can read.") from exc
        if url.password is not None:
            raise BadInput(
                "A server address must not contain the password. Give it with PGPASSWORD, "
                "a .pgpass file, or type it when asked."
            )
        if not url.host or not url.database:
            raise BadInput(
                "A server address needs the server's name and the database: "
                "postgresql://LOGIN@HOST:5432/DATABASE"
            )
        mode = url.query.get("sslmode")
        if mode is not None and mode not in SSL_MODES:
            raise BadInput(f"sslmode must be one of {', '.join(SSL_MODES)}; not {mode!r}.")
        ca = url.query.get("sslrootcert")
        if isinstance(ca, str) and not Path(ca).is_file():
            raise BadInput(f"The school's certificate authority file {ca} does not exist.")
        if ca and mode is None:
            # Given the school's CA, check the server's name against it too.
            url = url.update_query_dict({"sslmode": "verify-full"})
        return cls(url.set(drivername="postgresql+psycopg"))

    @classmethod
    def from_parts(
        cls, host: str, port: int, database: str, login: str, ca_file: str = ""
    ) -> ServerAddress:
        """The address typed into the app's Connect dialog, checked as any address is."""
        from sqlalchemy.engine import URL  # only once a server is named

        if not host.strip() or not database.strip() or not login.strip():
            raise BadInput("Type the server's name, the database and your login.")
        query = {"sslrootcert": ca_file.strip()} if ca_file.strip() else {}
        url = URL.create(
            "postgresql",
            username=login.strip(),
            host=host.strip(),
            port=None if port == DEFAULT_PORT else port,  # "on sen-server", not ":5432"
            database=database.strip(),
            query=query,
        )
        return cls.parse(url.render_as_string(hide_password=False))

    @property
    def login(self) -> str | None:
        return self.url.username

    @property
    def database(self) -> str:
        return str(self.url.database)

    def with_database(self, database: str) -> ServerAddress:
        return ServerAddress(self.url.set(database=database))

    def with_login(self, login: str) -> ServerAddress:
        return ServerAddress(self.url.set(username=login))

    def label(self) -> str:
        """How the window title and About name the back end: "sendesk on sen-server"."""
        port = f":{self.url.port}" if self.url.port else ""
        who = f" as {self.login}" if self.login else ""
        return f"{self.database} on {self.url.host}{port}{who}"

    def __str__(self) -> str:
        return self.url.render_as_string(hide_password=True).replace("+psycopg", "", 1)
