"""The `sendesk` command line (DESIGN.md, "Command line").

Exit codes: 0 success; 2 bad usage or bad input; 3 wrong passphrase or not a SENDesk file;
4 integrity failure; 1 anything unexpected. Messages go to stderr in plain English.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DatabaseError as SQLDatabaseError
from sqlalchemy.exc import OperationalError as SQLOperationalError

from sendesk import __version__, codes, crashlog, dates, upn
from sendesk.errors import BadInput, DamagedFile, SendeskError
from sendesk.services import files, pupils
from sendesk.vault import Vault

PASSPHRASE_ENV = "SENDESK_PASSPHRASE"  # noqa: S105 - a variable's name, not a secret
NEW_PASSPHRASE_ENV = "SENDESK_NEW_PASSPHRASE"  # noqa: S105 - a variable's name, not a secret


# --- input --------------------------------------------------------------------------------------


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


def _read_secret_file(path: Path) -> str:
    try:
        content = path.read_text(encoding="utf-8-sig")  # Windows editors may add a BOM
    except FileNotFoundError as exc:
        raise BadInput(f"There is no passphrase file at {path}.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"The passphrase file {path} cannot be read as text.") from exc
    secret = content.rstrip("\r\n")
    if not secret:
        raise BadInput(f"The passphrase file {path} is empty.")
    return secret


def _prompt(label: str, twice: bool) -> str:
    if not sys.stdin.isatty():
        raise BadInput(
            "No passphrase given: use --passphrase-file, set "
            f"{PASSPHRASE_ENV}, or run the command in a terminal to be asked."
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
    return _prompt("New passphrase" if new else "Passphrase", twice=new)


def new_passphrase(args: argparse.Namespace) -> str:
    if args.new_passphrase_file:
        return _read_secret_file(args.new_passphrase_file)
    if env := os.environ.get(NEW_PASSPHRASE_ENV):
        return env
    return _prompt("New passphrase", twice=True)


def _open(args: argparse.Namespace, secret: str | None = None) -> Vault:
    vault = Vault.open(args.file, secret if secret is not None else passphrase(args))
    if vault.upgrade:
        _say(
            f"This file was upgraded to schema {vault.upgrade.to_revision}; "
            f"a backup was made first: {vault.upgrade.backup}"
        )
    return vault


def _say(message: str) -> None:
    print(message, file=sys.stderr)


# --- commands -----------------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    if args.start_app is None:
        raise BadInput("The app is not part of this installation; use the commands instead.")
    return int(args.start_app(args.file))


def cmd_init(args: argparse.Namespace) -> int:
    Vault.create(args.file, passphrase(args, new=True), args.school).close()
    _say(f"Created {args.file}. Keep the passphrase safe: without it the records cannot be read.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from sendesk import demo  # Faker is only needed here

    vault = demo.build(
        args.file, passphrase(args, new=True), args.pupils, seed=args.seed, today=args.today
    )
    vault.close()
    _say(f"Created the demo school {args.file} with {args.pupils} pupils (seed {args.seed}).")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        info = files.info(vault)
    if args.json:
        print(json.dumps(info.as_json(), indent=2))
        return 0
    counts = info.counts
    print(f"File:            {args.file}")
    print(f"File id:         {info.file_id}")
    print(f"School:          {info.school}")
    print(f"Last written by: SENDesk {info.app_version}")
    print(f"Schema revision: {info.schema_revision}")
    print(
        f"Holds:           {counts['pupil']} pupils, {counts['cycle']} cycles, "
        f"{counts['meeting']} meetings, {counts['attachment']} attachments"
    )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        problems = vault.verify()
    if problems:
        raise DamagedFile("The file failed its integrity checks.", problems)
    print("OK: the file passed the cipher, SQLite and foreign-key checks.")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    current = passphrase(args)
    with _open(args, current) as vault:
        new = new_passphrase(args)
        if new == current:
            raise BadInput("The new passphrase is the same as the current one; nothing changed.")
        saved = vault.change_passphrase(current, new)
    _say(
        f"Passphrase changed. A backup made just before is kept at {saved}; it still opens "
        "with the OLD passphrase. If the old passphrase was changed because someone else knows "
        "it, delete that backup."
    )
    return 0


def cmd_pupils(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        rows = pupils.list_register(vault.sessions, args.search, args.archived, args.as_of)
        if args.upn is not None:
            if problem := upn.problem(args.upn):
                raise BadInput(f"{args.upn!r} is not a valid UPN: {problem}")
            wanted = pupils.find_by_upn(vault.sessions, args.upn)
            everyone = pupils.list_register(vault.sessions, None, True, args.as_of)
            rows = [r for r in everyone if r.id == wanted]
    if args.json:
        print(json.dumps([_pupil_json(r) for r in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        _say("No pupils match." if args.search else "No pupils in this file yet.")
        return 0
    print(f"{'UPN':13}  {'Name':30}  {'Year':9}  {'Class':5}  SEN  {'Needs':10}  Next review")
    for r in rows:
        needs = "/".join(n for n in (r.primary_need, r.secondary_need) if n)
        review = r.next_review.isoformat() if r.next_review else ""
        flag = "  OVERDUE" if r.overdue else ""
        print(
            f"{r.upn or '(none)':13}  {_fit(r.surname + ', ' + r.forename, 30):30}  "
            f"{codes.year_group_label(r.year_group):9}  {r.class_name or '':5}  "
            f"{r.sen_status:3}  {needs:10}  {review}{flag}"
        )
    return 0


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _pupil_json(row: pupils.PupilRow) -> dict[str, Any]:
    def iso(d: dt.date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "upn": row.upn,
        "surname": row.surname,
        "forename": row.forename,
        "preferred_forename": row.preferred_forename,
        "date_of_birth": iso(row.date_of_birth),
        "year_group": row.year_group,
        "class_name": row.class_name,
        "sen_status": row.sen_status,
        "primary_need": row.primary_need,
        "secondary_need": row.secondary_need,
        "next_review": iso(row.next_review),
    }


# --- parser -------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit code 2, as for any bad input
        self.exit(2, f"sendesk: {message} (see 'sendesk --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sendesk", description="SENDesk: the SENCo's encrypted SEN records.")
    parser.add_argument("--version", action="version", version=f"SENDesk {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], text: str, *, file: bool = True
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text, description=text)
        if file:
            p.add_argument("file", type=Path, help="the .sendesk record file")
            p.add_argument(
                "--passphrase-file",
                type=Path,
                help=f"read the passphrase from this file (else ${PASSPHRASE_ENV}, else a prompt)",
            )
        p.set_defaults(handler=handler)
        return p

    gui = command("gui", cmd_gui, "start the app", file=False)
    gui.add_argument("file", type=Path, nargs="?", help="a record file to open")

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

    pupil_list = command("pupils", cmd_pupils, "list pupils with their needs and next review")
    pupil_list.add_argument("--search", help="part of a name or UPN")
    pupil_list.add_argument("--upn", help="show only the pupil with this UPN")
    pupil_list.add_argument("--archived", action="store_true", help="include archived pupils")
    pupil_list.add_argument(
        "--as-of", type=iso_date, help="judge reviews overdue as of this date (default today)"
    )
    pupil_list.add_argument("--json", action="store_true", help="print JSON to standard output")
    return parser


def main(
    argv: Sequence[str] | None = None, start_app: Callable[[Path | None], int] | None = None
) -> int:
    """Run one command. `start_app` is given by `main.py`, so this package never imports Qt."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        args = build_parser().parse_args(["gui"])
    args.start_app = start_app
    if not sys.stdout.isatty() and hasattr(sys.stdout, "reconfigure"):
        # Redirected output is UTF-8 everywhere, so names in any script survive on Windows too.
        sys.stdout.reconfigure(encoding="utf-8")
    try:
        return int(args.handler(args))
    except DamagedFile as exc:
        _say(f"sendesk: {exc.message}")
        for problem in exc.problems[:20]:
            _say(f"  - {problem}")
        return exc.exit_code
    except SendeskError as exc:
        _say(f"sendesk: {exc.message}")
        return exc.exit_code
    except SQLOperationalError as exc:
        reason = str(exc.orig)
        if "locked" in reason:
            _say("sendesk: the file is in use by another program; try again later.")
            return BadInput.exit_code
        if "full" in reason or "I/O" in reason:
            _say(f"sendesk: the disk could not be written ({reason}); nothing was half-saved.")
            return 1
        return _unexpected(exc)
    except SQLDatabaseError as exc:
        if any(word in str(exc.orig) for word in ("malformed", "not a database", "HMAC")):
            _say(f"sendesk: the file could not be read: {exc.orig}. Run 'sendesk verify'.")
            return DamagedFile.exit_code
        return _unexpected(exc)
    except BrokenPipeError:
        # The reader (e.g. `head`) stopped early; that is not an error.
        sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115 - keeps the exit flush quiet
        return 0
    except KeyboardInterrupt:
        _say("sendesk: cancelled.")
        return 130
    except Exception as exc:
        return _unexpected(exc)


def _unexpected(exc: BaseException) -> int:
    where = crashlog.write(exc)
    detail = f" Details (no pupil data) are in {where}." if where else ""
    _say(f"sendesk: something unexpected went wrong ({type(exc).__name__}).{detail}")
    return 1


if __name__ == "__main__":
    sys.exit(main())  # the command line alone; `main.py` adds the app
