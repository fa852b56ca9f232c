"""Scores on the school's assessment measures as people type them, and what makes one unusable.

Pure rules (no database, no Qt): the services check every score with them, and the wizards read
what was typed with them, so a score is refused in the same words wherever it is entered.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sendesk import dates
from sendesk.errors import BadInput

# Plain decimal numbers only: no thousands separators, underscores, exponents or "nan", which
# Python's float() would take but which a SENCo never means.
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)


@dataclass(frozen=True)
class Scale:
    """What a score is checked against: the measure's name, unit and optional ends."""

    name: str
    unit: str
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class StageScore:
    """A score taken at a stage of a cycle: the baseline at Assess, the exit score at Review."""

    measure_id: int
    value: float
    recorded_on: dt.date
    note: str = ""


@dataclass(frozen=True)
class TypedScore:
    """A row of a scores table as typed: the measure chosen, the score, the date, a note."""

    measure_id: int | None
    value: str
    recorded_on: str
    note: str = ""


def _num(value: float) -> str:
    return f"{value:g}"


def value_problem(value: float, scale: Scale) -> str | None:
    """Why `value` cannot be a score on the measure, naming it; None when it can."""
    if not math.isfinite(value):
        return f"The score for {scale.name} must be a number."
    low, high = scale.low, scale.high
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    if low is not None and high is not None:
        allowed = f"runs from {_num(low)} to {_num(high)}"
    elif low is not None:
        allowed = f"starts at {_num(low)}"
    else:
        assert high is not None
        allowed = f"goes up to {_num(high)}"
    return f"{scale.name} {allowed} {scale.unit}: {_num(value)} is outside it."


def read_value(typed: str, scale: Scale) -> float:
    """The number typed as a score on the measure, or `BadInput` that names the measure."""
    text = typed.strip()
    if not _NUMBER.fullmatch(text):
        shown = f"“{text}” is not one" if text else "none was given"
        raise BadInput(
            f"The score for {scale.name} must be a number, such as 84 or 102.5 ({shown})."
        )
    value = float(text)
    problem = value_problem(value, scale)
    if problem:
        raise BadInput(problem)
    return value


def read_rows(rows: Iterable[TypedScore], scales: Mapping[int, Scale]) -> list[StageScore]:
    """The scores a table holds. A row with neither a score nor a note is left out (a measure
    offered with nothing typed against it); anything else unreadable raises `BadInput`."""
    found: list[StageScore] = []
    for row in rows:
        if not row.value.strip() and not row.note.strip():
            continue
        if row.measure_id is None or row.measure_id not in scales:
            raise BadInput("Choose the measure of every score.")
        scale = scales[row.measure_id]
        value = read_value(row.value, scale)
        if not row.recorded_on.strip():
            raise BadInput(f"Give the date of the score for {scale.name}.")
        try:
            day = dates.parse(row.recorded_on)
        except BadInput as exc:
            raise BadInput(f"The date of the score for {scale.name}: {exc.message}") from exc
        found.append(StageScore(row.measure_id, value, day, row.note.strip()))
    return found


def stage_problems(
    scores: Sequence[StageScore], scales: Mapping[int, Scale], what: str, today: dt.date
) -> list[str]:
    """What stops a stage's scores (`what`: "baseline" or "exit score") from being stored: at
    most one a measure, each within its measure's scale and dated no later than today."""
    problems: list[str] = []
    seen: set[int] = set()
    for score in scores:
        scale = scales.get(score.measure_id)
        if scale is None:
            problems.append("Choose the measure of every score.")
            continue
        if score.measure_id in seen:
            problems.append(f"{scale.name} is given twice: keep one {what} for each measure.")
        seen.add(score.measure_id)
        problem = value_problem(score.value, scale)
        if problem:
            problems.append(problem)
        if score.recorded_on > today:
            problems.append(f"The score for {scale.name} cannot be dated in the future.")
    return list(dict.fromkeys(problems))


def at_stage(value: float, unit: str, stage: str, day: dt.date) -> str:
    """How a score taken at a stage is shown beside the next one: "84 months at Assess on
    03/09/2026"."""
    return f"{_num(value)} {unit} at {stage} on {dates.show(day)}"
