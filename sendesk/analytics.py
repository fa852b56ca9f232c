"""The rules behind the whole-school figures, with no database: when a provision runs, what counts
as progress on a measure, when a pupil needs escalating, and which small numbers are hidden.

The services gather rows and ask these; the app, the documents and the command line show what the
services return. A provision's cost is always `sendesk.cycle.provision_cost_pence`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from sendesk.codes import Rating
from sendesk.school_year import school_year_end, school_year_start

# Fewer pupils than this are shown as "fewer than 5" in anything published (governors, the SEN
# information report), so no child can be picked out.
SUPPRESS_BELOW = 5
SUPPRESSED = f"fewer than {SUPPRESS_BELOW}"
# A count of 5 or more hidden so that a smaller group beside it cannot be worked out by
# subtraction, and a figure (a cost, an average) about a hidden group: never "fewer than 5",
# which would be false of the one and read as "less than £5" of the other (from the document
# review: "SEN support: fewer than 5" of ten pupils).
WITHHELD = "not shown"
HIDDEN: frozenset[str] = frozenset({SUPPRESSED, WITHHELD})

# Ratings that count as progress at review; the other two are little or no progress.
PROGRESS_RATINGS: frozenset[str] = frozenset({Rating.GOOD_PROGRESS, Rating.ACHIEVED})
# Reviewed cycles in a row with little or no progress before a pupil is flagged for escalation.
ESCALATE_AFTER_CYCLES = 2

T = TypeVar("T")


# How a period is charged for a provision, in the words every view prints (see `Period.part_of`).
PART_WORDS = (
    "A provision that runs only partly in the period is counted for its days in it: its cost "
    "and its planned sessions are spread evenly over the days it runs."
)


@dataclass(frozen=True)
class Period:
    starts_on: dt.date
    ends_on: dt.date

    def overlaps(self, starts_on: dt.date, ends_on: dt.date) -> bool:
        return starts_on <= self.ends_on and ends_on >= self.starts_on

    def part_of(self, starts_on: dt.date, ends_on: dt.date) -> float:
        """The share of the days from `starts_on` to `ends_on` (both counted) that fall in the
        period: what of a provision's cost and planned sessions the period is charged. A
        provision is spread evenly over the days it runs, so a term is charged only its own
        part of one that runs on into the next, and the terms of a year add up to the year."""
        days = (ends_on - starts_on).days + 1
        inside = (min(ends_on, self.ends_on) - max(starts_on, self.starts_on)).days + 1
        return 0.0 if days <= 0 or inside <= 0 else min(inside / days, 1.0)


def provision_span(
    starts_on: dt.date | None, weeks: int, cycle_opened_on: dt.date, cycle_closed_on: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The days a provision runs: from its start (else its cycle's), for its weeks, and never past
    the day its cycle closed."""
    start = starts_on or cycle_opened_on
    end = start + dt.timedelta(weeks=max(weeks, 1)) - dt.timedelta(days=1)
    if cycle_closed_on is not None:
        end = max(start, min(end, cycle_closed_on))
    return start, end


def kind_of(description: str) -> str:
    """Provisions are the same kind when their descriptions match, ignoring case and spacing."""
    return " ".join(description.split()).casefold()


def progress(entry: float, exit_: float, higher_is_better: bool) -> float:
    """Change from entry to exit, positive when the pupil improved whichever way is better."""
    return (exit_ - entry) if higher_is_better else (entry - exit_)


def entry_and_exit(scores: Sequence[tuple[dt.date, float, str]]) -> tuple[float, float] | None:
    """The entry and exit values of a pupil's (day, value, point) scores on one measure in one
    cycle: the baseline taken at Assess and the exit score taken at the Review where they were
    recorded, else the first and the last score; None when the exit is not on a later day than
    the entry (no change can be seen)."""
    ordered = sorted(scores)
    if not ordered:
        return None
    baselines = [s for s in ordered if s[2] == "baseline"]
    exits = [s for s in ordered if s[2] == "exit"]
    entry = baselines[0] if baselines else ordered[0]
    exit_ = exits[-1] if exits else ordered[-1]
    if exit_[0] <= entry[0]:
        return None
    return entry[1], exit_[1]


def little_or_no_progress(ratings: Sequence[str | None], measured: Sequence[float]) -> bool:
    """A reviewed cycle made little or no progress when no outcome was rated good progress or
    achieved and no measure of it improved."""
    rated = [r for r in ratings if r is not None]
    if not rated and not measured:
        return False  # nothing to judge by
    return not any(r in PROGRESS_RATINGS for r in rated) and not any(m > 0 for m in measured)


def needs_escalation(cycles_little_progress: Sequence[bool]) -> bool:
    """True when the pupil's last reviewed cycles (oldest first) all made little or no progress."""
    last = list(cycles_little_progress)[-ESCALATE_AFTER_CYCLES:]
    return len(last) == ESCALATE_AFTER_CYCLES and all(last)


def suppress(count: int) -> int | str:
    """A count as published: "fewer than 5" for 1 to 4 pupils; none is shown as 0."""
    return SUPPRESSED if 0 < count < SUPPRESS_BELOW else count


def suppress_parts(counts: Sequence[int]) -> list[int | str]:
    """Counts published beside the total they add up to: each of 1 to 4 pupils suppressed and,
    when only one is (the total less the others would give it back), the smallest other count
    too, so no hidden group can be worked out by subtraction."""
    shown = [suppress(c) for c in counts]
    hidden = [i for i, v in enumerate(shown) if v == SUPPRESSED]
    if len(hidden) == 1:
        others = [i for i, c in enumerate(counts) if shown[i] != SUPPRESSED and c > 0]
        if others:
            shown[min(others, key=lambda i: counts[i])] = WITHHELD  # 5 or more: not "fewer"
    return shown


def shown(pupils: int, figure: T) -> T | str:
    """A figure about a group (an average, a cost) hidden when the group is suppressed."""
    return SUPPRESSED if 0 < pupils < SUPPRESS_BELOW else figure


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def status_in_year(
    year: Period,
    today: dt.date,
    sen_status: str,
    sen_support_since: dt.date | None,
    ehc_plan_since: dt.date | None,
    gone_on: dt.date | None,
    plan_spans: Sequence[tuple[dt.date, dt.date | None]],
) -> str | None:
    """Whether a pupil was on the SEN register in a school year: "E", "K" or None.

    The file keeps no history of statuses, so a past year is read from what it does keep: an EHC
    plan from its start, SEN support from its start, and any cycle whose plan was agreed (past
    Plan) running in that year. A pupil who left or was archived before the year began is not in
    it; today's status stands for the year under way when no date says otherwise.
    """
    if gone_on is not None and gone_on < year.starts_on:
        return None
    current = year.starts_on <= today <= year.ends_on
    if ehc_plan_since is not None and ehc_plan_since <= year.ends_on:
        return "E"
    if current and sen_status == "E":
        return "E"
    if sen_status == "K" and (
        (sen_support_since is not None and sen_support_since <= year.ends_on)
        or (current and sen_support_since is None)
    ):
        return "K"
    if any(year.overlaps(start, end or today) for start, end in plan_spans):
        return "K"
    return None


def share_of_a_year(period: Period) -> float:
    """How much of a school year the period is, by days: what of the yearly notional SEN
    budget it is set against (a whole school year 1, its autumn term about a third)."""
    total = 0.0
    start = school_year_start(period.starts_on)
    while start <= period.ends_on:
        total += period.part_of(start, school_year_end(start))
        start = dt.date(start.year + 1, 9, 1)
    return total


def school_years(first: dt.date, today: dt.date) -> list[Period]:
    """Every school year from the one `first` falls in to the one under way, oldest first."""
    years = []
    start = school_year_start(first)
    while start <= today:
        years.append(Period(start, school_year_end(start)))
        start = dt.date(start.year + 1, 9, 1)
    return years
