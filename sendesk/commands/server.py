"""`sendesk server …`: set up and look after a team server (PostgreSQL).

The server's address is a libpq URL without a password; the administrator's password comes from
PGPASSWORD or a .pgpass file as libpq finds them, else a prompt. A new staff password comes from
--password-file or SENDESK_NEW_PASSWORD, never from the command line.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sendesk.commands import (
    AddCommand,
    _read_secret_file,
    new_passphrase,
    open_vault,
    say,
)
from sendesk.errors import BadInput

NEW_PASSWORD_ENV = "SENDESK_NEW_PASSWORD"  # noqa: S105 - a variable's name, not a secret

T = TypeVar("T")


def server_address(text: str) -> object:
    """An argparse type: a server address, checked before anything connects."""
    from sendesk.server.address import ServerAddress

    try:
        return ServerAddress.parse(text)
    except BadInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from exc


def with_password(work: Callable[[str | None], T], label: str) -> T:
    """Run `work` with libpq's own password lookup; if the server asks for one, prompt once."""
    from sendesk.server.database import PasswordNeeded

    try:
        return work(None)
    except PasswordNeeded:
        if not sys.stdin.isatty():
            raise
        return work(getpass.getpass(f"Password for {label}: "))


def _staff_password(args: argparse.Namespace) -> str:
    if args.password_file:
        return _read_secret_file(args.password_file)
    if env := os.environ.get(NEW_PASSWORD_ENV):
        return env
    if not sys.stdin.isatty():
        raise BadInput(f"Give the new password with --password-file or {NEW_PASSWORD_ENV}.")
    first = getpass.getpass(f"New password for {args.login}: ")
    if getpass.getpass("Again: ") != first:
        raise BadInput("The two passwords typed differ; nothing was changed.")
    return first


def cmd_init(args: argparse.Namespace) -> int:
    from sendesk.server import admin

    with_password(lambda pw: admin.init(args.url, pw, args.school), args.url.label())
    say(f"Created the SENDesk database {args.url.label()} for {args.school.strip()}.")
    say("Add staff with: sendesk server add-user URL LOGIN --role senco|teacher|assistant|leader")
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    from sendesk.server import admin

    done = with_password(lambda pw: admin.upgrade(args.url, pw), args.url.label())
    if done.from_revision == done.to_revision:
        say(f"{args.url.label()} is already at schema {done.to_revision}; its rules were renewed.")
    else:
        say(f"Upgraded {args.url.label()} from schema {done.from_revision} to {done.to_revision}.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from sendesk.server import admin

    with open_vault(args) as vault:
        copied = with_password(lambda pw: admin.import_file(vault, args.url, pw), args.url.label())
    rows = sum(c.rows for c in copied)
    say(
        f"Imported {args.file} into {args.url.label()}: {rows} rows, each checked against the file."
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from sendesk.server import admin

    secret = new_passphrase(args)
    copied = with_password(
        lambda pw: admin.export_file(args.url, pw, args.out, secret), args.url.label()
    )
    rows = sum(c.rows for c in copied)
    say(
        f"Made {args.out}: an encrypted record file of {args.url.label()} ({rows} rows, "
        "checked against the server). It opens with the passphrase you gave."
    )
    return 0


def cmd_add_user(args: argparse.Namespace) -> int:
    from sendesk.server import admin

    secret = _staff_password(args)
    classes = args.classes.split(",") if args.classes else None
    with_password(
        lambda pw: admin.add_user(args.url, pw, args.login, args.role, secret, classes),
        args.url.label(),
    )
    say(f"{args.login} can now log in to {args.url.label()} as {args.role}.")
    return 0


def register(command: AddCommand) -> None:
    server = command(
        "server", _usage, "set up and look after a team server (PostgreSQL)", file=False
    )
    sub = server.add_subparsers(dest="server_command", parser_class=type(server))

    def verb(
        name: str, handler: Callable[[argparse.Namespace], int], text: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("url", type=server_address, help="postgresql://LOGIN@HOST:PORT/DATABASE")
        p.set_defaults(handler=handler)
        return p

    init = verb("init", cmd_init, "create the SENDesk database in an empty server database")
    init.add_argument("--school", required=True, help="the school's name")
    verb("upgrade", cmd_upgrade, "run newer schema revisions and renew the access rules")

    imp = sub.add_parser(
        "import",
        help="copy a record file into an empty server database, verified",
        description="copy a record file into an empty server database, verified row for row",
    )
    imp.add_argument("file", type=Path, help="the .sendesk record file")
    imp.add_argument("url", type=server_address, help="postgresql://LOGIN@HOST:PORT/DATABASE")
    imp.add_argument("--passphrase-file", type=Path, help="the record file's passphrase")
    imp.set_defaults(handler=cmd_import)

    export = verb("export", cmd_export, "an encrypted record file of the whole server database")
    export.add_argument("--out", type=Path, required=True, help="the new .sendesk file")
    export.add_argument(
        "--new-passphrase-file", type=Path, help="the new file's passphrase (else a prompt)"
    )

    add = verb("add-user", cmd_add_user, "give a member of staff a login in one role")
    add.add_argument("login", help="their login, e.g. j.smith")
    add.add_argument("--role", required=True, choices=("senco", "teacher", "assistant", "leader"))
    add.add_argument("--classes", help="a teacher's classes, e.g. 5B,6W")
    add.add_argument(
        "--password-file", type=Path, help=f"their new password (else ${NEW_PASSWORD_ENV})"
    )


def _usage(args: argparse.Namespace) -> int:
    raise BadInput(
        "Say what to do: sendesk server init|upgrade|import|export|add-user (see --help)"
    )
