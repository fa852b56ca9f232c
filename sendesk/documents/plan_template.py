"""The layout of the SEN support plan: which sections, in what order, under which headings.

Local authorities prescribe their own plan formats, so the layout is data: a default ships in
`resources/plan_template.json`, and a school's own version is kept in its record file (the
`plan_template` app setting). Each section names a `kind` the plan knows how to fill; a `text`
section prints fixed wording of the school's choosing (a local authority's guidance, say).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sendesk.errors import ValidationFailed
from sendesk.resources import resource_path
from sendesk.text import name_problem

TEMPLATE_FILE = "plan_template.json"
MAX_SECTIONS = 40

SECTION_KINDS: dict[str, str] = {
    "pupil": "The pupil's details: name, date of birth, year, class, UPN, SEN status",
    "needs": "Needs in plain words with their census codes, and the concern",
    "strengths": "Strengths, what helps and what does not help",
    "pupil_views": "The pupil's own views",
    "parent_views": "The parents' or carers' views",
    "teacher_views": "The class teacher's views",
    "evidence": "The assessment evidence",
    "outcomes": "The outcomes, how we will know and by when",
    "provision": "The provision: what, who, how often, how long",
    "strategies": "Strategies for every adult who works with the pupil",
    "review": "The review date and when parents were told",
    "comments": "Space for the parents' and pupil's comments, and signatures",
    "text": "Fixed wording given in the template",
}


@dataclass(frozen=True)
class Section:
    kind: str
    heading: str
    note: str = ""  # printed under the heading (guidance for the reader)
    text: str = ""  # the wording of a `text` section


@dataclass(frozen=True)
class PlanTemplate:
    title: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def as_data(self) -> dict[str, Any]:
        sections = []
        for s in self.sections:
            entry = {"kind": s.kind, "heading": s.heading}
            entry |= {"note": s.note} if s.note else {}
            entry |= {"text": s.text} if s.text else {}
            sections.append(entry)
        return {"version": 1, "title": self.title, "sections": sections}


def parse(data: object) -> PlanTemplate:
    """A template from its JSON data; `ValidationFailed` says what is wrong with it."""
    if not isinstance(data, dict):
        raise ValidationFailed({"template": "A plan template is a JSON object."})
    if data.get("version", 1) != 1:  # the only version there is: a later one is not read
        raise ValidationFailed(
            {"template": "This plan template is version "
             f"{data.get('version')!r}; this SENDesk reads version 1 only."}
        )  # fmt: skip
    title = data.get("title", "SEN support plan")
    raw = data.get("sections")
    if not isinstance(title, str) or not title.strip():
        raise ValidationFailed({"title": "The plan template needs a title."})
    if found := name_problem(title, "The plan's title"):
        raise ValidationFailed({"title": found})
    if not isinstance(raw, list) or not raw:
        raise ValidationFailed({"sections": "The plan template needs a list of sections."})
    if len(raw) > MAX_SECTIONS:
        raise ValidationFailed({"sections": f"A plan has at most {MAX_SECTIONS} sections."})
    sections = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise ValidationFailed({"sections": f"Section {number} is not a JSON object."})
        kind, heading = item.get("kind"), item.get("heading")
        if kind not in SECTION_KINDS:
            known = ", ".join(SECTION_KINDS)
            raise ValidationFailed(
                {"sections": f"Section {number} has kind {kind!r}; use one of: {known}."}
            )
        if not isinstance(heading, str) or not heading.strip():
            raise ValidationFailed({"sections": f"Section {number} needs a heading."})
        if found := name_problem(heading, f"Section {number}'s heading"):
            raise ValidationFailed({"sections": found})
        note, text = item.get("note", ""), item.get("text", "")
        if not isinstance(note, str) or not isinstance(text, str):
            raise ValidationFailed({"sections": f"Section {number}: note and text are text."})
        if kind == "text" and not text.strip():
            raise ValidationFailed({"sections": f"Section {number} is a text section: give text."})
        sections.append(Section(str(kind), heading.strip(), note.strip(), text.strip()))
    return PlanTemplate(title.strip(), tuple(sections))


def loads(text: str) -> PlanTemplate:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed({"template": f"The plan template is not valid JSON: {exc}"}) from exc
    except RecursionError as exc:  # thousands of brackets inside brackets (the fault trial)
        raise ValidationFailed(
            {"template": "The plan template is nested far too deeply to be a plan template."}
        ) from exc
    return parse(data)


def shipped() -> PlanTemplate:
    """The default layout shipped with SENDesk."""
    return loads(resource_path(TEMPLATE_FILE).read_text(encoding="utf-8"))
