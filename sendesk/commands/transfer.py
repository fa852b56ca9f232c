"""Commands for a pupil who moves school: make the transfer file, receive one, and remove the
sending school's records once the transfer was received."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sendesk.commands import AddCommand, _prompt, _read_secret_file, iso_date, open_vault, say
from sendesk.errors import BadInput

TRANSFER_PASSPHRASE_ENV = "SENDESK_TRANSFER_PASSPHRASE"  # noqa: S105 - a variable's name


def transfer_passphrase(args: argparse.Namespace, *, new: bool) -> str:
    """From --transfer-passphrase-file, then $SENDESK_TRANSFER_PASSPHRASE, then a prompt."""
    if args.transfer_passphrase_file:
        return _read_secret_file(args.transfer_passphrase_file)
    if env := os.environ.get(TRANSFER_PASSPHRASE_ENV):
        return env
    return _prompt(
        "Transfer passphrase",
        twice=new,
        file_option="--transfer-passphrase-file",
        variable=TRANSFER_PASSPHRASE_ENV,
    )


def cmd_transfer(args: argparse.Namespace) -> int:
    from sendesk.services import transfer

    with open_vault(args) as vault:
        pupil_id = transfer.find_pupil(vault.sessions, args.pupil)
        secret = transfer_passphrase(args, new=True)
        made = transfer.make_transfer_file(
            vault,
            pupil_id,
            args.out,
            secret,
            left_on=args.left_on,
            destination=args.destination or "",
            evidence_pack=not args.no_evidence_pack,
        )
    say(
        f"Transfer file made and checked: {made.path} ({made.rows} rows from {made.tables} "
        "tables). It opens only with the transfer passphrase: give that to the new school "
        "separately from the file."
    )
    if made.evidence_pack:
        say(f"Evidence pack (PDF, locked with the transfer passphrase): {made.evidence_pack}")
    say(
        "The pupil is archived as transferred. When the new school confirms they received it, "
        f"run: sendesk transfer-done {args.file} --pupil {args.pupil} --confirm"
    )
    return 0


def cmd_receive(args: argparse.Namespace) -> int:
    from sendesk.services import transfer

    with open_vault(args) as vault:
        secret = transfer_passphrase(args, new=False)
        got = transfer.receive(vault.sessions, args.transfer, secret)
    source = f" from {got.from_school}" if got.from_school else ""
    say(
        f"Pupil {got.upn or got.pupil_uuid} received{source} with their whole history "
        f"({got.rows} rows). Tell the sending school it arrived, then delete the transfer file."
    )
    return 0


def cmd_transfer_done(args: argparse.Namespace) -> int:
    from sendesk.services import transfer

    if not args.confirm:
        raise BadInput(
            "Nothing was removed: add --confirm once the receiving school has confirmed that "
            "the transfer arrived."
        )
    with open_vault(args) as vault:
        pupil_id = transfer.find_pupil(vault.sessions, args.pupil)
        uuid = transfer.remove_after_transfer(vault.sessions, pupil_id, confirmed=True)
    say(
        f"The pupil's records were removed from {args.file}; the audit log keeps that the "
        f"transfer happened (pupil id {uuid}). Backups made earlier still hold them until "
        "they are rotated out or deleted."
    )
    return 0


def register(command: AddCommand) -> None:
    secret_help = (
        f"read the transfer passphrase from this file (else ${TRANSFER_PASSPHRASE_ENV}, "
        "else a prompt)"
    )
    out = command(
        "transfer",
        cmd_transfer,
        "make an encrypted transfer file of one pupil for their new school",
    )
    out.add_argument("--pupil", required=True, help="the pupil's UPN (or pupil id)")
    out.add_argument("--out", type=Path, required=True, help="the transfer file to create")
    out.add_argument("--transfer-passphrase-file", type=Path, help=secret_help)
    out.add_argument("--left-on", type=iso_date, help="the leaving date (default today)")
    out.add_argument("--destination", help="the school the pupil moves to")
    out.add_argument(
        "--no-evidence-pack", action="store_true", help="do not write the evidence pack PDF"
    )

    receive = command(
        "receive", cmd_receive, "import a pupil, with their whole history, from a transfer file"
    )
    receive.add_argument("transfer", type=Path, help="the transfer file from the other school")
    receive.add_argument("--transfer-passphrase-file", type=Path, help=secret_help)

    done = command(
        "transfer-done",
        cmd_transfer_done,
        "remove a transferred pupil's records once the new school has received them",
    )
    done.add_argument("--pupil", required=True, help="the pupil's UPN (or pupil id)")
    done.add_argument(
        "--confirm", action="store_true", help="confirm the receiving school has the transfer"
    )
