"""`sendesk import`: pupils from a MIS CSV export or a Common Transfer File, row by row."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sendesk import importers  # light: its parsers are imported when a file is read
from sendesk.commands import AddCommand, open_vault, say
from sendesk.errors import BadInput, NotFound
from sendesk.lazy import LazyModule
from sendesk.text import for_terminal
from sendesk.wording import plural

if TYPE_CHECKING:
    from sendesk import atomic
    from sendesk.importers import ParsedRow, RowFate, Source
    from sendesk.vault import Vault
else:
    atomic = LazyModule("sendesk.atomic")


def _fate_word(fate: importers.Fate) -> str:
    Fate = importers.Fate  # noqa: N806 - the enum, read when a report is printed
    words = {
        Fate.NEW: "new",
        Fate.UPDATE: "update",
        Fate.UNCHANGED: "unchanged",
        Fate.REJECTED: "REJECTED",
        Fate.LEFT_OUT: "left out",
    }
    return words[fate]


def _check_rows(rows: Sequence[ParsedRow], asked: set[int], option: str) -> None:
    """A row number the file does not have is a typing slip, said before anything is done (from
    the fault trial: `--leave-out 99` was ignored and row 9 imported)."""
    if unknown := sorted(asked - {r.row for r in rows}):
        word = rows[0].word if rows else "row"
        numbers = ", ".join(str(n) for n in unknown)
        known = f"{rows[0].row} to {rows[-1].row}" if rows else "none"
        raise BadInput(
            f"{option} {numbers}: the file has no {word} with that number (its {word}s are "
            f"numbered {known}, as the report lists them). Nothing was imported."
        )


def cmd_import(args: argparse.Namespace) -> int:
    # The source is read and checked first: a wrong file costs no passphrase.
    source = importers.load(args.source)
    from sendesk.services import imports  # SQLAlchemy, once the file is known to be good

    name = for_terminal(args.source.name)
    if args.undo:
        return _undo(args, source, name)
    mapping = importers.parse_mapping_override(source, args.column or [])
    rows = importers.interpret(source, mapping)
    say(f"Read {name}: {source.description}.")
    if args.rejected:  # refused before importing, not after
        atomic.check_target(args.rejected, overwrite=args.force, what="The rejected rows")
    take, leave_out = set(args.take or ()), set(args.leave_out or ())
    _check_rows(rows, take, "--take")
    _check_rows(rows, leave_out, "--leave-out")
    with open_vault(args) as vault:
        if args.rejected:  # and again once the file is open: it is then known under any name
            atomic.check_target(args.rejected, overwrite=args.force, what="The rejected rows")
        if args.dry_run:
            fates = imports.preview(vault.sessions, rows, take=take, leave_out=leave_out)
        else:
            fates = imports.apply(
                vault.sessions, rows, source.kind, take=take, leave_out=leave_out,
                source_name=args.source.name, digest=source.digest,
            ).fates  # fmt: skip
        for fate in fates:
            print(_line(source, fate))
        totals = importers.Totals.of(fates)
        print(f"Totals: {totals.sentence()}.")
        if args.rejected:
            _save_rejected(vault, args.rejected, source, fates, args.force)
    if args.dry_run:
        say("Dry run: nothing was imported.")
    elif totals.to_save:
        say(
            f"Imported {plural(totals.to_save, 'pupil')} in one step; the same command with "
            "--undo undoes it."
        )
    else:
        say("Nothing to import: the file holds no new or changed pupils.")
    return 0


def _undo(args: argparse.Namespace, source: Source, name: str) -> int:
    from sendesk.services import imports

    with open_vault(args) as vault:
        batch = imports.batch_of(vault.sessions, source.digest)
        if batch is None:
            raise NotFound(
                f"No import of {name} in this file can be undone: it was never imported "
                "here, it changed nothing, it was undone already, or the file has changed "
                "since it was imported."
            )
        undone = imports.undo(vault.sessions, batch)
    say(
        f"Undid the import of {name}: {plural(undone.restored, 'pupil')} restored, "
        f"{plural(undone.removed, 'pupil')} removed."
    )
    return 0


def _line(source: Source, fate: RowFate) -> str:
    where = f"{source.row_word} {fate.row}"
    who = " ".join(filter(None, (fate.upn or "", f"({fate.name})" if fate.name else "")))
    text = f"{where:>10}  {_fate_word(fate.fate):9}  {who}"
    if explanation := fate.explanation():
        text += f": {explanation}"
    return for_terminal(text)  # a cell from the file never drives the terminal


def _save_rejected(
    vault: Vault, path: Path, source: Source, fates: list[RowFate], force: bool
) -> None:
    from sendesk.services import imports

    if not any(f.fate is importers.Fate.REJECTED for f in fates):
        say("No rows were rejected; no file of rejected rows was written.")
        return
    count = imports.save_rejected(vault.sessions, path, source, fates, overwrite=force)
    say(f"The {count} rejected rows are in {path}; fix them there and import that file.")


def register(command: AddCommand) -> None:
    p = command(
        "import",
        cmd_import,
        "import pupils from a MIS CSV export or a Common Transfer File, reporting each row's fate",
    )
    p.add_argument("source", type=Path, help="the CSV or CTF (XML) file to import")
    how = p.add_mutually_exclusive_group()
    how.add_argument(
        "--dry-run", action="store_true", help="show what would happen; change nothing"
    )
    how.add_argument(
        "--undo",
        action="store_true",
        help="undo the last import of this same file: put back what it changed, remove the "
        "pupils it added (refused if they were edited since)",
    )
    p.add_argument(
        "--leave-out", type=int, action="append", metavar="ROW",
        help="do not import this row (its number in the report); may be repeated",
    )  # fmt: skip
    p.add_argument(
        "--take", type=int, action="append", metavar="ROW",
        help="for this row, take the file's SEN status and needs over those set in SENDesk; "
        "may be repeated",
    )  # fmt: skip
    p.add_argument(
        "--column",
        action="append",
        metavar="COLUMN=FIELD",
        help="map a column to a pupil field (or to nothing with COLUMN=-); may be repeated. "
        f"Fields: {', '.join(importers.FIELDS)}",
    )
    p.add_argument("--rejected", type=Path, help="save the rejected rows to this CSV file")
    p.add_argument("--force", action="store_true", help="replace the --rejected file if it exists")
