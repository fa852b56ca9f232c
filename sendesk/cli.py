"""The `sendesk` command line (DESIGN.md, "Command line").

Exit codes: 0 success; 2 bad usage or bad input; 3 wrong passphrase or not a SENDesk file;
4 integrity failure; 5 in use elsewhere; 1 anything unexpected. Messages go to stderr in plain
English.
Each group of commands lives in a module of `sendesk.commands`, listed in `COMMAND_MODULES`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# Only what builds the parser is imported here: each command imports the libraries it uses
# (SQLAlchemy, ReportLab, ...) when it runs, so `--version` and `--help` start at once.
from sendesk import FILE_SUFFIX, version_line
from sendesk.commands import PASSPHRASE_ENV, record_target, say
from sendesk.errors import BadInput, DamagedFile, SendeskError, known_failure

# Modules of sendesk.commands, imported when the parser is built (not for --version).
COMMAND_MODULES: tuple[str, ...] = (
    "files",
    "pupil_list",
    "imports",
    "reviews",
    "backups",
    "documents",
    "transfer",
    "server",
    "analytics",
)


def cmd_gui(args: argparse.Namespace) -> int:
    if args.start_app is None:
        raise BadInput("The app is not part of this installation; use the commands instead.")
    return int(args.start_app(args.file))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit code 2, as for any bad input
        self.exit(2, f"sendesk: {message} (see 'sendesk --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sendesk", description="SENDesk: the SENCo's encrypted SEN records.")
    parser.add_argument("--version", action="version", version=version_line())
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def command(
        name: str,
        handler: Callable[[argparse.Namespace], int],
        text: str,
        *,
        file: bool = True,
        file_help: str = "the .sendesk record file",
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text, description=text)
        if file:
            p.add_argument("file", type=record_target, help=file_help)
            p.add_argument(
                "--passphrase-file",
                type=Path,
                help=f"read the passphrase from this file (else ${PASSPHRASE_ENV}, else a prompt)",
            )
        p.set_defaults(handler=handler)
        return p

    gui = command("gui", cmd_gui, "start the app", file=False)
    gui.add_argument("file", type=Path, nargs="?", help="a record file to open")

    for name in COMMAND_MODULES:
        importlib.import_module(f"sendesk.commands.{name}").register(command)
    return parser


def main(
    argv: Sequence[str] | None = None, start_app: Callable[[Path | None], int] | None = None
) -> int:
    """Run one command. `start_app` is given by `main.py`, so this package never imports Qt."""
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        print(version_line())  # what argparse would print, without building the parser
        return 0
    given = list(sys.argv[1:] if argv is None else argv)
    if len(given) == 1 and given[0].lower().endswith(FILE_SUFFIX) and not given[0].startswith("-"):
        given = ["gui", given[0]]  # a record file opened from the desktop (or typed alone)
    args = build_parser().parse_args(given)
    if args.command is None:
        args = build_parser().parse_args(["gui"])
    args.start_app = start_app
    if not sys.stdout.isatty() and hasattr(sys.stdout, "reconfigure"):
        # Redirected output is UTF-8 everywhere, so names in any script survive on Windows too.
        sys.stdout.reconfigure(encoding="utf-8")
    try:
        return int(args.handler(args))
    except DamagedFile as exc:
        say(f"sendesk: {exc.message}")
        for problem in exc.problems[:20]:
            say(f"  - {problem}")
        return exc.exit_code
    except SendeskError as exc:
        say(f"sendesk: {exc.message}")
        return exc.exit_code
    except BrokenPipeError:
        # The reader (e.g. `head`) stopped early; that is not an error.
        sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115 - keeps the exit flush quiet
        return 0
    except KeyboardInterrupt:
        say("sendesk: cancelled.")
        return 130
    except Exception as exc:
        # A full disk, a read-only file, a file held by another program: one mapping, one sentence.
        known = known_failure(exc, "The command could not finish")
        if known is None:
            return _unexpected(exc)
        say(f"sendesk: {known.message}")
        return known.exit_code


def _unexpected(exc: BaseException) -> int:
    from sendesk import crashlog

    where = crashlog.write(exc)
    detail = f" Details (no pupil data) are in {where}." if where else ""
    say(f"sendesk: something unexpected went wrong ({type(exc).__name__}).{detail}")
    return 1


if __name__ == "__main__":
    sys.exit(main())  # the command line alone; `main.py` adds the app
