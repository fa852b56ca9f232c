"""Commands about copies of the record file and what leaves it: backup, restore, subject access
and the retention review."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sendesk.commands import (
    AddCommand,
    _read_secret_file,
    iso_date,
    open_vault,
    passphrase,
    say,
)
from sendesk.errors import BadInput, MadeButNotAudited
from sendesk.text import for_terminal


def cmd_backup(args: argparse.Namespace) -> int:
    from sendesk import passphrase as passphrase_rules
    from sendesk.filelock import FileInUse

    try:
        held = open_vault(args)
    except FileInUse as exc:
        # Said for a backup: the copy that has the file open can make it and audit it.
        raise FileInUse(
            exc.path,
            exc.holder,
            may_take_over=exc.may_take_over,
            advice="a backup made here could not be recorded in the file's audit log. Make it "
            "in the SENDesk that has it open (File, Back up…), or here once it is closed there.",
        ) from exc
    with held as vault:
        own = None
        if args.backup_passphrase_file:
            own = _read_secret_file(args.backup_passphrase_file)
            passphrase_rules.check_new(own, (vault.meta().school_name,))
        try:
            saved = vault.backup_to(args.out, own)
        except MadeButNotAudited as made:
            say(f"sendesk: {made.message}")
            return 0
    which = "its own passphrase" if own else "the same passphrase as the file"
    say(f"Backup made and verified: {saved} (it opens with {which}).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from sendesk import restore as restoring

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


def cmd_sar(args: argparse.Namespace) -> int:
    from sendesk.services import pupils, subject_access

    with open_vault(args) as vault:
        pupil_id = pupils.find_by_upn(vault.sessions, args.pupil)
        made = subject_access.write_zip(vault.sessions, pupil_id, args.out)
    say(
        f"Everything held on the pupil is in {made.path}: {made.rows} rows from "
        f"{made.tables} tables and {made.attachments} attachments. It is NOT encrypted: "
        "hand it over securely and delete your copy."
    )
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from sendesk.services import retention

    with open_vault(args) as vault:
        due = retention.due_for_review(vault.sessions, args.today)
        if args.delete:
            if not args.confirm:
                raise BadInput(
                    "Nothing was deleted: deleting records needs --confirm after you have "
                    "reviewed the list."
                )
            wanted = set(args.delete)
            chosen = [d.pupil_id for d in due if d.uuid in wanted or d.upn in wanted]
            if len(chosen) != len(wanted):
                raise BadInput(
                    "Nothing was deleted: some of those pupils are not due for deletion "
                    "(run 'sendesk retention FILE' to see who is)."
                )
            retention.delete_reviewed(vault.sessions, chosen, confirmed=True, today=args.today)
            say(f"Deleted the records of {len(chosen)} pupil(s); the audit log notes it.")
            return 0
    if args.json:
        print(json.dumps([d.as_json() for d in due], indent=2))
        return 0
    if not due:
        say("No archived pupil is past the retention period (date of birth + 31 years).")
    for d in due:
        name = for_terminal(d.name)
        print(f"{d.upn or '-':13}  {name:40}  born {d.date_of_birth}  keep until {d.keep_until}")
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
        "restore",
        cmd_restore,
        "restore a backup (the passphrase asked for is the backup's)",
        file_help="the backup to restore from",
    )
    restore.add_argument("--to", type=Path, required=True, help="the record file to restore to")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="replace an existing file (it is kept in the backups folder beside it)",
    )

    sar = command("sar", cmd_sar, "everything held on one pupil, as a ZIP (subject access)")
    sar.add_argument("--pupil", required=True, help="the pupil's UPN")
    sar.add_argument("--out", type=Path, required=True, help="the ZIP file to create")

    retention = command(
        "retention", cmd_retention, "list archived pupils past date of birth + 31 years"
    )
    retention.add_argument("--json", action="store_true", help="print JSON to standard output")
    retention.add_argument("--today", type=iso_date, help="review as on this date")
    retention.add_argument(
        "--delete", nargs="+", metavar="UPN_OR_UUID", help="delete these reviewed pupils' records"
    )
    retention.add_argument("--confirm", action="store_true", help="confirm the deletion")
