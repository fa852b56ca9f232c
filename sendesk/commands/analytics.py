"""`sendesk provision-map`, `impact` and `governors-report`: the whole-school figures on the
command line, as text, as JSON (`--json`), or saved as a PDF or CSV (`--out`, audited).

A period is `--from` to `--to`; by default the school year of `--date` (default today).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sendesk.commands import AddCommand, iso_date, open_records, say
from sendesk.errors import BadInput
from sendesk.text import in_column


def _period(args: argparse.Namespace) -> Any:
    from sendesk.analytics import Period
    from sendesk.school_year import school_year_end, school_year_start

    day: dt.date = args.date or dt.date.today()
    start = args.start or school_year_start(day)
    end = args.end or school_year_end(start)
    if end < start:
        raise BadInput("The period ends before it starts: check --from and --to.")
    return Period(start, end)


def plain(value: object) -> Any:
    """Figures as JSON: dataclasses (with their computed properties), dates as ISO text."""
    import dataclasses  # here, not at the top: `sendesk --help` need not import it

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name, member in vars(type(value)).items():
            if isinstance(member, property):
                found[name] = plain(getattr(value, name))
        return found
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _run(
    args: argparse.Namespace,
    service: str,
    figures: Callable[[Any, Any, Any, dt.date], object],
    document: str,
    text: Callable[[Any], list[str]],
) -> int:
    """One view's command: `figures(module, sessions, period, today)` of the service module
    `sendesk.services.<service>`, imported while the file's key is derived."""
    period = _period(args)
    today: dt.date = args.date or dt.date.today()
    out: Path | None = args.out
    if out is not None and out.suffix.lower() not in (".pdf", ".csv"):
        raise BadInput("Save the report as a .pdf or a .csv file.")
    needs = ["sendesk.services." + service]
    if out is not None:
        needs += ["sendesk.services.analytics_documents", "sendesk.services.documents"]
    with open_records(args, meanwhile=needs) as records:
        if out is not None:  # the documents' libraries load only to write one
            from sendesk.documents.style import DocumentOptions
            from sendesk.services import analytics_documents
            from sendesk.services import documents as docs

            build = getattr(analytics_documents, document)
            options = DocumentOptions(large_print=args.large_print)
            doc = build(records.sessions, period, out.suffix.lower() == ".csv", today, options)
            target = docs.export(records.sessions, doc, out, None, options, overwrite=args.force)
            say(f"{doc.title} saved to {target}.")
            return 0
        found = figures(importlib.import_module(needs[0]), records.sessions, period, today)
    if args.json:
        print(json.dumps(plain(found), indent=2, ensure_ascii=False))
    else:
        print("\n".join(text(found)))
    return 0


def _money(pence: int | str | None) -> str:
    from sendesk.cycle import pounds

    if pence is None:
        return "-"
    return pence if isinstance(pence, str) else pounds(pence, pence_shown=True)


def _map_text(found: Any) -> list[str]:
    lines = [f"Provision map, {found.period.starts_on} to {found.period.ends_on}"]
    lines.append(
        f"{'Provision':34} {'Delivered by':16} {'Group':>5} {'Pupils':>6} "
        f"{'Held/planned':>12} {'Avg/pupil':>10} {'Total':>11}"
    )
    for line in found.lines:
        lines.append(
            f"{in_column(line.what, 34):34} {in_column(line.delivered_by, 16):16} "
            f"{line.group_size:>5} "
            f"{line.pupils:>6} {f'{line.sessions_delivered}/{line.sessions_planned}':>12} "
            f"{_money(line.cost_per_pupil_pence):>10} {_money(line.total_pence):>11}"
        )
    for title, groups in (
        ("Year group", found.by_year_group),
        ("Class", found.by_class),
        ("Area of need", found.by_area),
    ):
        lines.append("")
        lines.append(f"{title}:")
        for g in groups:
            lines.append(
                f"  {in_column(g.label, 40):40} {g.pupils:>5} pupils {_money(g.total_pence):>11}"
            )
    lines.append("")
    lines.append(
        f"Planned for the period: {_money(found.total_pence)} on {found.pupils} pupils; "
        f"notional SEN budget for the period {_money(found.budget_pence)}"
    )
    from sendesk.analytics import PART_WORDS

    lines.append(PART_WORDS)
    return lines


def _impact_text(found: Any) -> list[str]:
    lines = [f"Intervention impact, {found.period.starts_on} to {found.period.ends_on}"]
    for k in found.kinds:
        change = (
            "no entry and exit scores"
            if k.average_change is None
            else (f"{k.average_change:+g} {k.unit} average ({k.measured_pupils} measured)")
        )
        lines.append(
            f"{k.what}: {k.pupils} pupils, {k.sessions_delivered} of {k.sessions_planned} "
            f"sessions; {k.measure or 'no measure'}: {change}; outcomes achieved "
            f"{k.outcomes_achieved} of {k.outcomes_rated}; {_money(k.total_pence)}, "
            f"{_money(k.cost_per_outcome_pence)} per outcome achieved"
        )
    lines.append("")
    if found.escalations:
        lines.append("Little or no progress over two cycles (consider escalating):")
        for e in found.escalations:
            lines.append(f"  {e.name} (cycles {', '.join(str(n) for n in e.cycles)})")
    else:
        lines.append("No pupil made little or no progress over two cycles.")
    return lines


def _governors_text(found: Any) -> list[str]:
    lines = [
        f"SEN report for governors, {found.period.starts_on} to {found.period.ends_on}",
        f"On roll: {found.on_roll}; on the SEN register: {found.on_register}; "
        f"flagged for escalation: {found.escalations}",
        f"Provision planned for the period: {_money(found.total_pence)}; notional SEN budget "
        f"for the period {_money(found.budget_pence)}",
    ]
    for title, counts in (
        ("By status", found.by_status),
        ("By need", found.by_need),
        ("By year group", found.by_year_group),
    ):
        lines.append(f"{title}:")
        lines += [f"  {in_column(c.label, 50):50} {c.pupils}" for c in counts]
    lines.append("Over the years:")
    lines += [f"  {y.label}: {y.on_register} on the register" for y in found.over_years]
    return lines


def cmd_provision_map(args: argparse.Namespace) -> int:
    return _run(
        args, "provision_map", lambda m, s, p, _t: m.build(s, p), "provision_map_doc", _map_text
    )


def cmd_impact(args: argparse.Namespace) -> int:
    return _run(args, "impact", lambda m, s, p, _t: m.build(s, p), "impact_doc", _impact_text)


def cmd_governors_report(args: argparse.Namespace) -> int:
    return _run(
        args, "governors", lambda m, s, p, t: m.build(s, p, t), "governors_doc", _governors_text
    )


def register(command: AddCommand) -> None:
    for name, handler, text in (
        ("provision-map", cmd_provision_map, "the whole-school provision map with its costs"),
        ("impact", cmd_impact, "intervention impact, and pupils to consider escalating"),
        (
            "governors-report",
            cmd_governors_report,
            "the SEN figures for governors: no names, fewer than 5 suppressed",
        ),
    ):
        p = command(name, handler, text)
        p.add_argument("--from", dest="start", type=iso_date, help="first day of the period")
        p.add_argument("--to", dest="end", type=iso_date, help="last day of the period")
        p.add_argument("--date", type=iso_date, help="today's date (default: today)")
        # One or the other: with both, the JSON asked for would silently not be printed.
        output = p.add_mutually_exclusive_group()
        output.add_argument("--json", action="store_true", help="print JSON to standard output")
        output.add_argument("--out", type=Path, help="save as a PDF or CSV file (audited)")
        p.add_argument("--force", action="store_true", help="replace --out if it exists already")
        p.add_argument("--large-print", action="store_true", help="a PDF in 16 pt text")
