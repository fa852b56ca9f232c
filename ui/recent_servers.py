"""The servers the user connected to lately, in Qt's settings: addresses only (login, host,
port, database, certificate authority file), never a password."""

from __future__ import annotations

from sendesk.errors import BadInput
from sendesk.server.address import ServerAddress
from ui.recent_files import settings as _settings

KEY = "recent_servers"
KEEP = 8


def load() -> list[ServerAddress]:
    value = _settings().value(KEY, [])
    texts = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    found: list[ServerAddress] = []
    for text in texts:
        try:
            found.append(ServerAddress.parse(str(text)))
        except BadInput:
            continue  # e.g. its certificate file was moved: it is simply not offered
    return found


def remember(address: ServerAddress) -> None:
    # `str` of an address never holds a password (ServerAddress refuses one).
    current = [str(a) for a in load() if a != address]
    _settings().setValue(KEY, [str(address), *current][:KEEP])


def forget(address: ServerAddress) -> None:
    _settings().setValue(KEY, [str(a) for a in load() if a != address])
