"""Commands about the record file itself: init, demo, info, verify, passwd."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sendesk.commands import (
    NEW_PASSPHRASE_ENV,
    AddCommand,
    import_for_good,
    iso_date,
    new_passphrase,
    open_records,
    open_vault,
    passphrase,
    positive_int,
    say,
)
from sendesk.errors import BadInput, DamagedFile
from sendesk.text import for_terminal
from sendesk.wording import plural


def cmd_init(args: argparse.Namespace) -> int:
    from sendesk.vault import Vault

    Vault.create(args.file, passphrase(args, new=True), args.school).close()
    say(f"Created {args.file}. Keep the passphrase safe: without it the records cannot be read.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from sendesk.cipher import KeyInProgress

    secret = passphrase(args, new=True)
    deriving = KeyInProgress.fresh(secret)  # derived on a thread while the demo's modules load
    import_for_good(["sendesk.demo"])  # Faker is only needed here
    from sendesk import demo

    vault = demo.build(
        args.file, secret, args.pupils, seed=args.seed, today=args.today, deriving=deriving
    )
    vault.close()
    made = plural(args.pupils, "pupil")
    say(f"Created the demo school {args.file} with {made} (seed {args.seed}).")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    with open_records(args, reads_only=True) as records:
        if isinstance(args.file, Path):  # a record file answers without SQLAlchemy
            from sendesk.vault import Vault

            assert isinstance(records, Vault)
            info = records.info()
        else:
            from sendesk.services import files

            info = files.info(records)
    if args.json:
        print(json.dumps(info.as_json(), indent=2))
        return 0
    counts = info.counts
    print(f"File:            {args.file}")
    print(f"File id:         {info.file_id}")
    print(f"School:          {for_terminal(info.school)}")
    print(f"Last written by: SENDesk {info.app_version}")
    print(f"Schema revision: {info.schema_revision}")
    print(
        f"Holds:           {plural(counts['pupil'], 'pupil')}, "
        f"{plural(counts['cycle'], 'cycle')}, {plural(counts['meeting'], 'meeting')}, "
        f"{plural(counts['attachment'], 'attachment')}"
    )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    with open_vault(args, reads_only=True) as vault:
        problems = vault.verify()
    if problems:
        raise DamagedFile("The file failed its integrity checks.", problems)
    print("OK: the file passed the cipher, SQLite and foreign-key checks.")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    current = passphrase(args)
    with open_vault(args, current) as vault:
        new = new_passphrase(args)
        if new == current:
            raise BadInput("The new passphrase is the same as the current one; nothing changed.")
        saved = vault.change_passphrase(current, new)
    say(
        f"Passphrase changed. A backup made just before is kept at {saved}; it still opens "
        "with the OLD passphrase. If the old passphrase was changed because someone else knows "
        "it, delete that backup."
    )
    return 0


def register(command: AddCommand) -> None:
    init = command("init", cmd_init, "create a new, empty record file")
    init.add_argument("--school", required=True, help="the school's name")

    demo = command("demo", cmd_demo, "create a record file full of realistic made-up records")
    demo.add_argument("--pupils", type=positive_int, default=200, help="how many pupils")
    demo.add_argument("--seed", type=int, default=1, help="the same seed builds the same school")
    demo.add_argument("--today", type=iso_date, help="the date the demo is built around")

    info = command("info", cmd_info, "show the file's id, versions and what it holds")
    info.add_argument("--json", action="store_true", help="print JSON to standard output")

    command("verify", cmd_verify, "run the full integrity checks (cipher, SQLite, foreign keys)")

    passwd = command("passwd", cmd_passwd, "change the passphrase (a backup is made first)")
    passwd.add_argument(
        "--new-passphrase-file",
        type=Path,
        help=f"read the new passphrase from this file (else ${NEW_PASSPHRASE_ENV}, else a prompt)",
    )
