"""Printed documents: built from the record file, written or printed, and audited.

Building a document changes nothing. Printing it or saving it writes an audit event per pupil
that says what was printed and where to (never a name). Files are written beside their target
and renamed into place, so a failed export leaves neither a half file nor a temporary one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from sendesk import calendar, census, codes, names
from sendesk.codes import Stage
from sendesk.collation import in_code_order
from sendesk.documents import (
    letter_of_concern,
    passport,
    plan_template,
    review_record,
    sen_register,
    support_plan,
)
from sendesk.documents.plan_template import PlanTemplate
from sendesk.documents.protect import encrypt
from sendesk.documents.style import DocumentOptions, Letterhead, render_many
from sendesk.errors import NotFound
from sendesk.lazy import LazyModule
from sendesk.measure_models import AssessmentMeasure
from sendesk.models import AppSetting, Attachment, Cycle, Meta, Pupil, SchoolSettings
from sendesk.services import Sessions, attendance, audit, measures, meetings, pupils

if TYPE_CHECKING:
    from sendesk.documents import evidence_pack
else:  # its charts load ReportLab's graphics, a tenth of a second: only when a pack is built
    evidence_pack = LazyModule("sendesk.documents.evidence_pack")

TEMPLATE_KEY = "plan_template"
WHOLE_SCHOOL_LISTS = frozenset({"register", "census_check"})
PARENTS_COST_KEY = "parents_copy_shows_cost"  # does a parents' copy of a plan show its cost?


@dataclass(frozen=True)
class Printable:
    """A finished document: its bytes, whom it is about, and a file name with no pupil's name."""

    kind: str
    title: str
    data: bytes
    pupil_uuids: tuple[str, ...]
    filename: str
    media_type: str = "application/pdf"

    @property
    def has_parents_copy(self) -> bool:
        """Whether a parents' copy of it makes sense: not of a whole-school list (the register,
        the census check), which no family is given (from the GUI trial)."""
        return self.kind not in WHOLE_SCHOOL_LISTS

    @property
    def is_pdf(self) -> bool:
        return self.media_type == "application/pdf"


# --- the plan template ---------------------------------------------------------------------------


def load_plan_template(sessions: Sessions) -> PlanTemplate:
    """The school's plan layout if it has one, else the one shipped."""
    with sessions() as session:
        stored = session.get(AppSetting, TEMPLATE_KEY)
        if stored is not None:
            return plan_template.loads(stored.value_json)
    return plan_template.shipped()


def save_plan_template(sessions: Sessions, template: PlanTemplate | None) -> None:
    """Keep the school's plan layout; None goes back to the shipped one."""
    with sessions() as session, session.begin():
        stored = session.get(AppSetting, TEMPLATE_KEY)
        if template is None:
            if stored is not None:
                session.delete(stored)
            audit.record(session, "settings.plan_template", "Plan template reset to the default")
            return
        payload = json.dumps(template.as_data(), ensure_ascii=False, indent=2)
        if stored is None:
            session.add(AppSetting(key=TEMPLATE_KEY, value_json=payload))
        else:
            stored.value_json = payload
        audit.record(session, "settings.plan_template", "Plan template changed")


# --- building ------------------------------------------------------------------------------------


def _letterhead(session: Session, today: dt.date) -> Letterhead:
    name = session.execute(select(Meta.school_name)).scalar_one()
    logo = session.execute(select(SchoolSettings.logo_png)).scalar_one()
    return Letterhead(name, today, logo)


def letterhead(sessions: Sessions, today: dt.date | None = None) -> Letterhead:
    with sessions() as session:
        return _letterhead(session, today or dt.date.today())


def plan_extras(sessions: Sessions) -> support_plan.Extras:
    """The SENCo's name, the threshold, whether parents see costs and the names of the measures
    (retired ones too: a plan written before may name one), for printing plans."""
    with sessions() as session:
        senco, threshold = session.execute(
            select(SchoolSettings.senco_name, SchoolSettings.sen_threshold_pence)
        ).one()
        stored = session.get(AppSetting, PARENTS_COST_KEY)
        named = {
            m.id: m.name
            for m in session.execute(select(AssessmentMeasure.id, AssessmentMeasure.name))
        }
    shows = bool(json.loads(stored.value_json)) if stored is not None else False
    return support_plan.Extras(senco, int(threshold), shows, named)


def set_parents_see_costs(sessions: Sessions, shown: bool) -> None:
    """The school's choice: does the parents' copy of a plan show what the support costs?"""
    with sessions() as session, session.begin():
        stored = session.get(AppSetting, PARENTS_COST_KEY)
        if stored is None:
            session.add(AppSetting(key=PARENTS_COST_KEY, value_json=json.dumps(shown)))
        else:
            stored.value_json = json.dumps(shown)
        said = "shows" if shown else "does not show"
        audit.record(session, "settings.parents_cost", f"The parents' copy of a plan {said} costs")


def _threshold(sessions: Sessions) -> int:
    with sessions() as session:
        return int(session.execute(select(SchoolSettings.sen_threshold_pence)).scalar_one())


def _file_stem(pupil: Pupil) -> str:
    return pupil.upn or f"pupil-{pupil.id}"


def plan_cycle(
    pupil: Pupil,
    cycle_id: int | None = None,
    number: int | None = None,
    has_outcomes: Callable[[Cycle], bool] = lambda c: bool(c.outcomes),
) -> Cycle:
    """The cycle whose plan to print: the one asked for (by id or by its number), else the
    newest with a plan (outcomes agreed). `has_outcomes` answers for a cycle whose outcomes
    are not loaded (see `pupils.plan_records`)."""
    cycles = sorted(pupil.cycles, key=lambda c: c.number, reverse=True)
    if cycle_id is not None or number is not None:
        for cycle in cycles:
            if cycle.id == cycle_id or cycle.number == number:
                return cycle
        which = f"Cycle {number}" if number is not None else "That cycle"
        raise NotFound(f"{which} is not in this pupil's record.")
    planned = [c for c in cycles if has_outcomes(c) and c.stage != Stage.ASSESS]
    found = planned or [c for c in cycles if has_outcomes(c)]
    if not found:
        raise NotFound(
            "There is no support plan to print yet: agree outcomes at the Plan stage first."
        )
    return found[0]


def review_cycle(pupil: Pupil, cycle_id: int | None = None, number: int | None = None) -> Cycle:
    """The newest reviewed cycle, or an open cycle at Review (printed as a form to fill in)."""
    cycles = sorted(pupil.cycles, key=lambda c: c.number, reverse=True)
    if cycle_id is not None or number is not None:
        return plan_cycle(pupil, cycle_id, number)
    for cycle in cycles:
        if cycle.review is not None or cycle.stage == Stage.REVIEW:
            return cycle
    raise NotFound("There is no review to record yet: the current cycle has not reached Review.")


def support_plan_pdf(
    sessions: Sessions,
    pupil_id: int,
    options: DocumentOptions | None = None,
    cycle_id: int | None = None,
    today: dt.date | None = None,
    cycle_number: int | None = None,
) -> Printable:
    # Loaded as a print run loads it.
    [(pupil, cycle)] = pupils.plan_records(
        sessions, [pupil_id], lambda p, has: plan_cycle(p, cycle_id, cycle_number, has)
    )
    if isinstance(cycle, NotFound):
        raise cycle
    template = load_plan_template(sessions)
    head = letterhead(sessions, today)
    extras = dataclasses.replace(plan_extras(sessions), printed_on=head.printed_on)
    data = support_plan.build(pupil, cycle, head, template, options, extras)
    return Printable(
        "support_plan",
        template.title,
        data,
        (pupil.uuid,),
        f"support-plan-{_file_stem(pupil)}-cycle-{cycle.number}.pdf",
    )


@dataclass(frozen=True)
class PlanRun:
    """Plans printed in one go: one PDF, or one per pupil; and who had no plan to print."""

    documents: tuple[Printable | Pending, ...]  # one Printable, or a Pending for each pupil
    without_plan: tuple[int, ...]  # pupil ids


@dataclass(frozen=True)
class Pending:
    """A document laid out only when `export_many` writes it: a print run into a folder lays
    out each plan while the one before goes to the disk, not all of them first."""

    title: str
    filename: str
    pupil_uuids: tuple[str, ...]
    make: Callable[[], Printable]


def support_plans(
    sessions: Sessions,
    pupil_ids: Sequence[int],
    options: DocumentOptions | None = None,
    today: dt.date | None = None,
    one_file: bool = True,
) -> PlanRun:
    """Many pupils' support plans in one process: their records loaded in one round of queries,
    laid out once. `one_file` gives one PDF, each plan numbered from page 1, with no merging
    step; else one PDF per pupil. A pupil with no plan yet is left out and listed."""
    options = options or DocumentOptions()
    template = load_plan_template(sessions)
    head = letterhead(sessions, today)
    extras = dataclasses.replace(plan_extras(sessions), printed_on=head.printed_on)
    parts: list[tuple[Pupil, Cycle]] = []
    missing: list[int] = []

    def newest(pupil: Pupil, has_outcomes: Callable[[Cycle], bool]) -> Cycle:
        return plan_cycle(pupil, has_outcomes=has_outcomes)

    for pupil, cycle in pupils.plan_records(sessions, list(dict.fromkeys(pupil_ids)), newest):
        if isinstance(cycle, NotFound):
            missing.append(pupil.id)
        else:
            parts.append((pupil, cycle))
    if not parts:
        return PlanRun((), tuple(missing))
    if one_file:
        data = render_many(
            [support_plan.part(p, c, template, options, extras) for p, c in parts],
            head,
            options,
            f"{template.title}s",
        )
        uuids = tuple(p.uuid for p, _ in parts)
        name = f"support-plans-{head.printed_on.isoformat()}.pdf"
        return PlanRun(
            (Printable("support_plan", template.title, data, uuids, name),), tuple(missing)
        )

    def one(pupil: Pupil, cycle: Cycle, name: str) -> Printable:
        data = support_plan.build(pupil, cycle, head, template, options, extras)
        return Printable("support_plan", template.title, data, (pupil.uuid,), name)

    docs = tuple(
        Pending(template.title, name, (p.uuid,), functools.partial(one, p, c, name))
        for p, c in parts
        for name in (f"support-plan-{_file_stem(p)}-cycle-{c.number}.pdf",)
    )
    return PlanRun(docs, tuple(missing))


def review_record_pdf(
    sessions: Sessions,
    pupil_id: int,
    options: DocumentOptions | None = None,
    cycle_id: int | None = None,
    today: dt.date | None = None,
    cycle_number: int | None = None,
) -> Printable:
    pupil = pupils.history(sessions, pupil_id)
    cycle = review_cycle(pupil, cycle_id, cycle_number)
    data = review_record.build(pupil, cycle, letterhead(sessions, today), options)
    return Printable(
        "review_record",
        review_record.TITLE,
        data,
        (pupil.uuid,),
        f"review-record-{_file_stem(pupil)}-cycle-{cycle.number}.pdf",
    )


def evidence_pack_pdf(
    sessions: Sessions,
    pupil_id: int,
    options: DocumentOptions | None = None,
    today: dt.date | None = None,
) -> Printable:
    pupil = pupils.history(sessions, pupil_id)
    head = letterhead(sessions, today)
    terms = [r.figures for r in attendance.list_for(sessions, pupil_id)]
    day = head.printed_on  # the year groups the scores were taken in are counted back from it
    extras = evidence_pack.Extras(terms, measures.history(sessions, pupil_id, day))
    data = evidence_pack.build(pupil, head, _threshold(sessions), options, extras)
    return Printable(
        "evidence_pack",
        evidence_pack.title_for(pupil),
        data,
        (pupil.uuid,),
        f"evidence-pack-{_file_stem(pupil)}.pdf",
    )


PHOTO_TYPES = ("image/png", "image/jpeg")


def _photo(session: Session, pupil: Pupil) -> bytes | None:
    """The pupil's photo for the passport: a PNG or JPEG attachment, one named a photo first."""
    images = [a for a in pupil.attachments if a.media_type in PHOTO_TYPES]
    if not images:
        return None
    images.sort(key=lambda a: ("photo" not in f"{a.filename} {a.description or ''}".lower(), a.id))
    content = session.execute(
        select(Attachment.content).where(Attachment.id == images[0].id)
    ).scalar_one_or_none()
    return bytes(content) if content else None


def passport_pdf(
    sessions: Sessions,
    pupil_id: int,
    options: DocumentOptions | None = None,
    today: dt.date | None = None,
) -> Printable:
    """Always one page."""
    pupil = pupils.history(sessions, pupil_id)
    cycles = sorted(pupil.cycles, key=lambda c: c.number, reverse=True)
    with sessions() as session:
        photo = _photo(session, pupil)
    senco = plan_extras(sessions).senco
    data = passport.build(
        pupil, cycles[0] if cycles else None, letterhead(sessions, today), options, senco, photo
    )
    return Printable(
        "passport", passport.TITLE, data, (pupil.uuid,), f"passport-{_file_stem(pupil)}.pdf"
    )


def letter_of_concern_pdf(
    sessions: Sessions,
    pupil_id: int | None = None,
    options: DocumentOptions | None = None,
    today: dt.date | None = None,
) -> Printable:
    """The parents' letter template, with the child's name and class filled in when given."""
    with sessions() as session:
        senco = session.execute(select(SchoolSettings.senco_name)).scalar_one()
        pupil = session.get(Pupil, pupil_id) if pupil_id else None
        if pupil_id and pupil is None:
            raise NotFound(f"There is no pupil with id {pupil_id} in this file.")
        child = pupil.known_as if pupil else None
        class_name = pupil.class_name if pupil else None
        uuids = (pupil.uuid,) if pupil else ()
        stem = _file_stem(pupil) if pupil else "blank"
        head = _letterhead(session, today or dt.date.today())
    data = letter_of_concern.build(head, senco, child, class_name, options)
    return Printable(
        "letter_of_concern", letter_of_concern.TITLE, data, uuids, f"letter-of-concern-{stem}.pdf"
    )


def register_lines(
    sessions: Sessions, today: dt.date | None = None
) -> list[sen_register.RegisterLine]:
    """Pupils on roll with SEN support (K) or an EHC plan (E), in register order."""
    rows = pupils.list_register(sessions, today=today)
    return [
        sen_register.RegisterLine(
            r.upn, r.surname, r.forename, r.year_group, r.class_name, r.sen_status,
            r.primary_need, r.secondary_need, r.next_review, r.review_words,
        )
        for r in rows
        if r.sen_status in codes.ON_SEN_REGISTER
    ]  # fmt: skip


def register_pdf(
    sessions: Sessions, options: DocumentOptions | None = None, today: dt.date | None = None
) -> Printable:
    today = today or dt.date.today()
    data = sen_register.build(register_lines(sessions, today), letterhead(sessions, today), options)
    return Printable("register", sen_register.TITLE, data, (), f"sen-register-{today}.pdf")


def register_csv(sessions: Sessions, today: dt.date | None = None) -> Printable:
    today = today or dt.date.today()
    data = sen_register.to_csv(register_lines(sessions, today))
    return Printable("register", sen_register.TITLE, data, (), register_csv_name(today), "text/csv")


def register_csv_name(today: dt.date) -> str:
    """The name the register's CSV is offered under (asked before the CSV is made)."""
    return f"sen-register-{today}.csv"


def census_check(sessions: Sessions) -> list[census.CensusProblem]:
    """What would be wrong in the census for pupils on roll (archived pupils are not counted)."""
    with sessions() as session:
        open_ids = set(
            session.execute(select(Cycle.pupil_id).where(Cycle.stage != Stage.CLOSED)).scalars()
        )
        found = session.execute(
            select(Pupil)
            .where(Pupil.archived_on.is_(None))
            .order_by(in_code_order(Pupil.search_text), Pupil.id)
        ).scalars()
        checked = [
            census.CensusPupil(
                p.id, p.uuid, p.upn, names.listed_as(p.legal_forename, p.legal_surname),
                p.sen_status, p.primary_need, p.secondary_need, p.id in open_ids,
            )
            for p in found
        ]  # fmt: skip
    return census.problems(checked)


def census_pdf(
    sessions: Sessions, options: DocumentOptions | None = None, today: dt.date | None = None
) -> Printable:
    today = today or dt.date.today()
    found = census_check(sessions)
    day, name = census.next_census(today)
    data = sen_register.census_pdf(found, day, name, letterhead(sessions, today), options)
    return Printable(
        "census_check", sen_register.CENSUS_TITLE, data, (), f"census-check-{today}.pdf"
    )


def pupils_by_upn(sessions: Sessions, upns: Sequence[str]) -> list[int]:
    """The ids of the pupils with these UPNs, in the order given, each once (a UPN typed twice
    prints one plan); `NotFound` names a missing one."""
    return list(dict.fromkeys(pupils.find_many_by_upn(sessions, upns)))


def pupils_with_reviews(sessions: Sessions, day: dt.date) -> list[int]:
    """Pupils with a planned review meeting in the week of `day`, in meeting order."""
    monday, sunday = calendar.week_of(day)
    found = meetings.between(sessions, monday, sunday)
    return list(dict.fromkeys(m.pupil_id for m in found if m.is_review and m.status == "planned"))


# --- printing and saving -------------------------------------------------------------------------


def _record(sessions: Sessions, action: str, done: Sequence[tuple[Printable, str]]) -> None:
    """Audit each (document, summary) in one transaction: an event per pupil it is about."""
    with sessions() as session, session.begin():
        for doc, summary in done:
            for uuid in doc.pupil_uuids or (None,):
                audit.record(session, action, summary, uuid)


def _how(options: DocumentOptions | None) -> str:
    described = options.describe() if options else ""
    return f" ({described})" if described else ""


def record_printed(
    sessions: Sessions, doc: Printable, printer: str, options: DocumentOptions | None = None
) -> None:
    """Audit a document sent to a printer."""
    summary = f"{doc.title} printed on {printer}{_how(options)}"
    _record(sessions, "document.printed", [(doc, summary)])


def export(
    sessions: Sessions,
    doc: Printable,
    target: Path,
    password: str | None = None,
    options: DocumentOptions | None = None,
    *,
    overwrite: bool = False,
) -> Path:
    """Write `doc` to `target` (AES-256 encrypted when a password is given), then audit it.

    An existing target is replaced only with `overwrite` (the app's Save as has asked)."""
    [written] = export_many(sessions, [(doc, target)], password, options, overwrite=overwrite)
    return written


def export_many(
    sessions: Sessions,
    files: Sequence[tuple[Printable | Pending, Path]],
    password: str | None = None,
    options: DocumentOptions | None = None,
    *,
    overwrite: bool = False,
) -> list[Path]:
    """Write each (document, target) as `export` does, and audit them in one transaction; a
    `Pending` document is laid out while the one before it is written.

    Every target is checked before any is laid out, encrypted or written, so a clash writes
    nothing; each file written is audited, even when a later one fails."""
    from sendesk import atomic

    if not files:
        return []
    what = files[0][0].title
    targets = [Path(t) for _, t in files]
    for target in targets:
        atomic.check_target(target, overwrite=overwrite, what=what)  # before the encryption
    made: dict[int, Printable] = {}  # by position: a Pending one is made when it is written

    def stored(number: int, doc: Printable) -> bytes:
        made[number] = doc
        return encrypt(doc.data, password) if password and doc.is_pdf else doc.data

    def content(number: int, doc: Printable | Pending) -> bytes | atomic.Later:
        if isinstance(doc, Printable):
            return stored(number, doc)
        return atomic.Later(lambda: stored(number, doc.make()))

    contents = [
        (target, content(number, doc))
        for number, ((doc, _), target) in enumerate(zip(files, targets, strict=True))
    ]
    done: list[tuple[Printable, str]] = []
    written: list[Path] = []
    try:
        for number, target in enumerate(
            atomic.write_each(contents, overwrite=overwrite, what=what)
        ):
            doc = made[number]
            written.append(target)
            locked = ", password-protected (AES-256)" if password and doc.is_pdf else ""
            # Where to, by folder only: the audit log outlives the pupil's records, and a file
            # name can carry a UPN or a name.
            done.append(
                (doc, f"{doc.title} saved to a file in {target.parent}{locked}{_how(options)}")
            )
    finally:
        if done:
            _audited_or_removed(sessions, done, written, what)
    return targets


def _audited_or_removed(
    sessions: Sessions, done: Sequence[tuple[Printable, str]], written: Sequence[Path], what: str
) -> None:
    audit.recorded_or_removed(written, what, lambda: _record(sessions, "document.exported", done))
