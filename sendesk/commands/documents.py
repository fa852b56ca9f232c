"""`sendesk plan`, `plans`, `review-record`, `evidence`, `passport`, `letter`, `register` and
`census`.

Each writes a document to `--out` (a PDF, or a CSV for the register), optionally locked with a
password read from `--password-file` (AES-256), and each export is audited. `plans` prints many
pupils' plans in one process, into one PDF or a folder of them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sendesk import collection
from sendesk.commands import AddCommand, _read_secret_file, iso_date, open_vault, say
from sendesk.errors import BadInput
from sendesk.lazy import LazyModule
from sendesk.text import for_terminal
from sendesk.wording import plural

if TYPE_CHECKING:  # ReportLab, pypdf and SQLAlchemy load when a document is printed
    from sendesk import census
    from sendesk.documents import plan_template
    from sendesk.documents.style import DocumentOptions
    from sendesk.services import Sessions, pupils
    from sendesk.services import documents as docs
    from sendesk.services.documents import Printable

    PupilBuilder = Callable[[Sessions, int, argparse.Namespace, DocumentOptions], Printable]
else:
    census = LazyModule("sendesk.census")
    docs = LazyModule("sendesk.services.documents")
    pupils = LazyModule("sendesk.services.pupils")
    plan_template = LazyModule("sendesk.documents.plan_template")


# What printing loads (ReportLab, pypdf, the ORM): imported while the file's key is derived.
_PRINTING = ("sendesk.services.documents",)


def _options(args: argparse.Namespace) -> DocumentOptions:
    from sendesk.documents.style import DocumentOptions

    return DocumentOptions(
        large_print=args.large_print,
        dyslexia_friendly=args.dyslexia,
        for_parents=args.for_parents,
    )


def _password(args: argparse.Namespace) -> str | None:
    path: Path | None = args.password_file
    if path is None:
        return None
    secret = _read_secret_file(path, "password")
    from sendesk.documents.protect import check_password

    check_password(secret)
    return secret


def _pupil_id(sessions: Sessions, text: str) -> int:
    from sendesk import upn
    from sendesk.services import pupils

    if problem := upn.problem(upn.normalise(text)):
        raise BadInput(f"{text!r} is not a valid UPN: {problem}")
    return pupils.find_by_upn(sessions, text)


def _write(
    args: argparse.Namespace, sessions: Sessions, doc: Printable, password: str | None
) -> int:
    target = docs.export(sessions, doc, args.out, password, _options(args), overwrite=args.force)
    locked = " (password-protected)" if password and doc.is_pdf else ""
    say(for_terminal(f"{doc.title} saved to {target}{locked}."))
    return 0


def _pupil_command(build: PupilBuilder) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        password = _password(args)  # a bad password file stops before the vault is opened
        with open_vault(args, meanwhile=_PRINTING) as vault:
            pupil_id = _pupil_id(vault.sessions, args.pupil)
            doc = build(vault.sessions, pupil_id, args, _options(args))
            return _write(args, vault.sessions, doc, password)

    return run


def _plan(s: Sessions, pid: int, args: argparse.Namespace, o: DocumentOptions) -> Printable:
    return docs.support_plan_pdf(s, pid, o, today=args.date, cycle_number=args.cycle)


def _review(s: Sessions, pid: int, args: argparse.Namespace, o: DocumentOptions) -> Printable:
    return docs.review_record_pdf(s, pid, o, today=args.date, cycle_number=args.cycle)


def cmd_plans(args: argparse.Namespace) -> int:
    """Many plans in one process: one PDF, or one PDF per pupil when --out is a folder."""
    from sendesk import atomic, upn

    password = _password(args)
    out: Path = args.out
    to_folder = out.is_dir() or not out.suffix
    if to_folder and not out.exists() and out.parent.is_dir():
        out.mkdir()  # a new folder for the run, in a folder that is there (never a whole path)
    if to_folder and (problem := atomic.folder_problem(out)):
        raise BadInput(f"{atomic.as_sentence(problem)}: give a folder, or a .pdf file.")
    if not to_folder and out.suffix.lower() != ".pdf":
        raise BadInput("Plans are written to a .pdf file or into a folder.")
    with open_vault(args, meanwhile=_PRINTING) as vault:
        if args.week is not None:
            pupil_ids = docs.pupils_with_reviews(vault.sessions, args.week)
        else:
            for text in args.pupils:
                if problem := upn.problem(upn.normalise(text)):
                    raise BadInput(f"{text!r} is not a valid UPN: {problem}")
            pupil_ids = docs.pupils_by_upn(vault.sessions, args.pupils)
        if not pupil_ids:
            say("No review meetings are planned that week: nothing to print.")
            return 0
        with collection.less_often():  # a print run's objects die with their plan
            run = docs.support_plans(
                vault.sessions, pupil_ids, _options(args), args.date, one_file=not to_folder
            )
        files = [(doc, out / doc.filename if to_folder else out) for doc in run.documents]
        docs.export_many(vault.sessions, files, password, _options(args), overwrite=args.force)
        printed = len(pupil_ids) - len(run.without_plan)
        where = f"into {out}" if to_folder else f"to {out}"
        say(f"{plural(printed, 'support plan')} saved {where}.")
        if run.without_plan:
            missing = len(run.without_plan)
            has = "has" if missing == 1 else "have"
            say(f"{plural(missing, 'pupil')} {has} no support plan to print yet.")
    return 0


def _evidence(s: Sessions, pid: int, args: argparse.Namespace, o: DocumentOptions) -> Printable:
    return docs.evidence_pack_pdf(s, pid, o, today=args.date)


def _passport(s: Sessions, pid: int, args: argparse.Namespace, o: DocumentOptions) -> Printable:
    return docs.passport_pdf(s, pid, o, today=args.date)


def cmd_letter(args: argparse.Namespace) -> int:
    password = _password(args)
    with open_vault(args) as vault:
        pupil_id = _pupil_id(vault.sessions, args.pupil) if args.pupil else None
        doc = docs.letter_of_concern_pdf(vault.sessions, pupil_id, _options(args), args.date)
        return _write(args, vault.sessions, doc, password)


def cmd_register(args: argparse.Namespace) -> int:
    password = _password(args)
    with open_vault(args) as vault:
        if args.census_check:
            _print_census(vault.sessions, args)
            if args.out is None:
                return 0
        if args.out is None:
            raise BadInput("Give --out FILE.pdf or FILE.csv (or --census-check to list problems).")
        suffix = args.out.suffix.lower()
        if suffix == ".csv":
            doc = docs.register_csv(vault.sessions, args.date)
        elif suffix == ".pdf":
            doc = docs.register_pdf(vault.sessions, _options(args), args.date)
        else:
            raise BadInput("The register is written as a .pdf or a .csv file.")
        return _write(args, vault.sessions, doc, password)


def cmd_census(args: argparse.Namespace) -> int:
    password = _password(args)
    with open_vault(args) as vault:
        _print_census(vault.sessions, args)
        if args.out is not None:
            doc = docs.census_pdf(vault.sessions, _options(args), args.date)
            return _write(args, vault.sessions, doc, password)
    return 0


def _print_census(sessions: Sessions, args: argparse.Namespace) -> None:
    found = docs.census_check(sessions)
    if getattr(args, "json", False):
        print(json.dumps(
            [{"upn": p.upn, "name": p.name, "problem": p.problem} for p in found],
            indent=2, ensure_ascii=False,
        ))  # fmt: skip
        return
    day, name = census.next_census(args.date or dt.date.today())
    if not found:
        say(f"Nothing to put right before the {name} on {day:%d/%m/%Y}.")
        return
    say(f"{plural(len(found), 'problem')} to put right before the {name} on {day:%d/%m/%Y}:")
    for p in found:
        print(for_terminal(f"{p.upn or '(no UPN)':13}  {p.name}: {p.problem}"))


def cmd_plan_template(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        if args.reset:
            docs.save_plan_template(vault.sessions, None)
            say("The support plan layout is back to SENDesk's default.")
        elif args.set is not None:
            try:
                source = args.set.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise BadInput(f"The template file {args.set} cannot be read.") from exc
            docs.save_plan_template(vault.sessions, plan_template.loads(source))
            say("The support plan layout was saved; plans print with it from now on.")
        template = docs.load_plan_template(vault.sessions)
    print(json.dumps(template.as_data(), indent=2, ensure_ascii=False))
    return 0


def _common(p: argparse.ArgumentParser, out_required: bool = True, what: str = "PDF") -> None:
    p.add_argument("--out", type=Path, required=out_required, help=f"the {what} file to write")
    p.add_argument("--force", action="store_true", help="replace --out if it exists already")
    p.add_argument("--large-print", action="store_true", help="16 pt text or larger")
    p.add_argument(
        "--dyslexia", action="store_true", help="dyslexia-friendly: cream page, 1.5 line spacing"
    )
    p.add_argument(
        "--password-file",
        type=Path,
        help="lock the PDF with the password in this file (AES-256)",
    )
    p.add_argument(
        "--for-parents",
        action="store_true",
        help="the parents' copy: plain words, abbreviations explained, no staff-only notes",
    )
    p.add_argument("--date", type=iso_date, help="the printed date (default today)")


def register(command: AddCommand) -> None:
    for name, build, text in (
        ("plan", _plan, "print the current SEN support plan"),
        ("review-record", _review, "print the record of the latest review"),
        ("evidence", _evidence, "print the EHC needs assessment evidence pack"),
        ("passport", _passport, "print the pupil passport (one-page profile)"),
    ):
        p = command(name, _pupil_command(build), text)
        p.add_argument("--pupil", required=True, metavar="UPN", help="the pupil's UPN")
        if name in ("plan", "review-record"):
            p.add_argument("--cycle", type=int, metavar="N", help="the plan of cycle N")
        _common(p)
    many = command("plans", cmd_plans, "print many pupils' support plans in one go")
    which = many.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--week", type=iso_date, metavar="DATE", help="pupils with a review meeting that week"
    )
    which.add_argument("--pupils", nargs="+", metavar="UPN", help="these pupils")
    _common(many, what="PDF file or folder")
    letter = command("letter", cmd_letter, "print the letter of concern template for parents")
    letter.add_argument("--pupil", metavar="UPN", help="fill in this pupil's name and class")
    _common(letter)
    reg = command("register", cmd_register, "print the SEN register as a PDF or CSV")
    _common(reg, out_required=False, what="PDF or CSV")
    reg.add_argument(
        "--census-check", action="store_true", help="list what would be wrong in the next census"
    )
    check = command("census", cmd_census, "list what would be wrong in the next school census")
    _common(check, out_required=False, what="PDF")
    check.add_argument("--json", action="store_true", help="print the problems as JSON")
    layout = command(
        "plan-template", cmd_plan_template, "show or change the support plan's sections (JSON)"
    )
    choice = layout.add_mutually_exclusive_group()
    choice.add_argument("--set", type=Path, metavar="JSON", help="use the layout in this file")
    choice.add_argument("--reset", action="store_true", help="go back to the default layout")
