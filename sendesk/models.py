"""The SENDesk data model: every table of a record file.

Only SQLAlchemy's generic types are used so the same models could later run on PostgreSQL.
Money is held in whole pence; dates are `Date`; meeting times are naive wall-clock times in
Europe/London; audit times are naive UTC.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from sendesk import __version__, codes, names
from sendesk.codes import sql_in

# Named constraints let Alembic's batch mode rebuild SQLite tables reliably.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Naive UTC, the convention for audit and housekeeping times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class CurrentLogin(FunctionElement[str]):
    """Who this connection works as, asked of the database itself: the login on a team server
    (`session_user`, which no client can claim to be someone else), empty in a record file,
    whose one user is whoever unlocked it."""

    type = String()
    inherit_cache = True


@compiles(CurrentLogin)
def _no_login(_element: CurrentLogin, _compiler: SQLCompiler, **_kw: object) -> str:
    return "''"


@compiles(CurrentLogin, "postgresql")
def _session_user(_element: CurrentLogin, _compiler: SQLCompiler, **_kw: object) -> str:
    return "session_user"


def new_uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """A row the user edits: its version counts saves, so an edit made over a newer one is caught.

    SQLAlchemy adds `WHERE version = <as loaded>` to every UPDATE and DELETE and raises
    `StaleDataError` when another writer got there first; the services also compare it with the
    version the user saw (see `sendesk.services.versions`).
    """

    version: Mapped[int] = mapped_column(Integer, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805 (a class attribute)
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


# --- the file and the school -------------------------------------------------------------------


class Meta(Base):
    """One row that says which file this is and what last wrote it."""

    __tablename__ = "meta"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[str] = mapped_column(String(36), unique=True)
    school_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    app_version: Mapped[str] = mapped_column(String(40))


class SchoolSettings(Versioned, Base):
    """The school's details and the settings that shape the rules (one row)."""

    __tablename__ = "school_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("idle_lock_minutes BETWEEN 1 AND 240", name="idle_lock_minutes"),
        CheckConstraint("sen_threshold_pence >= 0", name="sen_threshold"),
        CheckConstraint("staff_hourly_rate_pence >= 0", name="hourly_rate"),
        CheckConstraint(
            "calendar_detail IN ('initials_kind', 'kind_only', 'full_name_kind')",
            name="calendar_detail",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    urn: Mapped[str | None] = mapped_column(String(12))
    local_authority: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    head_teacher: Mapped[str | None] = mapped_column(String(120))
    senco_name: Mapped[str | None] = mapped_column(String(120))
    sen_threshold_pence: Mapped[int] = mapped_column(Integer, default=600_000)
    staff_hourly_rate_pence: Mapped[int] = mapped_column(Integer, default=1_800)
    idle_lock_minutes: Mapped[int] = mapped_column(Integer, default=5)
    calendar_detail: Mapped[str] = mapped_column(String(20), default="initials_kind")
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)


class AppSetting(Base):
    """Further settings as JSON text by key (plan templates, example outcomes, ...)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)


# The setting that holds the school's notional SEN budget, in pence (the provision map's total is
# set against it). Here, not in the provision map, so the demo sets it without importing that.
BUDGET_KEY = "notional_sen_budget_pence"


class Term(Base):
    """A term (or half term) of the school year; dates outside every term are holidays."""

    __tablename__ = "term"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)


class Staff(Base):
    """A member of the SEN team. On a team server, `login` is their PostgreSQL login and
    `access_role` what the database lets them do (see `sendesk.server.access`)."""

    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint(
            f"access_role IS NULL OR access_role IN {sql_in(codes.ACCESS_ROLES)}",
            name="access_role",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    login: Mapped[str | None] = mapped_column(String(63), unique=True)
    access_role: Mapped[str | None] = mapped_column(String(10))
    classes: Mapped[str | None] = mapped_column(Text)  # comma-separated, for teachers


# --- pupils ------------------------------------------------------------------------------------


class Pupil(Versioned, Base):
    __tablename__ = "pupil"
    __table_args__ = (
        CheckConstraint(f"sen_status IN {sql_in(codes.SEN_STATUS_LABELS)}", name="sen_status"),
        CheckConstraint(
            f"primary_need IS NULL OR primary_need IN {sql_in(codes.NEED_BY_CODE)}",
            name="primary_need",
        ),
        CheckConstraint(
            f"secondary_need IS NULL OR secondary_need IN {sql_in(codes.NEED_BY_CODE)}",
            name="secondary_need",
        ),
        CheckConstraint(
            "secondary_need IS NULL "
            "OR (primary_need IS NOT NULL AND secondary_need <> primary_need)",
            name="ranked_needs",
        ),
        CheckConstraint(f"sex IS NULL OR sex IN {sql_in(codes.SEXES)}", name="sex"),
        CheckConstraint(
            f"year_group IS NULL OR year_group BETWEEN {min(codes.YEAR_GROUPS)} "
            f"AND {max(codes.YEAR_GROUPS)}",
            name="year_group",
        ),
        CheckConstraint("length(legal_surname) > 0", name="surname_given"),
        CheckConstraint("length(legal_forename) > 0", name="forename_given"),
        Index("ix_pupil_names", "legal_surname", "legal_forename"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    upn: Mapped[str | None] = mapped_column(String(13), unique=True)
    legal_surname: Mapped[str] = mapped_column(String(100))
    legal_forename: Mapped[str] = mapped_column(String(100))
    preferred_surname: Mapped[str | None] = mapped_column(String(100))
    preferred_forename: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))
    year_group: Mapped[int | None] = mapped_column(Integer)
    class_name: Mapped[str | None] = mapped_column(String(40))
    sen_status: Mapped[str] = mapped_column(String(1), default=codes.SenStatus.NONE.value)
    primary_need: Mapped[str | None] = mapped_column(String(4))
    secondary_need: Mapped[str | None] = mapped_column(String(4))
    sen_support_since: Mapped[dt.date | None] = mapped_column(Date)
    ehc_plan_since: Mapped[dt.date | None] = mapped_column(Date)
    strengths: Mapped[str | None] = mapped_column(Text)
    what_helps: Mapped[str | None] = mapped_column(Text)
    what_does_not_help: Mapped[str | None] = mapped_column(Text)
    pupil_views: Mapped[str | None] = mapped_column(Text)
    medical_notes: Mapped[str | None] = mapped_column(Text)
    # For the printed plan and passport (migration 0005).
    home_language: Mapped[str | None] = mapped_column(String(60))
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    class_teacher: Mapped[str | None] = mapped_column(String(120))
    key_worker: Mapped[str | None] = mapped_column(String(120))
    important_to_me: Mapped[str | None] = mapped_column(Text)
    archived_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    leaving_destination: Mapped[str | None] = mapped_column(String(200))
    # When the SENCo last set the SEN judgement (status, needs, since) in SENDesk: from then on
    # an import keeps it unless the user ticks the MIS's value. None: it came from the MIS.
    sen_set_on: Mapped[dt.date | None] = mapped_column(Date)
    # Folded names and UPN, kept by the services, so search ignores case and accents anywhere.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", passive_deletes=True
    )
    notes: Mapped[list[Note]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", passive_deletes=True
    )
    cycles: Mapped[list[Cycle]] = relationship(
        back_populates="pupil",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Cycle.number",
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", passive_deletes=True
    )
    referrals: Mapped[list[Referral]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", passive_deletes=True
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def known_as(self) -> str:
        """The name the pupil is known by (`sendesk.names`)."""
        return names.known_as(
            self.legal_forename, self.legal_surname, self.preferred_forename, self.preferred_surname
        )

    @property
    def ehc_request(self) -> Referral | None:
        """The latest request for an EHC needs assessment (the one the evidence pack prints)."""
        asked = [r for r in self.referrals if r.kind == "ehc_needs_assessment"]
        return max(asked, key=lambda r: (r.requested_on, r.id or 0), default=None)


class Contact(Versioned, Base):
    """A parent, carer or other person to contact about a pupil."""

    __tablename__ = "contact"
    __table_args__ = (
        CheckConstraint(
            f"preferred_contact IS NULL OR preferred_contact IN {sql_in(codes.CONTACT_METHODS)}",
            name="preferred_contact",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relationship_to_pupil: Mapped[str | None] = mapped_column(String(60))
    parental_responsibility: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    preferred_contact: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(Text)

    pupil: Mapped[Pupil] = relationship(back_populates="contacts")


class Note(Versioned, Base):
    """A dated entry in a pupil's log: concern, observation, conversation or advice."""

    __tablename__ = "note"
    __table_args__ = (CheckConstraint(f"kind IN {sql_in(codes.NOTE_KINDS)}", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    noted_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    author: Mapped[str | None] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # A correction is a new note pointing at the one it corrects; the original is kept as written.
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("note.id", ondelete="SET NULL"), unique=True, index=True
    )

    pupil: Mapped[Pupil] = relationship(back_populates="notes")


# --- the graduated approach --------------------------------------------------------------------


class Cycle(Versioned, Base):
    """One turn of Assess-Plan-Do-Review for one pupil."""

    __tablename__ = "cycle"
    __table_args__ = (
        UniqueConstraint("pupil_id", "number", name="uq_cycle_pupil_number"),
        CheckConstraint(f"stage IN {sql_in(codes.Stage)}", name="stage"),
        CheckConstraint(
            f"next_step IS NULL OR next_step IN {sql_in(codes.NextStep)}", name="next_step"
        ),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("(stage = 'closed') = (closed_on IS NOT NULL)", name="closed_has_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    previous_cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("cycle.id", ondelete="SET NULL"), index=True
    )
    stage: Mapped[str] = mapped_column(String(10), default="assess")
    opened_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    concern: Mapped[str | None] = mapped_column(Text)
    parent_views: Mapped[str | None] = mapped_column(Text)
    pupil_views: Mapped[str | None] = mapped_column(Text)
    teacher_views: Mapped[str | None] = mapped_column(Text)
    parents_informed_on: Mapped[dt.date | None] = mapped_column(Date)
    parents_informed_how: Mapped[str | None] = mapped_column(String(200))
    review_date: Mapped[dt.date | None] = mapped_column(Date)
    next_step: Mapped[str | None] = mapped_column(String(12))

    pupil: Mapped[Pupil] = relationship(back_populates="cycles")
    needs: Mapped[list[CycleNeed]] = relationship(
        back_populates="cycle",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CycleNeed.id",
    )
    evidence: Mapped[list[AssessmentEvidence]] = relationship(
        back_populates="cycle",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AssessmentEvidence.id",
    )
    outcomes: Mapped[list[Outcome]] = relationship(
        back_populates="cycle",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Outcome.position",
    )
    provisions: Mapped[list[Provision]] = relationship(
        back_populates="cycle",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Provision.id",
    )
    strategies: Mapped[list[Strategy]] = relationship(
        back_populates="cycle",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Strategy.position",
    )
    review: Mapped[Review | None] = relationship(
        back_populates="cycle", cascade="all, delete-orphan", passive_deletes=True
    )


class CycleNeed(Base):
    """A census need identified at the Assess stage of a cycle."""

    __tablename__ = "cycle_need"
    __table_args__ = (
        UniqueConstraint("cycle_id", "need_code", name="uq_cycle_need_code"),
        CheckConstraint(f"need_code IN {sql_in(codes.NEED_BY_CODE)}", name="need_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    need_code: Mapped[str] = mapped_column(String(4))

    cycle: Mapped[Cycle] = relationship(back_populates="needs")


class AssessmentEvidence(Versioned, Base):
    __tablename__ = "assessment_evidence"
    __table_args__ = (CheckConstraint(f"kind IN {sql_in(codes.EVIDENCE_KINDS)}", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    recorded_on: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(200))
    score: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)

    cycle: Mapped[Cycle] = relationship(back_populates="evidence")


class Outcome(Versioned, Base):
    """What the pupil should achieve in a cycle, and at review how far they did."""

    __tablename__ = "outcome"
    __table_args__ = (
        CheckConstraint(f"rating IS NULL OR rating IN {sql_in(codes.Rating)}", name="rating"),
        CheckConstraint(
            f"area_code IS NULL OR area_code IN {sql_in(codes.AREA_BY_CODE)}", name="area_code"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    area_code: Mapped[str | None] = mapped_column(String(4))
    description: Mapped[str] = mapped_column(Text)
    success_criteria: Mapped[str | None] = mapped_column(Text)
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    rating: Mapped[str | None] = mapped_column(String(16))
    rating_comment: Mapped[str | None] = mapped_column(Text)
    carried_forward_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("outcome.id", ondelete="SET NULL"), index=True
    )

    cycle: Mapped[Cycle] = relationship(back_populates="outcomes")


class Provision(Versioned, Base):
    """An intervention, adjustment or resource planned for a pupil in a cycle."""

    __tablename__ = "provision"
    __table_args__ = (
        CheckConstraint("group_size >= 1", name="group_size"),
        CheckConstraint("sessions_per_week >= 0", name="sessions_per_week"),
        CheckConstraint("minutes_per_session >= 0", name="minutes_per_session"),
        CheckConstraint("weeks >= 0", name="weeks"),
        CheckConstraint("hourly_rate_pence IS NULL OR hourly_rate_pence >= 0", name="hourly_rate"),
        CheckConstraint("fixed_cost_pence IS NULL OR fixed_cost_pence >= 0", name="fixed_cost"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("outcome.id", ondelete="SET NULL"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    delivered_by: Mapped[str | None] = mapped_column(String(120))
    group_size: Mapped[int] = mapped_column(Integer, default=1)
    sessions_per_week: Mapped[float] = mapped_column(Float, default=1.0)
    minutes_per_session: Mapped[int] = mapped_column(Integer, default=30)
    weeks: Mapped[int] = mapped_column(Integer, default=12)
    hourly_rate_pence: Mapped[int | None] = mapped_column(Integer)
    fixed_cost_pence: Mapped[int | None] = mapped_column(Integer)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    impact: Mapped[str | None] = mapped_column(Text)
    where_when: Mapped[str | None] = mapped_column(String(200))  # "small-group room, Tue/Thu am"
    expected_impact: Mapped[str | None] = mapped_column(Text)
    # The assessment measure whose entry and exit scores show this provision's impact.
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_measure.id", ondelete="SET NULL"), index=True
    )

    cycle: Mapped[Cycle] = relationship(back_populates="provisions")
    sessions: Mapped[list[ProvisionSession]] = relationship(
        back_populates="provision", cascade="all, delete-orphan", passive_deletes=True
    )


class ProvisionSession(Base):
    """One delivered (or missed) session of a provision."""

    __tablename__ = "provision_session"
    # Sessions held per provision in a period are counted from this index alone (migrations
    # 0013 and 0014); it also serves every lookup by provision.
    __table_args__ = (Index("ix_provision_session_held", "provision_id", "attended", "held_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provision_id: Mapped[int] = mapped_column(ForeignKey("provision.id", ondelete="CASCADE"))
    held_on: Mapped[dt.date] = mapped_column(Date)
    attended: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text)

    provision: Mapped[Provision] = relationship(back_populates="sessions")


class Strategy(Versioned, Base):
    """A strategy every adult working with the pupil should use."""

    __tablename__ = "strategy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    for_whom: Mapped[str | None] = mapped_column(String(120))

    cycle: Mapped[Cycle] = relationship(back_populates="strategies")


class Review(Versioned, Base):
    """The review that ends a cycle: views, who attended, and what was decided."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), unique=True)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )
    held_on: Mapped[dt.date] = mapped_column(Date)
    parent_views: Mapped[str | None] = mapped_column(Text)
    pupil_views: Mapped[str | None] = mapped_column(Text)
    attendees: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    actions: Mapped[str | None] = mapped_column(Text)  # who does what by when, a line each

    cycle: Mapped[Cycle] = relationship(back_populates="review")


class WizardDraft(Base):
    """What was typed into a stage wizard that has not been applied yet, by one login."""

    __tablename__ = "wizard_draft"
    __table_args__ = (
        UniqueConstraint("pupil_id", "stage", "owner", name="uq_wizard_draft_pupil_stage_owner"),
        CheckConstraint(f"stage IN {sql_in(codes.Stage)}", name="stage"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("cycle.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(10))
    page: Mapped[int] = mapped_column(Integer, default=0)
    data_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # The login whose typing this is (`CurrentLogin`); empty in a record file.
    owner: Mapped[str] = mapped_column(String(63), server_default="")


# --- meetings, referrals, attachments ----------------------------------------------------------


class Meeting(Versioned, Base):
    """A meeting about a pupil; start times are Europe/London wall-clock times."""

    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint(f"kind IN {sql_in(codes.MEETING_KINDS)}", name="kind"),
        CheckConstraint(f"status IN {sql_in(codes.MEETING_STATUSES)}", name="status"),
        CheckConstraint("duration_minutes > 0", name="duration"),
        Index("ix_meeting_pupil_start", "pupil_id", "starts_at"),
        Index("ix_meeting_start", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"))
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("cycle.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=30)
    place: Mapped[str | None] = mapped_column(String(200))
    invited: Mapped[str | None] = mapped_column(Text)
    attendees: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="planned")
    moved_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)

    pupil: Mapped[Pupil] = relationship(back_populates="meetings")


class Referral(Versioned, Base):
    """A request for specialist advice or for an EHC needs assessment."""

    __tablename__ = "referral"
    __table_args__ = (
        CheckConstraint(f"kind IN {sql_in(codes.REFERRAL_KINDS)}", name="kind"),
        CheckConstraint(f"service IN {sql_in(codes.REFERRAL_SERVICES)}", name="service"),
        CheckConstraint(f"status IN {sql_in(codes.REFERRAL_STATUSES)}", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("cycle.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    service: Mapped[str] = mapped_column(String(8))
    requested_on: Mapped[dt.date] = mapped_column(Date)
    responded_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="requested")
    advice: Mapped[str | None] = mapped_column(Text)
    parent_consent_on: Mapped[dt.date | None] = mapped_column(Date)  # to an EHC needs assessment
    signed_off_on: Mapped[dt.date | None] = mapped_column(Date)  # by the SENCo

    pupil: Mapped[Pupil] = relationship(back_populates="referrals")


class Attachment(Base):
    """A scanned letter or report, kept inside the encrypted file."""

    __tablename__ = "attachment"
    __table_args__ = (CheckConstraint("size_bytes = length(content)", name="size_matches"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(40))  # ATTACHMENT_CATEGORIES
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    pupil: Mapped[Pupil] = relationship(back_populates="attachments")


class AuditEvent(Base):
    """An append-only record of what was done; the database refuses UPDATE and DELETE.

    It names a pupil only by UUID and never holds record content, so a pupil's records can be
    removed (transfer, retention) while the log still shows that it happened.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(40))
    pupil_uuid: Mapped[str | None] = mapped_column(String(36), index=True)
    summary: Mapped[str] = mapped_column(Text)
    # Who did it: on a team server the database writes the login; a record file has one user.
    actor: Mapped[str | None] = mapped_column(String(63))


# --- imports -----------------------------------------------------------------------------------


class ImportBatch(Base):
    """One import from a MIS file, kept so that it can be undone as one step."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    made_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(3))  # "CSV" or "CTF"
    source_name: Mapped[str] = mapped_column(String(255))
    source_digest: Mapped[str] = mapped_column(String(64), index=True)  # SHA-256 of the file
    summary: Mapped[str] = mapped_column(Text)
    pupils: Mapped[int] = mapped_column(Integer)  # how many it changed or added
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    changes: Mapped[list[ImportChange]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", passive_deletes=True
    )


class ImportChange(Base):
    """What one import did to one pupil: added them, or changed these fields from old to new."""

    __tablename__ = "import_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Nullable because the row travels with the pupil's records (subject access, transfer),
    # where the school's import batch does not; undo only ever follows a batch to its rows.
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    added: Mapped[bool] = mapped_column(Boolean, default=False)
    # {"field": [old, new], ...} with dates as ISO text; every field the import set.
    values_json: Mapped[str] = mapped_column(Text)

    batch: Mapped[ImportBatch | None] = relationship(back_populates="changes")


# Assessment measures and scores, and attendance per term, live in their own modules; importing
# them here keeps their tables in the one metadata whatever a caller imports first.
from sendesk import attendance_models as _attendance_models  # noqa: E402, F401
from sendesk import measure_models as _measure_models  # noqa: E402


def first_rows(school_name: str, action: str, summary: str) -> list[Base]:
    """The rows every new SENDesk database starts with (a record file or a server database):
    which school it is, its settings, example measures, and the audit event that says it was
    made."""
    return [
        Meta(
            id=1,
            file_id=new_uuid(),
            school_name=school_name,
            created_at=utcnow(),
            app_version=__version__,
        ),
        SchoolSettings(id=1),
        *_measure_models.examples(),  # the school's measures start with examples
        AuditEvent(action=action, summary=summary),
    ]
