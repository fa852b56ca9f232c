"""Review: rate each outcome, record each provision's impact and the exit scores (each beside its
baseline), views and attendees, then the next step and the actions agreed, with a summary before
anything is applied."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from sendesk import codes, dates, scoring
from sendesk import cycle as rules
from sendesk.cycle import OutcomeRating, ReviewData
from sendesk.errors import BadInput
from sendesk.scoring import StageScore
from sendesk.services import cycles, measures
from sendesk.services.measures import ScoreView
from sendesk.wording import plural
from ui.context import FileContext
from ui.widgets import CodeCombo, DateField, LiveLabel, add_row, text_area, text_field
from ui.wizards.base import StagePage, StageWizard
from ui.wizards.scores_page import ScoresPage


def _problems(page: QWizardPage, *fields: str) -> dict[str, str]:
    """What `sendesk.cycle.review_problems` says about the fields this page asks for."""
    wizard = page.wizard()
    assert isinstance(wizard, ReviewWizard)
    found = wizard.problems()
    return {f: found[f] for f in fields if f in found}


def _scrolling(page: QWidget, inner: QWidget) -> None:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(inner)
    layout = page.layout()
    assert layout is not None
    layout.addWidget(scroll)


class RatingsPage(StagePage):
    def __init__(self, state: cycles.CycleState) -> None:
        super().__init__(
            "Outcomes",
            "How far did the pupil get with each outcome? Say why for any outcome not achieved: "
            "it is carried into the next cycle.",
        )
        QVBoxLayout(self).addWidget(self.problems)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.rows: dict[int, tuple[CodeCombo, QLineEdit]] = {}
        for outcome in state.outcomes:
            box = QGroupBox(outcome.plan.description)
            form = QFormLayout(box)
            form.addRow(QLabel(f"How we will know: {outcome.plan.success_criteria}"))
            rating = CodeCombo("Rating", codes.RATING_LABELS.items(), "Choose…")
            comment = text_field("Comment", 1000)
            comment.setPlaceholderText("Required unless achieved")
            add_row(form, "&Rating:", rating)
            add_row(form, "&Comment:", comment)
            rating.currentIndexChanged.connect(
                lambda _=0, r=rating, c=comment: c.setPlaceholderText(
                    "Required: why was it not achieved?"
                    if r.code() and rules.comment_required(str(r.code()))
                    else "Optional"
                    if r.code()
                    else "Required unless achieved"
                )
            )
            self.rows[outcome.id] = (rating, comment)
            layout.addWidget(box)
        layout.addStretch()
        _scrolling(self, inner)

    def ratings(self) -> dict[int, OutcomeRating]:
        return {
            oid: OutcomeRating(str(r.code()) if r.code() else None, c.text())
            for oid, (r, c) in self.rows.items()
        }

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        return self.complain(_problems(self, "ratings"))


class ImpactPage(StagePage):
    def __init__(self, state: cycles.CycleState) -> None:
        super().__init__("Provision", "What difference did each provision make?")
        QVBoxLayout(self).addWidget(self.problems)
        inner = QWidget()
        form = QFormLayout(inner)
        self.impacts: dict[int, QLineEdit] = {}
        for p in state.provisions:
            share = f"{p.delivered:.0%} delivered" if p.delivered is not None else "not planned"
            field = text_field(f"Impact of {p.plan.description}", 1000)
            add_row(form, f"{p.plan.description} ({share}):", field)
            self.impacts[p.id] = field
        _scrolling(self, inner)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        return self.complain(_problems(self, "impacts"))


class MeetingPage(StagePage):
    def __init__(self, today: dt.date, meeting: cycles.ReviewMeeting | None) -> None:
        super().__init__("The review meeting", "When it was held, who came, and what they said.")
        form = QFormLayout(self)
        form.addRow(self.problems)
        if meeting is not None:
            source = "marked held" if meeting.held else "planned"
            found = QLabel(
                f"From the calendar: the review meeting {source} for {dates.show(meeting.day)}."
            )
            found.setWordWrap(True)
            form.addRow(found)
        self.held_on = DateField("Review held on")
        self.held_on.set_value(meeting.day if meeting and meeting.day <= today else today)
        self.attendees = text_field("Who attended", 500)
        self.attendees.setText(meeting.people if meeting else "")
        self.parents = text_area("Parents' views")
        self.pupil = text_area("Pupil's views", "In their own words")
        add_row(form, "&Held on:", self.held_on)
        add_row(form, "&Attended:", self.attendees)
        add_row(form, "&Parents' views:", self.parents)
        add_row(form, "P&upil's views:", self.pupil)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            self.held_on.value()
        except BadInput as exc:
            return self.complain(exc.message)
        return self.complain(_problems(self, "held_on"))


class NextStepPage(StagePage):
    def __init__(self, sen_status: str) -> None:
        super().__init__("Next step", "What the school, parents and pupil decided.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for step, label in codes.NEXT_STEP_LABELS.items():
            button = QRadioButton(label)
            button.setAccessibleName(label)
            self.group.addButton(button)
            self.buttons[step] = button
            layout.addWidget(button)
        closed = rules.steps_closed(sen_status)
        for step, why in closed.items():
            self.buttons[step].setEnabled(False)
            self.buttons[step].setToolTip(why)
        # Why a choice is greyed out, in view (from the GUI trial: only in a tooltip).
        self.closed_reasons = QLabel(" ".join(closed.values()))
        self.closed_reasons.setWordWrap(True)
        self.closed_reasons.setVisible(bool(closed))
        layout.addWidget(self.closed_reasons)
        form = QFormLayout()
        self.service = CodeCombo("Service to ask", codes.REFERRAL_SERVICES.items(), "Choose…")
        self.ehcna_on = DateField("EHC needs assessment requested on")
        add_row(form, "&Specialist service:", self.service)
        add_row(form, "EHC needs assessment &requested on:", self.ehcna_on)
        # Each is asked for only with its own step (sendesk.cycle.STEP_ASKS).
        self.asked = {"referral_service": self.service, "ehcna_requested_on": self.ehcna_on}
        self.group.buttonToggled.connect(lambda *_: self._ask_for_the_step())
        self._ask_for_the_step()
        self.agreed = text_area(
            "Actions agreed",
            "Who does what by when, a line each: Mrs Hughes; daily reading; 01/02/2027",
        )
        add_row(form, "Actions a&greed:", self.agreed)
        layout.addLayout(form)

    def step(self) -> str | None:
        return next((s for s, b in self.buttons.items() if b.isChecked()), None)

    def _ask_for_the_step(self) -> None:
        wanted = rules.STEP_ASKS.get(self.step() or "")
        for name, field in self.asked.items():
            field.setEnabled(name == wanted)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            if self.ehcna_on.isEnabled():  # a date typed for another step is not asked
                self.ehcna_on.value()
        except BadInput as exc:
            return self.complain(exc.message)
        return self.complain(_problems(self, "next_step", "referral_service", "ehcna_requested_on"))


class SummaryPage(StagePage):
    def __init__(self, wizard: ReviewWizard) -> None:
        super().__init__("Check and apply", "Nothing is saved until you apply the review.")
        self.wizard_ref = wizard
        layout = QVBoxLayout(self)
        self.summary = LiveLabel("Review summary")
        layout.addWidget(self.summary)
        layout.addStretch()

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self.summary.setText(self.wizard_ref.summary())


def _exit_scores_page(
    ctx: FileContext, cycle_id: int, today: dt.date, baselines: dict[int, ScoreView]
) -> ScoresPage | None:
    """The exit scores, each beside the cycle's baseline on the same measure, with a row ready
    for every measure that has a baseline or that a provision of the cycle is measured by. None
    for a cycle with none of these and no exit score: with nothing asked for, the review takes
    no extra step (*Record a score…* still can)."""
    stored = measures.stage_scores(ctx.sessions, cycle_id, "exit")
    named = measures.named_in_cycle(ctx.sessions, cycle_id)
    if not baselines and not stored and not named:
        return None
    beside = {}
    for measure_id, b in baselines.items():
        shown = scoring.at_stage(b.value, b.unit, "Assess", b.recorded_on)
        beside[measure_id] = (shown, f"{b.measure_name}: {shown}")
    page = ScoresPage(
        "Scores at the Review",
        "Where the pupil is now on each measure the plan is measured by, beside the baseline "
        "taken at Assess where there is one.",
        "exit",
        measures.list_measures(ctx.sessions, include_retired=True),
        stored,
        today,
        earlier=("Baseline", beside),
    )
    page.table.offer(list(dict.fromkeys([*beside, *named])))
    return page


class ReviewWizard(StageWizard):
    stage = "review"

    def __init__(
        self, ctx: FileContext, pupil_id: int, cycle_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, pupil_id, cycle_id, parent)
        today = self.today()
        self.meeting = cycles.review_meeting(ctx.sessions, cycle_id, today)
        self.ratings_page = RatingsPage(self.state)
        self.impact_page = ImpactPage(self.state)
        self.baselines = {
            b.measure_id: b
            for b in measures.stage_scores(ctx.sessions, cycle_id, "baseline")
            if b.measure_id is not None
        }
        self.scores_page = _exit_scores_page(ctx, cycle_id, today, self.baselines)
        self.meeting_page = MeetingPage(today, self.meeting)
        self.next_page = NextStepPage(self.state.sen_status)
        self.summary_page = SummaryPage(self)
        pages = (
            self.ratings_page,
            self.impact_page,
            self.scores_page,
            self.meeting_page,
            self.next_page,
            self.summary_page,
        )
        for page in pages:
            if page is not None:
                self.addPage(page)
        self.setButtonText(StageWizard.WizardButton.FinishButton, "&Apply the review")

    def problems(self) -> dict[str, str]:
        """What the rules say stops this review, as typed so far."""
        return rules.review_problems(
            self.data(strict=False),
            [o.id for o in self.state.outcomes],
            [p.id for p in self.state.provisions],
            self.state.sen_status,
        )

    def data(self, strict: bool = True) -> ReviewData:
        """The review as typed; with `strict` off, a date that is not one counts as missing
        (each page reports its own unreadable dates)."""

        def day(field: DateField) -> dt.date | None:
            try:
                return field.value()
            except BadInput:
                if strict:
                    raise
                return None

        def scores() -> list[StageScore] | None:
            if self.scores_page is None:
                return None  # none asked for: those stored stay as they are
            try:
                return self.scores_page.scores()
            except BadInput:
                if strict:
                    raise
                return None  # the scores page says what it cannot read

        asks = rules.STEP_ASKS.get(self.next_page.step() or "")  # only the step's own field
        service = self.next_page.service.code()
        return ReviewData(
            held_on=day(self.meeting_page.held_on),
            ratings=self.ratings_page.ratings(),
            impacts={pid: f.text() for pid, f in self.impact_page.impacts.items()},
            parent_views=self.meeting_page.parents.toPlainText(),
            pupil_views=self.meeting_page.pupil.toPlainText(),
            attendees=self.meeting_page.attendees.text(),
            next_step=self.next_page.step(),
            referral_service=str(service) if service and asks == "referral_service" else None,
            ehcna_requested_on=(
                day(self.next_page.ehcna_on) if asks == "ehcna_requested_on" else None
            ),
            actions=self.next_page.agreed.toPlainText(),
            exit_scores=scores(),
        )

    def summary(self) -> str:
        data = self.data()
        lines = [
            f"Review of {self.pupil_name}'s cycle {self.state.number}, "
            f"held {dates.show(data.held_on)}."
        ]
        for outcome in self.state.outcomes:
            rated = data.ratings[outcome.id]
            label = codes.RATING_LABELS.get(rated.rating or "", "not rated")
            lines.append(f"• {outcome.plan.description.rstrip('.')}: {label}")
        lines += self._score_lines(data.exit_scores or [])
        unmet = sum(rules.is_unmet(r.rating) for r in data.ratings.values())
        step = data.next_step or ""
        lines.append("")
        lines.append(f"Next step: {codes.NEXT_STEP_LABELS.get(step, 'not chosen')}.")
        if step == "specialist" and data.referral_service:
            service = codes.REFERRAL_SERVICES[data.referral_service]
            lines.append(f"A referral to {service} is recorded as requested today.")
        if step == "ehcna" and data.ehcna_requested_on:
            asked = dates.show(data.ehcna_requested_on)
            lines.append(f"The EHC needs assessment request of {asked} is recorded.")
        if step and rules.starts_new_cycle(step):
            lines.append(
                f"A new cycle starts with {plural(unmet, 'unmet outcome')} carried forward."
            )
        elif step == "exit":
            lines.append("The pupil leaves SEN support (status N); their records are kept.")
        agreed = [line.strip() for line in data.actions.splitlines() if line.strip()]
        if agreed:
            lines += ["", "Actions agreed:", *(f"• {line}" for line in agreed)]
        return "\n".join(lines)

    def _score_lines(self, exits: list[StageScore]) -> list[str]:
        """Each exit score beside its baseline: "Reading age: 84 → 90 months"."""
        if not exits:
            return []
        assert self.scores_page is not None  # exit scores come from it
        scales = self.scores_page.scales
        lines = ["", "Scores at the Review:"]
        for score in exits:
            scale = scales[score.measure_id]
            before = self.baselines.get(score.measure_id)
            start = f"{before.value:g} → " if before else ""
            lines.append(f"• {scale.name}: {start}{score.value:g} {scale.unit}")
        return lines

    def collect(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "ratings": {
                str(k): [r.code(), c.text()] for k, (r, c) in self.ratings_page.rows.items()
            },
            "impacts": {str(k): f.text() for k, f in self.impact_page.impacts.items()},
            "held_on": self.meeting_page.held_on.text(),
            "attendees": self.meeting_page.attendees.text(),
            "parents": self.meeting_page.parents.toPlainText(),
            "pupil": self.meeting_page.pupil.toPlainText(),
            "step": self.next_page.step(),
            "service": self.next_page.service.code(),
            "ehcna_on": self.next_page.ehcna_on.text(),
            "actions": self.next_page.agreed.toPlainText(),
        }
        if self.scores_page is not None:
            fields["exit_scores"] = self.scores_page.table.values()
        return fields

    def restore(self, data: dict[str, Any]) -> None:
        for key, (rating, comment) in data.get("ratings", {}).items():
            if int(key) in self.ratings_page.rows:
                combo, field = self.ratings_page.rows[int(key)]
                combo.set_code(rating)
                field.setText(comment)
        for key, text in data.get("impacts", {}).items():
            if int(key) in self.impact_page.impacts:
                self.impact_page.impacts[int(key)].setText(text)
        self.meeting_page.held_on.setText(data.get("held_on", ""))
        self.meeting_page.attendees.setText(data.get("attendees", ""))
        self.meeting_page.parents.setPlainText(data.get("parents", ""))
        self.meeting_page.pupil.setPlainText(data.get("pupil", ""))
        step = data.get("step")
        if step in self.next_page.buttons:
            self.next_page.buttons[step].setChecked(True)
        self.next_page.service.set_code(data.get("service"))
        self.next_page.ehcna_on.setText(data.get("ehcna_on", ""))
        self.next_page.agreed.setPlainText(data.get("actions", ""))
        if self.scores_page is not None and "exit_scores" in data:
            self.scores_page.table.set_values(data["exit_scores"])

    def apply(self) -> str:
        new_cycle = cycles.apply_review(
            self.ctx.sessions, self.cycle_id, self.data(), today=self.today(), seen=self.seen
        )
        then = "; a new cycle has started" if new_cycle else "; the pupil has left SEN support"
        return f"Cycle {self.state.number} reviewed and closed{then}"
