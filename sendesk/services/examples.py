"""Example outcomes per broad area of need: shipped in resources/, editable per school."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from sendesk import codes
from sendesk.errors import ValidationFailed
from sendesk.models import AppSetting
from sendesk.resources import resource_path
from sendesk.services import Sessions, audit

SETTING_KEY = "example_outcomes"


@dataclass(frozen=True)
class ExampleOutcome:
    description: str
    success_criteria: str


def shipped() -> dict[str, list[ExampleOutcome]]:
    data = json.loads(resource_path("example_outcomes.json").read_text(encoding="utf-8"))
    return _parse(data["areas"])


def _parse(areas: dict[str, list[dict[str, str]]]) -> dict[str, list[ExampleOutcome]]:
    return {
        area: [ExampleOutcome(e["description"], e.get("success_criteria", "")) for e in items]
        for area, items in areas.items()
        if area in codes.AREA_BY_CODE
    }


def load(sessions: Sessions) -> dict[str, list[ExampleOutcome]]:
    """The school's list if it has edited one, else the shipped examples."""
    with sessions() as session:
        stored = session.get(AppSetting, SETTING_KEY)
        if stored is not None:
            return _parse(json.loads(stored.value_json))
    return shipped()


def save(sessions: Sessions, examples: dict[str, list[ExampleOutcome]]) -> None:
    if any(not e.description.strip() for items in examples.values() for e in items):
        raise ValidationFailed({"examples": "Every example needs a description."})
    as_data = {
        area: [
            {"description": e.description.strip(), "success_criteria": e.success_criteria.strip()}
            for e in items
        ]
        for area, items in examples.items()
    }
    payload = json.dumps(as_data, ensure_ascii=False)
    with sessions() as session, session.begin():
        stored = session.execute(
            select(AppSetting).where(AppSetting.key == SETTING_KEY)
        ).scalar_one_or_none()
        if stored is None:
            session.add(AppSetting(key=SETTING_KEY, value_json=payload))
        else:
            stored.value_json = payload
        audit.record(session, "settings.examples", "Example outcomes edited")


def add(sessions: Sessions, area: str, example: ExampleOutcome) -> None:
    """Extend the school's list with one more example (from a plan being written)."""
    if area not in codes.AREA_BY_CODE:
        raise ValidationFailed({"area": "Choose a broad area of need."})
    current = load(sessions)
    if example not in current.get(area, []):
        current.setdefault(area, []).append(example)
        save(sessions, current)
