"""A realistic synthetic school for demos, screenshots and benchmarks.

About 13% of pupils are on SEN support and 5% have EHC plans, each with one to six cycles that
hold needs, evidence, outcomes, provision, sessions, strategies, reviews and meetings. The same
seed and reference date always build the same records. Rows go in with one multi-row insert
per table and batch of pupils, in one transaction, and each batch is dropped once written, so a
school of 100,000 needs no more memory than one of 2,000.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, update
from sqlalchemy.orm import Session

from sendesk import (
    codes,
    demo_attendance,
    demo_measures,
    demo_names,
    demo_terms,
    demo_text,
    upn,
)
from sendesk.cipher import KeyInProgress
from sendesk.demo_rows import insert_rows
from sendesk.errors import BadInput
from sendesk.models import (
    AssessmentEvidence,
    Contact,
    Cycle,
    CycleNeed,
    Meeting,
    Note,
    Outcome,
    Provision,
    ProvisionSession,
    Pupil,
    Referral,
    Review,
    SchoolSettings,
    Staff,
    Strategy,
    Term,
)
from sendesk.school_year import school_year_start
from sendesk.services import audit
from sendesk.text import search_key
from sendesk.vault import Vault

SEN_SUPPORT_SHARE = 0.13
EHC_PLAN_SHARE = 0.05
PRIMARY_YEARS = range(0, 7)  # Reception to Year 6
LA_NUMBER = "886"  # Kent
SCHOOL_NUMBER = "2417"
CYCLE_WEEKS = 12
MOST_PUPILS = 1_000_000  # a typing slip (100000000) would fill the disk for hours
BATCH_PUPILS = 500  # pupils whose rows are written together: memory stays flat, batches large

Rows = dict[type, list[dict[str, Any]]]


@dataclass
class _Builder:
    rng: random.Random
    today: dt.date
    rows: Rows = field(default_factory=lambda: defaultdict(list))
    ids: dict[type, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, model: type, **values: Any) -> int:
        self.ids[model] += 1
        values["id"] = self.ids[model]
        self.rows[model].append(values)
        return self.ids[model]

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def school_day(self, day: dt.date) -> dt.date:
        """`day`, or the next school day: nothing made up happens in a holiday."""
        return demo_terms.school_day_on_or_after(day)

    def write(self, conn: Connection) -> None:
        """Insert the rows gathered so far, parents first, then forget them."""
        for model in _INSERT_ORDER:
            if rows := self.rows.pop(model, None):
                insert_rows(conn, model.__table__, rows)  # type: ignore[attr-defined]


def new_passphrase(words: int = 4) -> str:
    """A random passphrase for a throwaway demo file, shown to the user once."""
    return " ".join(secrets.choice(demo_text.PASSPHRASE_WORDS) for _ in range(words))


def build(
    path: Path,
    passphrase_text: str,
    pupils: int,
    seed: int = 1,
    today: dt.date | None = None,
    *,
    check_strength: bool = True,
    deriving: KeyInProgress | None = None,
) -> Vault:
    """Create `path` as a demo school with `pupils` pupils and return it open (with the key
    `deriving`, when one is already being derived for it)."""
    if pupils < 1:
        raise BadInput("A demo needs at least one pupil.")
    if pupils > MOST_PUPILS:
        raise BadInput(
            f"A demo holds at most {MOST_PUPILS:,} pupils (the largest school is far smaller)."
        )
    today = today or dt.date.today()
    if not 2000 <= today.year <= 2100:
        raise BadInput("The demo's date must fall between the years 2000 and 2100.")
    rng = random.Random(seed)
    school = rng.choice(demo_text.SCHOOLS)
    return Vault.create(
        path,
        passphrase_text,
        f"{school} (demo)",
        check_strength=check_strength,
        deriving=deriving,
        fill=lambda session: _fill(session, rng, today, pupils),
    )


def _fill(session: Session, rng: random.Random, today: dt.date, pupils: int) -> None:
    """The school's records, written in the transaction that makes the file: a half-built demo,
    worth nothing, never appears."""
    b = _Builder(rng, today)
    conn = session.connection()
    conn.execute(
        update(SchoolSettings)
        .where(SchoolSettings.id == 1)
        .values(
            senco_name="Ms R. Patel",
            head_teacher="Mr J. Okafor",
            local_authority="Kent",
            urn="118417",
        )
    )
    _school(b)
    names = _names(rng, pupils)
    for index, status in enumerate(_statuses(rng, pupils)):
        _pupil(b, index, next(names), status)
        if index % BATCH_PUPILS == BATCH_PUPILS - 1:
            b.write(conn)
    b.write(conn)
    demo_measures.add(session, rng, today, BATCH_PUPILS)  # for the analytics views
    demo_attendance.add(session, rng, today, BATCH_PUPILS)  # for the evidence packs
    audit.record(session, "demo.built", f"Demo school built with {pupils} pupils")


_INSERT_ORDER: tuple[type, ...] = (
    Term,
    Staff,
    Pupil,
    Contact,
    Note,
    Cycle,
    CycleNeed,
    AssessmentEvidence,
    Outcome,
    Provision,
    ProvisionSession,
    Strategy,
    Meeting,
    Review,
    Referral,
)


def _school(b: _Builder) -> None:
    start = school_year_start(b.today)
    y = start.year
    for name, first, last in demo_terms.terms(y):
        b.add(Term, name=name, starts_on=first, ends_on=last)
    for name, role in (
        ("Ms R. Patel", "SENCo"),
        ("Mrs K. Hughes", "Teaching assistant"),
        ("Mr D. Kowalski", "Teaching assistant"),
        ("Miss A. Byrne", "ELSA"),
        ("Mrs S. Ahmed", "HLTA"),
    ):
        b.add(Staff, name=name, role=role, active=True)


def _names(rng: random.Random, count: int) -> Iterator[tuple[str, str, str]]:
    """Forename, surname and sex for each pupil, drawn from several cultures' names; the fixed
    names at random places among them."""
    locales = [loc for loc, _ in demo_text.NAME_LOCALES]
    weights = [w for _, w in demo_text.NAME_LOCALES]
    fixed = demo_text.FIXED_NAMES[:count]
    places = dict(zip(rng.sample(range(count), len(fixed)), fixed, strict=True))
    for index in range(count):
        if index in places:
            yield places[index]
            continue
        locale = rng.choices(locales, weights)[0]
        sex = rng.choice("FM")
        girl = sex == "F"
        first = _pick(rng, locale, "female" if girl else "male")
        yield first, _pick(rng, locale, "girl_surnames" if girl else "boy_surnames"), sex


def _pick(rng: random.Random, locale: str, kind: str) -> str:
    names, cumulative = _name_list(locale, kind)
    return rng.choices(names, cum_weights=cumulative)[0] if cumulative else rng.choice(names)


@functools.cache
def _name_list(locale: str, kind: str) -> tuple[list[str], list[float] | None]:
    """One of `sendesk.demo_names`' lists, as names and cumulative weights (None if even)."""
    names, cumulative = demo_names.NAMES[locale][kind]
    split = names.split(demo_names.SEPARATOR)
    return split, [float(w) for w in cumulative.split(demo_names.SEPARATOR)] if cumulative else None


def _demo_upn(index: int, dob: dt.date) -> str:
    """A valid UPN, unique per index: a thousand serials per (made-up) school number."""
    school = (int(SCHOOL_NUMBER) + index // 1000) % 10000
    issued = (dob.year + 4) % 100
    return upn.with_check_letter(f"{LA_NUMBER}{school:04d}{issued:02d}{index % 1000:03d}")


def _statuses(rng: random.Random, count: int) -> list[str]:
    ehc = round(count * EHC_PLAN_SHARE)
    support = round(count * SEN_SUPPORT_SHARE)
    statuses = ["E"] * ehc + ["K"] * support + ["N"] * (count - ehc - support)
    rng.shuffle(statuses)
    return statuses


def _pupil(b: _Builder, index: int, name: tuple[str, str, str], status: str) -> None:
    rng = b.rng
    forename, surname, sex = name
    year = rng.choice(PRIMARY_YEARS)
    start_year = school_year_start(b.today).year - year - 5  # born Sept to Aug of this span
    dob = dt.date(start_year, 9, 1) + dt.timedelta(days=rng.randrange(365))
    upn_value = None if rng.random() < 0.005 else _demo_upn(index, dob)
    preferred = forename.split()[0] if rng.random() < 0.1 else None
    primary = secondary = None
    if status != "N":
        primary = rng.choices(*zip(*demo_text.PRIMARY_NEED_WEIGHTS, strict=True))[0]
        if rng.random() < 0.4:
            secondary = rng.choice([c for c, _ in demo_text.PRIMARY_NEED_WEIGHTS if c != primary])
    broad_area = codes.area_of_need(primary)
    area = broad_area.code if broad_area else "CL"
    pupil_id = b.add(
        Pupil,
        uuid=b.uuid(),
        upn=upn_value,
        legal_surname=surname,
        legal_forename=forename,
        preferred_forename=preferred,
        date_of_birth=dob,
        sex=sex,
        year_group=year,
        class_name=f"{'R' if year == 0 else f'Y{year}'}{rng.choice('AB')}",
        sen_status=status,
        primary_need=primary,
        secondary_need=secondary,
        strengths=rng.choice(
            (
                "Kind and helpful",
                "Loves drawing and Lego",
                "Great at football",
                "Curious about animals",
                "Good memory for facts",
            )
        )
        if status != "N"
        else None,
        what_helps=rng.choice(demo_text.STRATEGIES) if status != "N" else None,
        pupil_views="I like it when I can work with my friend." if status != "N" else None,
        search_text=search_key(surname, forename, preferred, upn_value),
        sen_support_since=None,  # set by _cycles for a pupil on the SEN register
        ehc_plan_since=None,
        created_at=dt.datetime(2024, 9, 1),
        updated_at=dt.datetime(2024, 9, 1),
    )
    relation = rng.choice(demo_text.RELATIONSHIPS)
    b.add(
        Contact,
        pupil_id=pupil_id,
        name=f"{'Mr' if relation in ('Father', 'Stepfather') else 'Ms'} {surname}",
        relationship_to_pupil=relation,
        parental_responsibility=relation != "Aunt",
        phone=f"07700 9{rng.randrange(100000):05d}",
        preferred_contact=rng.choice(tuple(codes.CONTACT_METHODS)),
    )
    if status == "N":
        return
    for _ in range(rng.randint(1, 4)):
        kind, text = rng.choice(demo_text.NOTES)
        b.add(
            Note,
            pupil_id=pupil_id,
            noted_on=b.today - dt.timedelta(days=rng.randrange(400)),
            kind=kind,
            author="Ms R. Patel",
            text=text,
            created_at=dt.datetime(2024, 9, 1),
        )
    cycles = rng.randint(2, 6) if status == "E" else rng.randint(1, 5)
    _cycles(b, pupil_id, area, primary, cycles, status)


def _cycles(
    b: _Builder, pupil_id: int, area: str, need: str | None, count: int, status: str
) -> None:
    rng = b.rng
    # The last cycle is open; earlier ones follow each other a term apart.
    # A term apart: a cycle's twelve weeks and the holidays that fall in them (about three).
    opened = b.today - dt.timedelta(weeks=(CYCLE_WEEKS + 3) * (count - 1) + rng.randrange(1, 15))
    if b.rows[Pupil][-1]["year_group"] == 0:  # a Reception pupil: not before they started
        opened = max(opened, school_year_start(b.today) + dt.timedelta(weeks=2))
    opened = b.school_day(opened)
    b.rows[Pupil][-1]["sen_support_since"] = opened
    if status == "E":
        b.rows[Pupil][-1]["ehc_plan_since"] = opened + dt.timedelta(weeks=CYCLE_WEEKS)
    previous = None
    carried: list[int] = []
    for number in range(1, count + 1):
        review_date = b.school_day(opened + dt.timedelta(weeks=CYCLE_WEEKS))
        # Holidays put each review a little later: a cycle whose review would fall after today
        # is the open one, however many were drawn.
        is_open = number == count or review_date > b.today
        stage = rng.choice(("assess", "plan", "do", "do", "review")) if is_open else "closed"
        step = None if is_open else rng.choices(("continue", "specialist", "ehcna"), (6, 3, 1))[0]
        cycle_id = b.add(
            Cycle,
            pupil_id=pupil_id,
            number=number,
            previous_cycle_id=previous,
            stage=stage,
            opened_on=opened,
            closed_on=None if is_open else review_date,
            concern=rng.choice(demo_text.CONCERNS[area]),
            parent_views="Parents share the concern and will practise with them at home.",
            pupil_views="I want to get better at my work.",
            teacher_views="Making small steps; needs frequent adult check-ins.",
            parents_informed_on=b.school_day(opened + dt.timedelta(days=7))
            if stage != "assess"
            else None,
            parents_informed_how="Meeting at school" if stage != "assess" else None,
            review_date=review_date if stage != "assess" else None,
            next_step=step,
        )
        if need:
            b.add(CycleNeed, cycle_id=cycle_id, need_code=need)
        kind, source, score = rng.choice(demo_text.EVIDENCE)
        b.add(
            AssessmentEvidence,
            cycle_id=cycle_id,
            kind=kind,
            recorded_on=opened,
            source=source,
            score=score,
            note=None,
        )
        if stage == "assess":
            break
        outcome_ids = _outcomes(b, cycle_id, area, review_date, step, carried)
        carried = [
            oid
            for oid, row in zip(outcome_ids, b.rows[Outcome][-len(outcome_ids) :], strict=True)
            if row["rating"] not in (None, "achieved")
        ]
        _provision(b, cycle_id, area, outcome_ids, opened, is_open)
        for position, text in enumerate(rng.sample(demo_text.STRATEGIES, 3)):
            b.add(Strategy, cycle_id=cycle_id, position=position, text=text, for_whom="All adults")
        meeting_at = dt.datetime.combine(review_date, dt.time(15, 30))
        held = not is_open
        meeting_id = b.add(
            Meeting,
            pupil_id=pupil_id,
            cycle_id=cycle_id,
            kind="ehc_annual_review" if status == "E" and number % 3 == 0 else "sen_review",
            starts_at=meeting_at,
            duration_minutes=30,
            place=rng.choice(demo_text.PLACES),
            invited="Parents; class teacher; SENCo",
            attendees="Parents; class teacher; SENCo" if held else None,
            status="held" if held else "planned",
        )
        if held:
            b.add(
                Review,
                cycle_id=cycle_id,
                meeting_id=meeting_id,
                held_on=review_date,
                parent_views="Pleased with progress at home.",
                pupil_views="The group helps me.",
                attendees="Parents; class teacher; SENCo",
                summary="Progress reviewed against each outcome.",
            )
        if step in ("specialist", "ehcna"):
            b.add(
                Referral,
                pupil_id=pupil_id,
                cycle_id=cycle_id,
                kind="specialist_advice" if step == "specialist" else "ehc_needs_assessment",
                service=rng.choice(("EP", "SALT", "OT", "LIFT")) if step == "specialist" else "LA",
                requested_on=b.school_day(review_date + dt.timedelta(days=3)),
                responded_on=b.school_day(review_date + dt.timedelta(weeks=6)),
                # A request goes with the parents' consent and the SENCo's sign-off.
                parent_consent_on=None if step == "specialist" else review_date,
                signed_off_on=None
                if step == "specialist"
                else b.school_day(review_date + dt.timedelta(days=1)),
                status="advice_received" if step == "specialist" else "accepted",
                advice="Break tasks into small steps; use visual supports."
                if step == "specialist"
                else None,
            )
        previous = cycle_id
        if is_open:
            break
        opened = b.school_day(review_date + dt.timedelta(days=1))


_RATINGS_FOR_STEP: dict[str, tuple[codes.Rating, ...]] = {
    "continue": (codes.Rating.ACHIEVED, codes.Rating.GOOD_PROGRESS, codes.Rating.SOME_PROGRESS),
    "specialist": (codes.Rating.SOME_PROGRESS, codes.Rating.NOT_STARTED),
    "ehcna": (codes.Rating.NOT_STARTED, codes.Rating.NOT_STARTED, codes.Rating.SOME_PROGRESS),
}


def _outcomes(
    b: _Builder,
    cycle_id: int,
    area: str,
    review_date: dt.date,
    step: str | None,
    carried: list[int],
) -> list[int]:
    rng = b.rng
    ids = []
    # Ratings that agree with the review's decision (from the document review: "Good progress"
    # on every outcome beside "Little or no progress: seek specialist advice").
    ratings = _RATINGS_FOR_STEP.get(step or "", ())
    for position, (text, criteria) in enumerate(rng.sample(demo_text.OUTCOMES[area], 3)):
        rating = rng.choice(ratings) if ratings else None
        ids.append(
            b.add(
                Outcome,
                cycle_id=cycle_id,
                position=position,
                area_code=area,
                description=f"The pupil {text}.",
                success_criteria=criteria,
                target_date=review_date,
                rating=None if rating is None else str(rating),
                rating_comment=None if rating is None else "Discussed at review.",
                carried_forward_from_id=carried[position] if position < len(carried) else None,
            )
        )
    return ids


def _provision(
    b: _Builder,
    cycle_id: int,
    area: str,
    outcome_ids: list[int],
    opened: dt.date,
    is_open: bool,
) -> None:
    rng = b.rng
    for what in rng.sample(demo_text.PROVISIONS[area], rng.randint(1, 3)):
        per_week = rng.choice((1, 2, 3, 5))
        weeks = rng.choice((6, 10, 12))
        provision_id = b.add(
            Provision,
            cycle_id=cycle_id,
            outcome_id=rng.choice(outcome_ids),
            description=what,
            delivered_by=rng.choice(demo_text.DELIVERERS),
            group_size=rng.choice((1, 1, 2, 4, 6)),
            sessions_per_week=float(per_week),
            minutes_per_session=rng.choice((15, 20, 30, 45)),
            weeks=weeks,
            hourly_rate_pence=1_800,
            starts_on=opened,
            impact=None if is_open else "Helped with confidence; keep going.",
        )
        delivered_weeks = min(weeks, max(0, (b.today - opened).days // 7)) if is_open else weeks
        _sessions(b, provision_id, opened, delivered_weeks, per_week)


def _sessions(b: _Builder, provision_id: int, opened: dt.date, weeks: int, per_week: int) -> None:
    """Each school week's sessions, on its first weekdays from the day the provision began (none
    at a weekend, in a holiday or on a bank holiday). Two rows in three of the demo are sessions,
    so they are made as `_Builder.add` would make them, without its call for each."""
    rows, number, draw = b.rows[ProvisionSession], b.ids[ProvisionSession], b.rng.random
    school_day = demo_terms.is_school_day
    monday = opened - dt.timedelta(days=opened.weekday())
    for week in range(weeks):
        week_start = monday + dt.timedelta(weeks=week)
        for session in range(per_week):
            held_on = week_start + _DAYS[session % 5]
            if held_on < opened or not school_day(held_on):
                continue
            number += 1
            rows.append(
                {
                    "provision_id": provision_id,
                    "held_on": held_on,
                    "attended": draw() < 0.9,
                    "note": None,
                    "id": number,
                }
            )
    b.ids[ProvisionSession] = number


_DAYS = tuple(dt.timedelta(days=n) for n in range(5))
