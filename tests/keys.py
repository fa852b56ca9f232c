"""Keys derived once per salt and passphrase, so tests that open many files stay quick."""

from __future__ import annotations

import functools
from pathlib import Path

from sendesk import cipher
from sendesk.cipher import RawKey


@functools.cache
def _derive(passphrase: str, salt: bytes) -> RawKey:
    return RawKey.derive(passphrase, salt)


def cached_key(path: Path, passphrase: str) -> RawKey:
    return _derive(passphrase, cipher.read_salt(path))
