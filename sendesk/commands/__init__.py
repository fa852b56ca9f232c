"""Shared pieces of the command line: where passphrases come from, dates, opening a file.

Each module in this package adds one group of `sendesk` commands through its `register`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import getpass
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sendesk import dates
from sendesk.errors import BadInput

if TYPE_CHECKING:  # imported when a command opens a file, so --help needs no SQLAlchemy
    from sendesk.records import Records
    from sendesk.server.address import ServerAddress
    from sendesk.vault import Vault

Handler = Callable[[argparse.Namespace], int]
AddCommand = Callable[..., argparse.ArgumentParser]


# Set by the entry point (main.run), which owns the process: a test process never freezes.
FREEZE_IMPORTS = False

PASSPHRASE_ENV = "SENDESK_PASSPHRASE"  # noqa: S105 - a variable's name, not a secret
NEW_PASSPHRASE_ENV = "SENDESK_NEW_PASSPHRASE"  # noqa: S105 - a variable's name, not a secret


def iso_date(text: str) -> dt.date:
    """An argparse type: a real date as YYYY-MM-DD or DD/MM/YYYY."""
    try:
        return dates.parse(text)
    except BadInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from exc


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def _warn_if_others_can_use(path: Path) -> None:
    """As ssh does for a key: a passphrase file others can read or change is worth a warning.

    POSIX mode bits only; on Windows access is by ACL and nothing is said."""
    if os.name == "nt":
        return
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # reading it will say what is wrong
    if mode & 0o077:
        say(
            f"sendesk: warning: the passphrase file {path} can be read or changed by other users "
            f"of this computer (permissions {mode & 0o777:o}). Make it private: chmod 600 {path}"
        )


SECRET_FILE_LIMIT = 4096  # bytes: far more than any passphrase, far less than a wrong file


def _read_secret_file(path: Path, what: str = "passphrase") -> str:
    """A passphrase (or password) kept in a file: its first line ends it, a BOM is dropped.

    Only an ordinary file of at most `SECRET_FILE_LIMIT` bytes is read: a device such as
    /dev/zero, a pipe or a wrong, large file is refused, not read until memory runs out."""
    _warn_if_others_can_use(path)
    if not path.exists():
        raise BadInput(f"There is no {what} file at {path}.")
    if not path.is_file():
        raise BadInput(f"The {what} file {path} is not an ordinary file.")
    try:
        with path.open("rb") as handle:
            raw = handle.read(SECRET_FILE_LIMIT + 1)
        content = raw.decode("utf-8-sig")  # Windows editors may add a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"The {what} file {path} cannot be read as text.") from exc
    if len(raw) > SECRET_FILE_LIMIT:
        raise BadInput(
            f"The {what} file {path} is longer than any {what} ({SECRET_FILE_LIMIT:,} bytes or "
            "more): is it the right file?"
        )
    secret = content.rstrip("\r\n")
    if not secret:
        raise BadInput(f"The {what} file {path} is empty.")
    return secret


def _prompt(label: str, twice: bool, *, file_option: str, variable: str) -> str:
    """`label` asked for in a terminal; elsewhere, where to give it instead."""
    if not sys.stdin.isatty():
        raise BadInput(
            f"No {label.lower()} given: use {file_option}, set {variable}, or run the command "
            "in a terminal to be asked."
        )
    first = getpass.getpass(f"{label}: ")
    if twice and getpass.getpass(f"{label} again: ") != first:
        raise BadInput("The two passphrases typed differ; nothing was changed.")
    return first


def passphrase(args: argparse.Namespace, *, new: bool = False) -> str:
    """The passphrase from --passphrase-file, then the environment, then a prompt."""
    if args.passphrase_file:
        return _read_secret_file(args.passphrase_file)
    if env := os.environ.get(PASSPHRASE_ENV):
        return env
    return _prompt(
        "New passphrase" if new else "Passphrase",
        twice=new,
        file_option="--passphrase-file",
        variable=PASSPHRASE_ENV,
    )


def new_passphrase(args: argparse.Namespace) -> str:
    if args.new_passphrase_file:
        return _read_secret_file(args.new_passphrase_file)
    if env := os.environ.get(NEW_PASSPHRASE_ENV):
        return env
    return _prompt(
        "New passphrase",
        twice=True,
        file_option="--new-passphrase-file",
        variable=NEW_PASSPHRASE_ENV,
    )


def record_target(text: str) -> Path | ServerAddress:
    """An argparse type: a record file, or a team server's address (postgresql://…)."""
    from sendesk.server.address import ServerAddress, is_server_address

    if is_server_address(text):
        try:
            return ServerAddress.parse(text)
        except BadInput as exc:
            raise argparse.ArgumentTypeError(exc.message) from exc
    return Path(text)


def open_records(
    args: argparse.Namespace, *, reads_only: bool = False, meanwhile: Sequence[str] = ()
) -> Records:
    """The record file or the team server the command names, for commands that work on both.

    The modules named in `meanwhile` (what the command goes on to use) are imported while a
    file's key is being derived, rather than before or after it.
    """
    if not isinstance(args.file, Path):  # a server's address (record_target)
        from sendesk.commands.server import with_password
        from sendesk.server.database import ServerDatabase

        address = args.file
        return with_password(lambda pw: ServerDatabase.connect(address, pw), address.label())
    return open_vault(args, reads_only=reads_only, meanwhile=meanwhile)


def open_vault(
    args: argparse.Namespace,
    secret: str | None = None,
    *,
    reads_only: bool = False,
    meanwhile: Sequence[str] = (),
) -> Vault:
    """The file named on the command line, held for writing (exit 5 when another copy holds it).

    A command that `reads_only` opens it read-only instead while another copy holds it; the
    modules in `meanwhile` are imported while the key is derived (see `open_records`).
    """
    if not isinstance(args.file, Path):  # a server's address (record_target)
        raise BadInput(
            f"'sendesk {args.command}' works on a record file, not on a team server. "
            "A server's encrypted copy is made with: sendesk server export URL --out FILE"
        )
    from sendesk.cipher import KeyInProgress
    from sendesk.filelock import CannotHold, FileInUse
    from sendesk.vault import Vault

    secret = secret if secret is not None else passphrase(args)
    deriving = KeyInProgress.start(secret, args.file) if meanwhile else None
    import_for_good(meanwhile)
    try:
        # A command that only reads writes nothing that would clear the seal: no rollback check.
        vault = Vault.open(args.file, secret, deriving=deriving, check_rollback=not reads_only)
    except (FileInUse, CannotHold) as exc:  # changed elsewhere, or a folder nobody may change
        if not reads_only:
            raise
        say(f"{exc.message} Reading it read-only.")
        vault = Vault.open(args.file, secret, read_only=True, deriving=deriving)
    if vault.upgrade:
        say(
            f"This file was upgraded to schema {vault.upgrade.to_revision}; "
            f"a backup was made first: {vault.upgrade.backup}"
        )
    return vault


def import_for_good(modules: Sequence[str]) -> None:
    """Import `modules`, which stay loaded until the process ends.

    Collecting garbage is paused meanwhile, as importing makes many objects and no garbage; in
    the command line's own process the objects made are then frozen, so that later collections
    while the command runs need not walk them again (together about a tenth of `sendesk
    governors-report` at 20,000 pupils).
    """
    if not modules:
        return
    from sendesk import collection

    with collection.paused():
        for module in modules:
            importlib.import_module(module)
    if FREEZE_IMPORTS:
        gc.freeze()


def say(message: str) -> None:
    print(message, file=sys.stderr)
