"""`sendesk pupils`: the register on the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from sendesk.commands import AddCommand, iso_date, open_records, say
from sendesk.errors import BadInput, NotFound
from sendesk.text import for_terminal, in_column

if TYPE_CHECKING:
    from sendesk.pupil_row import PupilRow
    from sendesk.records import Records


def cmd_pupils(args: argparse.Namespace) -> int:
    from sendesk import codes, upn

    if args.upn is not None and (problem := upn.problem(args.upn)):
        raise BadInput(f"{args.upn!r} is not a valid UPN: {problem}")
    with open_records(args, reads_only=True) as records:
        if args.upn is None:
            rows = _register(records, args.search, args.archived, args.as_of)
        else:
            wanted = upn.normalise(args.upn)
            everyone = _register(records, None, True, args.as_of)
            rows = [r for r in everyone if r.upn == wanted]
            if not rows:
                raise NotFound(upn.not_in_file(wanted))
    if args.json:
        print(json.dumps([_pupil_json(r) for r in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        say("No pupils match." if args.search else "No pupils in this file yet.")
        return 0
    print(f"{'UPN':13}  {'Name':30}  {'Year':9}  {'Class':5}  SEN  {'Needs':10}  Next review")
    for r in rows:
        needs = "/".join(n for n in (r.primary_need, r.secondary_need) if n)
        review = r.next_review.isoformat() if r.next_review else ""
        flag = "  OVERDUE" if r.overdue else "NONE BOOKED" if r.no_review_booked else ""
        print(
            f"{r.upn or '(none)':13}  {in_column(for_terminal(r.listed_as), 30):30}  "
            f"{codes.year_group_label(r.year_group):9}  {for_terminal(r.class_name or ''):5}  "
            f"{r.sen_status:3}  {needs:10}  {review}{flag}"
        )
    return 0


def _register(
    records: Records, search: str | None, archived: bool, as_of: dt.date | None
) -> list[PupilRow]:
    """The register, read with its one statement on the driver's own connection, of a record
    file or a team server: the ORM would cost more to import than the query takes."""
    from sendesk import register_query

    with records.reading() as conn:
        sql, values = register_query.statement(records.sql_dialect, search, archived)
        found = conn.execute(sql, values).fetchall()
    return register_query.rows(found, as_of or dt.date.today())


def _pupil_json(row: PupilRow) -> dict[str, Any]:
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


def register(command: AddCommand) -> None:
    pupil_list = command("pupils", cmd_pupils, "list pupils with their needs and next review")
    pupil_list.add_argument("--search", help="part of a name or UPN")
    pupil_list.add_argument("--upn", help="show only the pupil with this UPN")
    pupil_list.add_argument("--archived", action="store_true", help="include archived pupils")
    pupil_list.add_argument(
        "--as-of", type=iso_date, help="judge reviews overdue as of this date (default today)"
    )
    pupil_list.add_argument("--json", action="store_true", help="print JSON to standard output")
