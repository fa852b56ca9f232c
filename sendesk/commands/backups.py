"""Commands about copies of the record file and what leaves it: backup, restore."""

from __future__ import annotations

import argparse
from pathlib import Path

from sendesk import passphrase as passphrase_rules
from sendesk import restore as restoring
from sendesk.commands import AddCommand, _read_secret_file, open_vault, passphrase, say


def cmd_backup(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        own = None
        if args.backup_passphrase_file:
            own = _read_secret_file(args.backup_passphrase_file)
            passphrase_rules.check_new(own, (vault.meta().school_name,))
        saved = vault.backup_to(args.out, own)
    which = "its own passphrase" if own else "the same passphrase as the file"
    say(f"Backup made and verified: {saved} (it opens with {which}).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    done = restoring.restore(args.file, passphrase(args), args.to, replace=args.replace)
    counts = done.facts.counts
    say(
        f"Restored {done.path} from {args.file} ({done.facts.school}: {counts.get('pupil', 0)} "
        f"pupils, {counts.get('cycle', 0)} cycles, {counts.get('meeting', 0)} meetings). "
        "It opens with the backup's passphrase."
    )
    if done.replaced_copy:
        say(f"The file it replaced is kept unchanged at {done.replaced_copy}.")
    return 0


def register(command: AddCommand) -> None:
    backup = command("backup", cmd_backup, "make a verified encrypted backup of the file")
    backup.add_argument("--out", type=Path, required=True, help="the backup file to create")
    backup.add_argument(
        "--backup-passphrase-file",
        type=Path,
        help="give the backup its own passphrase, read from this file (for a handover)",
    )

    restore = command(
        "restore", cmd_restore, "restore a backup (the passphrase asked for is the backup's)"
    )
    restore.add_argument("--to", type=Path, required=True, help="the record file to restore to")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="replace an existing file (it is kept in the backups folder beside it)",
    )
