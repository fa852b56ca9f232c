"""The parents' invitation to a review meeting: a letter, and the same words for an email.

It says when and where, who will be there, and how to prepare (the parent guides' prompts:
write down your concerns, bring schoolwork and reports and how your child feels about school,
list your questions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.platypus import Flowable, Spacer  # type: ignore[import-untyped, unused-ignore]

from sendesk.documents.common import long_date
from sendesk.documents.style import (
    DocumentOptions,
    Letterhead,
    facts,
    para,
    render,
    styles,
    writing_space,
)

TITLE = "Invitation to a review meeting"
PREPARE = (
    "Write down any concerns you have, so that nothing is forgotten on the day.",
    "Bring any schoolwork, reports or letters that help show how your child is getting on.",
    "Think about how your child feels about school, and ask them what they would like us to "
    "know; they are welcome to write or draw it.",
    "List the questions you would like to ask.",
)


@dataclass(frozen=True)
class Invitation:
    """Everything the letter says, as plain values."""

    child_name: str
    meeting_kind: str  # "SEN support review"
    starts_at: dt.datetime
    duration_minutes: int
    place: str | None
    invited: str | None  # who will be there, as the SENCo wrote it
    senco_name: str | None
    school_name: str

    @property
    def when(self) -> str:
        ends = self.starts_at + dt.timedelta(minutes=self.duration_minutes)
        return f"{self.starts_at:%H:%M} to {ends:%H:%M}"

    @property
    def day(self) -> str:
        return long_date(self.starts_at.date())

    @property
    def where(self) -> str:
        return self.place or f"{self.school_name} (we will confirm the room)"

    @property
    def who(self) -> str:
        return self.invited or "You, your child's class teacher and the SENCo"

    @property
    def signed(self) -> str:
        return f"{self.senco_name}, SENCo" if self.senco_name else "The SENCo"


def _opening(inv: Invitation) -> str:
    return (
        f"We would like to invite you to a meeting to review {inv.child_name}'s "
        f"{inv.meeting_kind.lower()}: how the support is going, what has helped, and what we "
        "will do next. Your views matter, and we will agree the next steps together."
    )


def email_text(inv: Invitation) -> str:
    """The invitation as the text of an email (plain text, no attachment)."""
    lines = [
        f"Subject: {inv.meeting_kind} for {inv.child_name} on {inv.starts_at:%d/%m/%Y}",
        "",
        f"Dear parent or carer of {inv.child_name},",
        "",
        _opening(inv),
        "",
        f"Date: {inv.day}",
        f"Time: {inv.when}",
        f"Place: {inv.where}",
        f"Who will be there: {inv.who}",
        "",
        "To prepare for the meeting, you may like to:",
        *(f"- {prompt}" for prompt in PREPARE),
        "",
        "Please reply to let us know whether you can come, or if another time would suit you "
        "better.",
        "",
        "With best wishes,",
        inv.signed,
        inv.school_name,
    ]
    return "\n".join(lines)


def build(letterhead: Letterhead, inv: Invitation, options: DocumentOptions | None = None) -> bytes:
    options = options or DocumentOptions()
    s = styles(options)
    gap = Spacer(1, s.body_size * 0.6)
    story: list[Flowable] = [
        para(TITLE, s.title),
        para(f"Dear parent or carer of {inv.child_name},", s.body),
        gap,
        para(_opening(inv), s.body),
        gap,
        *facts(
            [
                ("Date", inv.day),
                ("Time", inv.when),
                ("Place", inv.where),
                ("Who will be there", inv.who),
            ],
            s,
        ),
        gap,
        para("To prepare for the meeting, you may like to:", s.label),
        *(para(f"•  {prompt}", s.body) for prompt in PREPARE),
        gap,
        para("Notes and questions to bring:", s.label),
        writing_space(s, 4),
        gap,
        para(
            "Please return the slip below, or reply to the school office, to let us know whether "
            "you can come or if another time would suit you better.",
            s.body,
        ),
        para("With best wishes,", s.body),
        para(inv.signed, s.body),
        Spacer(1, s.body_size * 1.5),
        para("- - - - - - - - - - - - - -  cut here  - - - - - - - - - - - - - -", s.small),
        para(
            f"{inv.meeting_kind} for {inv.child_name}, {inv.day} at {inv.starts_at:%H:%M}",
            s.label,
        ),
        para("[   ] I / we will come.      [   ] Please offer another time.", s.body),
        para("Name: ______________________________   Signed: ______________________", s.body),
    ]
    return render(story, letterhead, options, TITLE)
