"""The whole-school reports as PDF (with charts) and CSV: the provision map, intervention impact
and the governors' report. Every figure comes from the services; nothing is computed here but
how it reads."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from reportlab.platypus import Flowable, Spacer  # type: ignore[import-untyped, unused-ignore]

from sendesk import analytics, codes
from sendesk.analytics import SUPPRESS_BELOW, Period
from sendesk.cycle import pounds as _pounds
from sendesk.documents import common
from sendesk.documents.charts import bars
from sendesk.documents.style import (
    DocumentOptions,
    Letterhead,
    clean,
    frame_size,
    heading,
    para,
    render,
    styles,
    table,
)
from sendesk.figures import (
    GovernorsReport,
    GroupTotal,
    ImpactReport,
    ProvisionMap,
    RegisterSummary,
)
from sendesk.spreadsheet import safe_cell

PROVISION_MAP_TITLE = "Provision map"
IMPACT_TITLE = "Intervention impact"
GOVERNORS_TITLE = "SEN report for governors"
SUMMARY_TITLE = "Anonymised register summary"


def period_words(period: Period) -> str:
    return f"{common.show(period.starts_on)} to {common.show(period.ends_on)}"


# A figure about a group too small to show: not "fewer than 5", which under "Planned cost" or
# "Average change" would read as less than £5 or than five points (from the document review).
NOT_SHOWN = analytics.WITHHELD
SUPPRESSION_WORDS = (
    f"No pupil is named. Any group of fewer than {SUPPRESS_BELOW} pupils is shown as "
    f'"fewer than {SUPPRESS_BELOW}", and the figures about it as "{NOT_SHOWN}", so no child can '
    f'be identified. A larger group beside one is also "{NOT_SHOWN}" where the total would '
    "otherwise give the smaller one away."
)


def _figure(text: str) -> str:
    return NOT_SHOWN if text == analytics.SUPPRESSED else text


def money(value: int | str | None) -> str:
    if value is None:
        return ""
    return _figure(value) if isinstance(value, str) else pounds(value)


def change(value: float | str | None, unit: str | None) -> str:
    if value is None:
        return "no entry and exit scores"
    if isinstance(value, str):
        return _figure(value)
    words = (unit or "").split()
    if abs(value) == 1 and words and len(words[0]) > 2 and words[0].endswith("s"):
        words[0] = words[0][:-1]  # "+1 point", "-1 word per minute", as "+2 points"
    return f"{value:+g} {' '.join(words)}".strip()


def pounds(pence: int) -> str:
    """Every amount of the whole-school figures with its pence: they stand in columns, and a
    period's part of a provision is rarely whole pounds ('£486.00' beside '£488.57')."""
    return _pounds(pence, pence_shown=True)


def percent(value: float | int | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _figure(value)
    return f"{round(value * 100) if isinstance(value, float) else value}%"


# --- provision map -----------------------------------------------------------------------------

MAP_COLUMNS = (
    "Provision",
    "Delivered by",
    "Group",
    "Pupils",
    "Sessions (held / planned)",
    "Average per pupil",
    "Total",
)


def map_rows(found: ProvisionMap) -> list[tuple[str, ...]]:
    return [
        (
            line.what,
            line.delivered_by,
            line.group_size,
            str(line.pupils),
            f"{line.sessions_delivered} / {line.sessions_planned}",
            pounds(line.cost_per_pupil_pence),
            pounds(line.total_pence),
        )
        for line in found.lines
    ]


def budget_words(found: ProvisionMap) -> str:
    planned = (
        f"Provision planned for the period: {pounds(found.total_pence)} on {found.pupils} pupils"
    )
    if found.budget_pence is None:
        return f"{planned}. No notional SEN budget is set (Settings). {analytics.PART_WORDS}"
    left = found.remaining_pence or 0
    state = f"{pounds(left)} left" if left >= 0 else f"{pounds(-left)} over"
    return f"{planned}, against {budget_for(found)}: {state}. {analytics.PART_WORDS}"


def budget_for(found: ProvisionMap | GovernorsReport) -> str:
    """The budget a period is set against: the year's, or a part period's share of it."""
    year = found.year_budget_pence
    if year is None or found.budget_pence is None or found.budget_pence == year:
        return f"a notional SEN budget of {money(found.budget_pence)}"
    return (
        f"the period's part of the notional SEN budget, {pounds(found.budget_pence)} "
        f"(the school year's is {pounds(year)})"
    )


def provision_map_pdf(
    found: ProvisionMap, letterhead: Letterhead, options: DocumentOptions | None = None
) -> bytes:
    options = options or DocumentOptions()
    s = styles(options)
    width = frame_size(wide=True)[0]
    story: list[Flowable] = [
        para(f"Provision map, {period_words(found.period)}", s.title),
        para(budget_words(found), s.body),
    ]
    if found.lines:
        story += table(MAP_COLUMNS, map_rows(found), s, wide=True)
    else:
        story.append(para("No provision ran in this period.", s.body))
    for title, groups in (
        ("By year group", found.by_year_group),
        ("By class", found.by_class),
        ("By area of need", found.by_area),
    ):
        story += heading(title, s)
        story.append(
            bars(
                f"Cost {title.lower()}",
                [g.label for g in groups],
                [g.total_pence / 100 for g in groups],
                width,
                "£{:,.0f}",
            )
        )
        story.append(Spacer(1, 6))
        story += table(
            ("", "Pupils", "Provisions", "Total"),
            group_rows(groups),
            s,
            wide=True,
        )
    return render(story, letterhead, options, PROVISION_MAP_TITLE, wide=True)


def group_rows(groups: Sequence[GroupTotal]) -> list[tuple[str, ...]]:
    return [(g.label, str(g.pupils), str(g.provisions), pounds(g.total_pence)) for g in groups]


def provision_map_csv(found: ProvisionMap) -> bytes:
    rows: list[Sequence[str]] = [MAP_COLUMNS, *map_rows(found), ()]
    for title, groups in (
        ("Year group", found.by_year_group),
        ("Class", found.by_class),
        ("Area of need", found.by_area),
    ):
        rows += [(title, "Pupils", "Provisions", "Total"), *group_rows(groups), ()]
    rows.append(("Total", str(found.pupils), "", pounds(found.total_pence)))
    if found.budget_pence is not None:
        rows.append(("Notional SEN budget", "", "", pounds(found.budget_pence)))
    return _csv(rows)


# --- impact ------------------------------------------------------------------------------------

IMPACT_COLUMNS = (
    "Provision",
    "Measure",
    "Pupils",
    "Sessions (held / planned)",
    "Average change",
    "Outcomes achieved",
    "Total cost",
    "Cost per outcome achieved",
)


def impact_rows(found: ImpactReport) -> list[tuple[str, ...]]:
    return [
        (
            k.what,
            k.measure or "",
            str(k.pupils),
            f"{k.sessions_delivered} / {k.sessions_planned}",
            change(k.average_change, k.unit)
            + (f" ({k.measured_pupils} measured)" if k.average_change is not None else ""),
            f"{k.outcomes_achieved} of {k.outcomes_rated}",
            pounds(k.total_pence),
            money(k.cost_per_outcome_pence),
        )
        for k in found.kinds
    ]


def escalation_rows(found: ImpactReport) -> list[tuple[str, ...]]:
    return [
        (
            e.name,
            codes.year_group_label(e.year_group),
            e.class_name or "",
            ", ".join(str(n) for n in e.cycles),
            codes.NEXT_STEP_LABELS.get(e.last_next_step or "", ""),
        )
        for e in found.escalations
    ]


ESCALATION_COLUMNS = ("Pupil", "Year", "Class", "Cycles", "Last next step")


def impact_pdf(
    found: ImpactReport, letterhead: Letterhead, options: DocumentOptions | None = None
) -> bytes:
    options = options or DocumentOptions()
    s = styles(options)
    width = frame_size(wide=True)[0]
    story: list[Flowable] = [
        para(f"Intervention impact, {period_words(found.period)}", s.title),
        para(
            "For each kind of provision: the change from each pupil's first to last score on its "
            "measure within the cycle (a positive change is an improvement, whichever way the "
            "measure runs), the outcomes of its cycles achieved at review, and its cost per "
            "outcome achieved.",
            s.small,
        ),
    ]
    if found.kinds:
        story += table(
            IMPACT_COLUMNS,
            impact_rows(found),
            s,
            wide=True,
        )
        delivered = [k for k in found.kinds if k.delivered is not None]
        story.append(
            bars(
                "Sessions delivered of those planned",
                [k.what for k in delivered],
                [round((k.delivered or 0) * 100) for k in delivered],
                width,
                "{:g}%",
            )
        )
    else:
        story.append(para("No provision ran in this period.", s.body))
    story += heading("Pupils to consider escalating", s)
    if found.escalations:
        story.append(
            para(
                "Little or no progress over their last two reviewed cycles: no outcome "
                "at good progress or achieved, and no measure improved.",
                s.small,
            )
        )
        story += table(ESCALATION_COLUMNS, escalation_rows(found), s, wide=True)
    else:
        story.append(para("No pupil made little or no progress over two cycles.", s.body))
    return render(story, letterhead, options, IMPACT_TITLE, wide=True)


def impact_csv(found: ImpactReport) -> bytes:
    rows: list[Sequence[str]] = [IMPACT_COLUMNS, *impact_rows(found), ()]
    rows += [ESCALATION_COLUMNS, *escalation_rows(found)]
    return _csv(rows)


# --- governors ---------------------------------------------------------------------------------


def _shown(value: int | str) -> str:
    return str(value)


# The file keeps today's statuses, not each past day's: the first three are as they stand today,
# whatever the period (from the document review: a report on 2025/26 gave today's register).
GOVERNOR_SECTIONS = (
    "Pupils by SEN status today",
    "Pupils on the register today by primary need",
    "Pupils on the register today by year group",
    "The register over the years",
    "Spending by area of need",
    "Interventions",
)


def governor_sections(
    found: GovernorsReport,
) -> list[tuple[str, Sequence[str], list[tuple[str, ...]]]]:
    return [
        (
            GOVERNOR_SECTIONS[0],
            ("Status", "Pupils"),
            [(c.label, _shown(c.pupils)) for c in found.by_status],
        ),
        (
            GOVERNOR_SECTIONS[1],
            ("Need", "Pupils"),
            [(c.label, _shown(c.pupils)) for c in found.by_need],
        ),
        (
            GOVERNOR_SECTIONS[2],
            ("Year group", "Pupils"),
            [(c.label, _shown(c.pupils)) for c in found.by_year_group],
        ),
        (
            GOVERNOR_SECTIONS[3],
            ("School year", "SEN support", "EHC plan", "On register"),
            [
                (y.label, _shown(y.sen_support), _shown(y.ehc_plan), _shown(y.on_register))
                for y in found.over_years
            ],
        ),
        (
            GOVERNOR_SECTIONS[4],
            ("Area of need", "Pupils", "Planned cost"),
            [(a.label, _shown(a.pupils), money(a.total_pence)) for a in found.spend_by_area],
        ),
        (
            GOVERNOR_SECTIONS[5],
            (
                "Provision",
                "Pupils",
                "Sessions delivered",
                "Average change",
                "Outcomes achieved",
                "Cost per outcome achieved",
            ),
            [
                (
                    i.what,
                    _shown(i.pupils),
                    percent(i.delivered_percent),
                    change(i.average_change, i.unit),
                    percent(i.outcomes_achieved_percent),
                    money(i.cost_per_outcome_pence),
                )
                for i in found.interventions
            ],
        ),
    ]


def governors_pdf(
    found: GovernorsReport, letterhead: Letterhead, options: DocumentOptions | None = None
) -> bytes:
    options = options or DocumentOptions()
    s = styles(options)
    width = frame_size()[0]
    spend = f"{pounds(found.total_pence)} of SEN provision planned for the period"
    if found.budget_pence is not None:
        spend += f", against {budget_for(found)}"
    story: list[Flowable] = [
        para(f"SEN report for governors, {period_words(found.period)}", s.title),
        para(SUPPRESSION_WORDS, s.small),
        para(
            f"Pupils on roll today: {found.on_roll}. On the SEN register today: "
            f"{found.on_register}. "
            f"Provision: {spend}. Pupils flagged for escalation: {found.escalations}. "
            f"{analytics.PART_WORDS}",
            s.body,
        ),
    ]
    years = [y for y in found.over_years if isinstance(y.on_register, int)]
    if years:
        story.append(
            bars(
                "Pupils on the SEN register by school year",
                [y.label for y in years],
                [float(y.on_register) for y in years],
                width,
            )
        )
    for title, header, rows in governor_sections(found):
        story += heading(title, s)
        if rows:
            story += table(header, rows, s)
        else:
            story.append(para("None.", s.body))
    return render(story, letterhead, options, GOVERNORS_TITLE)


def governors_csv(found: GovernorsReport) -> bytes:
    rows: list[Sequence[str]] = [
        ("Pupils on roll today", _shown(found.on_roll)),
        ("On the SEN register today", _shown(found.on_register)),
        ("SEN provision planned for the period", pounds(found.total_pence)),
        ("Notional SEN budget for the period", money(found.budget_pence)),
        ("Pupils flagged for escalation", _shown(found.escalations)),
        (),
    ]
    for title, header, body in governor_sections(found):
        rows += [(title,), header, *body, ()]
    return _csv(rows)


# --- the leaders' summary -----------------------------------------------------------------------

SUMMARY_COLUMNS = ("SEN status", "Primary need", "Year group", "Pupils")
SUMMARY_NOTE = (
    "Pupils on roll, counted by SEN status, primary need and year group. No pupil is named, and "
    f'the server shows any group of fewer than {SUPPRESS_BELOW} pupils as "fewer than '
    f'{SUPPRESS_BELOW}", so no child can be identified.'
)


def summary_rows(found: RegisterSummary) -> list[tuple[str, ...]]:
    return [(g.status, g.need, g.year_group, _shown(g.pupils)) for g in found.groups]


def summary_words(found: RegisterSummary) -> str:
    """How many groups the table holds and how many of them the server left uncounted (no total:
    it would invite working out what was left out)."""
    if not found.groups:
        return "The server counted no pupils on roll."
    groups = len(found.groups)
    words = f"{groups} group{'' if groups == 1 else 's'} of pupils"
    if not found.suppressed:
        return f"{words}, each of {SUPPRESS_BELOW} or more."
    return f"{words}; {found.suppressed} of them with fewer than {SUPPRESS_BELOW} pupils."


def summary_pdf(
    found: RegisterSummary, letterhead: Letterhead, options: DocumentOptions | None = None
) -> bytes:
    options = options or DocumentOptions()
    s = styles(options)
    story: list[Flowable] = [
        para(f"{SUMMARY_TITLE}: {found.school}", s.title),
        para(SUMMARY_NOTE, s.small),
        para(summary_words(found), s.body),
    ]
    rows = summary_rows(found)
    story += table(SUMMARY_COLUMNS, rows, s) if rows else [para("None.", s.body)]
    return render(story, letterhead, options, SUMMARY_TITLE)


def summary_csv(found: RegisterSummary) -> bytes:
    return _csv(
        [
            (SUMMARY_TITLE, found.school),
            (summary_words(found),),
            (),
            SUMMARY_COLUMNS,
            *summary_rows(found),
        ]
    )


def _csv(rows: Sequence[Sequence[str]]) -> bytes:
    """UTF-8 with a byte-order mark for Excel; no cell can run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(clean(str(c))) for c in row])
    return out.getvalue().encode("utf-8-sig")
