"""`sendesk reviews`: review meetings in a date range, and their iCalendar export."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendesk.commands import AddCommand, iso_date, open_records, say
from sendesk.errors import BadInput, FileProblem
from sendesk.text import for_terminal, in_column

if TYPE_CHECKING:
    from sendesk.services import meetings


def _range(args: argparse.Namespace, today: dt.date) -> tuple[dt.date, dt.date]:
    """The range asked for; by default the school year of --from (or of today)."""
    from sendesk import calendar  # icalendar and holidays, only when the command runs

    first = args.date_from or calendar.school_year(args.date_to or today)[0]
    last = args.date_to or calendar.school_year(first)[1]
    if last < first:
        raise BadInput(f"--to ({last.isoformat()}) is before --from ({first.isoformat()}).")
    return first, last


def _check_out(path: Path) -> None:
    if path.suffix.lower() == ".sendesk":
        raise BadInput("Give the calendar a name ending .ics, not a record file's name.")
    if path.is_dir():
        raise FileProblem(f"{path} is a folder; give a file name ending .ics.")
    if not path.parent.is_dir():
        raise FileProblem(f"There is no folder {path.parent} to write the calendar into.")


def cmd_reviews(args: argparse.Namespace) -> int:
    from sendesk import codes

    today = args.as_of or dt.date.today()
    first, last = _range(args, today)
    if args.ics is not None:
        from sendesk import atomic

        _check_out(args.ics)
        atomic.check_target(args.ics, overwrite=args.force, what="The calendar")  # before work
    kinds = None if args.all_kinds else codes.REVIEW_MEETING_KINDS
    services = ["sendesk.services.meetings", "sendesk.services.meeting_exports"]
    with open_records(args, meanwhile=services) as vault:
        from sendesk.services import meeting_exports, meetings  # imported while the key derived

        rows = meetings.between(vault.sessions, first, last, kinds)
        if args.ics is not None:
            data, count = meeting_exports.export_ics(vault.sessions, first, last, kinds)
            from sendesk import atomic

            atomic.write(args.ics, data, overwrite=args.force, what="The calendar")
            say(f"Wrote {count} event{'s' if count != 1 else ''} to {args.ics}.")
    if args.json:
        print(json.dumps([_meeting_json(m, today) for m in rows], indent=2, ensure_ascii=False))
        return 0
    if args.ics is not None:
        return 0
    if not rows:
        say(f"No meetings between {first.isoformat()} and {last.isoformat()}.")
        return 0
    print(f"{'When':16}  {'UPN':13}  {'Pupil':28}  {'Meeting':24}  Status")
    for m in rows:
        flag = "  OVERDUE" if m.overdue(today) else ""
        print(
            f"{m.starts_at:%Y-%m-%d %H:%M}  {m.pupil_upn or '(none)':13}  "
            f"{in_column(for_terminal(m.pupil_name), 28):28}  {in_column(m.kind_label, 24):24}  "
            f"{m.status_label}{flag}"
        )
    return 0


def _meeting_json(m: meetings.MeetingView, today: dt.date) -> dict[str, Any]:
    return {
        "pupil_upn": m.pupil_upn,
        "kind": m.kind,
        "starts_at": m.starts_at.isoformat(timespec="minutes"),
        "status": m.status,
        "overdue": m.overdue(today),
    }


def register(command: AddCommand) -> None:
    reviews = command("reviews", cmd_reviews, "list review meetings, export them as iCalendar")
    reviews.add_argument(
        "--from", dest="date_from", type=iso_date, help="first day (default: 1 September)"
    )
    reviews.add_argument(
        "--to", dest="date_to", type=iso_date, help="last day (default: 31 August)"
    )
    reviews.add_argument(
        "--ics", type=Path, help="also write the meetings to this iCalendar (.ics) file"
    )
    reviews.add_argument(
        "--force", action="store_true", help="replace the --ics file if it exists already"
    )
    reviews.add_argument(
        "--all-kinds", action="store_true", help="every meeting, not only reviews with parents"
    )
    reviews.add_argument(
        "--as-of", type=iso_date, help="judge reviews overdue as of this date (default today)"
    )
    reviews.add_argument("--json", action="store_true", help="print JSON to standard output")
