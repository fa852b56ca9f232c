"""the whole SENDesk data model

Revision ID: 0001
Revises:
Create Date: 2026-11-23 16:19:58.283714
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# The audit log is append-only, enforced by the database itself, in each dialect's own words.
AUDIT_TRIGGERS = {
    "sqlite": (
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    ),
    "postgresql": (
        "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$",
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
    ),
}
DROP_AUDIT_TRIGGERS = {
    "sqlite": (
        "DROP TRIGGER IF EXISTS audit_event_no_update",
        "DROP TRIGGER IF EXISTS audit_event_no_delete",
    ),
    "postgresql": (
        "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_event",
        "DROP TRIGGER IF EXISTS audit_event_no_delete ON audit_event",
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
        "DROP FUNCTION IF EXISTS audit_event_append_only()",
    ),
}


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_setting")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("pupil_uuid", sa.String(length=36), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_pupil_uuid"), ["pupil_uuid"], unique=False)

    op.create_table(
        "meta",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=36), nullable=False),
        sa.Column("school_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("app_version", sa.String(length=40), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_meta_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meta")),
        sa.UniqueConstraint("file_id", name=op.f("uq_meta_file_id")),
    )
    op.create_table(
        "pupil",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("upn", sa.String(length=13), nullable=True),
        sa.Column("legal_surname", sa.String(length=100), nullable=False),
        sa.Column("legal_forename", sa.String(length=100), nullable=False),
        sa.Column("preferred_surname", sa.String(length=100), nullable=True),
        sa.Column("preferred_forename", sa.String(length=100), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("year_group", sa.Integer(), nullable=True),
        sa.Column("class_name", sa.String(length=40), nullable=True),
        sa.Column("sen_status", sa.String(length=1), nullable=False),
        sa.Column("primary_need", sa.String(length=4), nullable=True),
        sa.Column("secondary_need", sa.String(length=4), nullable=True),
        sa.Column("sen_support_since", sa.Date(), nullable=True),
        sa.Column("ehc_plan_since", sa.Date(), nullable=True),
        sa.Column("strengths", sa.Text(), nullable=True),
        sa.Column("what_helps", sa.Text(), nullable=True),
        sa.Column("what_does_not_help", sa.Text(), nullable=True),
        sa.Column("pupil_views", sa.Text(), nullable=True),
        sa.Column("medical_notes", sa.Text(), nullable=True),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("leaving_destination", sa.String(length=200), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "primary_need IS NULL OR primary_need IN ('SPLD', 'MLD', 'SLD', 'PMLD', 'DS', 'SEMH', 'SLCN', 'ASD', 'HI', 'VI', 'MSI', 'PD', 'OTH', 'NSA')",
            name=op.f("ck_pupil_primary_need"),
        ),
        sa.CheckConstraint(
            "secondary_need IS NULL OR secondary_need IN ('SPLD', 'MLD', 'SLD', 'PMLD', 'DS', 'SEMH', 'SLCN', 'ASD', 'HI', 'VI', 'MSI', 'PD', 'OTH', 'NSA')",
            name=op.f("ck_pupil_secondary_need"),
        ),
        sa.CheckConstraint("sen_status IN ('N', 'K', 'E')", name=op.f("ck_pupil_sen_status")),
        sa.CheckConstraint("sex IS NULL OR sex IN ('F', 'M')", name=op.f("ck_pupil_sex")),
        sa.CheckConstraint("length(legal_forename) > 0", name=op.f("ck_pupil_forename_given")),
        sa.CheckConstraint("length(legal_surname) > 0", name=op.f("ck_pupil_surname_given")),
        sa.CheckConstraint(
            "secondary_need IS NULL OR (primary_need IS NOT NULL AND secondary_need <> primary_need)",
            name=op.f("ck_pupil_ranked_needs"),
        ),
        sa.CheckConstraint(
            "year_group IS NULL OR year_group BETWEEN -2 AND 14", name=op.f("ck_pupil_year_group")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pupil")),
        sa.UniqueConstraint("upn", name=op.f("uq_pupil_upn")),
        sa.UniqueConstraint("uuid", name=op.f("uq_pupil_uuid")),
    )
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.create_index("ix_pupil_names", ["legal_surname", "legal_forename"], unique=False)

    op.create_table(
        "school_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("urn", sa.String(length=12), nullable=True),
        sa.Column("local_authority", sa.String(length=100), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("head_teacher", sa.String(length=120), nullable=True),
        sa.Column("senco_name", sa.String(length=120), nullable=True),
        sa.Column("sen_threshold_pence", sa.Integer(), nullable=False),
        sa.Column("staff_hourly_rate_pence", sa.Integer(), nullable=False),
        sa.Column("idle_lock_minutes", sa.Integer(), nullable=False),
        sa.Column("calendar_detail", sa.String(length=20), nullable=False),
        sa.Column("logo_png", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint(
            "calendar_detail IN ('initials_kind', 'kind_only', 'full_name_kind')",
            name=op.f("ck_school_settings_calendar_detail"),
        ),
        sa.CheckConstraint("id = 1", name=op.f("ck_school_settings_single_row")),
        sa.CheckConstraint(
            "idle_lock_minutes BETWEEN 1 AND 240", name=op.f("ck_school_settings_idle_lock_minutes")
        ),
        sa.CheckConstraint(
            "sen_threshold_pence >= 0", name=op.f("ck_school_settings_sen_threshold")
        ),
        sa.CheckConstraint(
            "staff_hourly_rate_pence >= 0", name=op.f("ck_school_settings_hourly_rate")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_settings")),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=80), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    op.create_table(
        "term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_term_dates_in_order")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_term")),
    )
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("size_bytes = length(content)", name=op.f("ck_attachment_size_matches")),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
            name=op.f("fk_attachment_pupil_id_pupil"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("relationship_to_pupil", sa.String(length=60), nullable=True),
        sa.Column("parental_responsibility", sa.Boolean(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("preferred_contact", sa.String(length=10), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "preferred_contact IS NULL OR preferred_contact IN ('phone', 'email', 'letter', 'in_person')",
            name=op.f("ck_contact_preferred_contact"),
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name=op.f("fk_contact_pupil_id_pupil"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("previous_cycle_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("concern", sa.Text(), nullable=True),
        sa.Column("parent_views", sa.Text(), nullable=True),
        sa.Column("pupil_views", sa.Text(), nullable=True),
        sa.Column("teacher_views", sa.Text(), nullable=True),
        sa.Column("parents_informed_on", sa.Date(), nullable=True),
        sa.Column("parents_informed_how", sa.String(length=200), nullable=True),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("next_step", sa.String(length=12), nullable=True),
        sa.CheckConstraint(
            "(stage = 'closed') = (closed_on IS NOT NULL)", name=op.f("ck_cycle_closed_has_date")
        ),
        sa.CheckConstraint(
            "next_step IS NULL OR next_step IN ('exit', 'continue', 'specialist', 'ehcna')",
            name=op.f("ck_cycle_next_step"),
        ),
        sa.CheckConstraint(
            "stage IN ('assess', 'plan', 'do', 'review', 'closed')", name=op.f("ck_cycle_stage")
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_cycle_number_positive")),
        sa.ForeignKeyConstraint(
            ["previous_cycle_id"],
            ["cycle.id"],
            name=op.f("fk_cycle_previous_cycle_id_cycle"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name=op.f("fk_cycle_pupil_id_pupil"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle")),
        sa.UniqueConstraint("pupil_id", "number", name="uq_cycle_pupil_number"),
    )
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cycle_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('concern', 'observation', 'conversation', 'advice', 'other')",
            name=op.f("ck_note_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name=op.f("fk_note_pupil_id_pupil"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note")),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "assessment_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("score", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('standardised_test', 'observation', 'work_sample', 'teacher_assessment', 'outside_report')",
            name=op.f("ck_assessment_evidence_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycle.id"],
            name=op.f("fk_assessment_evidence_cycle_id_cycle"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_evidence")),
    )
    with op.batch_alter_table("assessment_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_evidence_cycle_id"), ["cycle_id"], unique=False
        )

    op.create_table(
        "cycle_need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("need_code", sa.String(length=4), nullable=False),
        sa.CheckConstraint(
            "need_code IN ('SPLD', 'MLD', 'SLD', 'PMLD', 'DS', 'SEMH', 'SLCN', 'ASD', 'HI', 'VI', 'MSI', 'PD', 'OTH', 'NSA')",
            name=op.f("ck_cycle_need_need_code"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycle.id"],
            name=op.f("fk_cycle_need_cycle_id_cycle"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_need")),
        sa.UniqueConstraint("cycle_id", "need_code", name="uq_cycle_need_code"),
    )
    with op.batch_alter_table("cycle_need", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cycle_need_cycle_id"), ["cycle_id"], unique=False)

    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("invited", sa.Text(), nullable=True),
        sa.Column("attendees", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("moved_to_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('sen_review', 'initial_concern', 'ehc_annual_review', 'multi_agency')",
            name=op.f("ck_meeting_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'held', 'cancelled', 'moved')", name=op.f("ck_meeting_status")
        ),
        sa.CheckConstraint("duration_minutes > 0", name=op.f("ck_meeting_duration")),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_meeting_cycle_id_cycle"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["moved_to_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_moved_to_id_meeting"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name=op.f("fk_meeting_pupil_id_pupil"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_pupil_start", ["pupil_id", "starts_at"], unique=False)
        batch_op.create_index("ix_meeting_start", ["starts_at"], unique=False)

    op.create_table(
        "outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=4), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("success_criteria", sa.Text(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("rating", sa.String(length=16), nullable=True),
        sa.Column("rating_comment", sa.Text(), nullable=True),
        sa.Column("carried_forward_from_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "area_code IS NULL OR area_code IN ('CL', 'CI', 'SEMH', 'SP')",
            name=op.f("ck_outcome_area_code"),
        ),
        sa.CheckConstraint(
            "rating IS NULL OR rating IN ('not_started', 'some_progress', 'good_progress', 'achieved')",
            name=op.f("ck_outcome_rating"),
        ),
        sa.ForeignKeyConstraint(
            ["carried_forward_from_id"],
            ["outcome.id"],
            name=op.f("fk_outcome_carried_forward_from_id_outcome"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_outcome_cycle_id_cycle"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome")),
    )
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcome_cycle_id"), ["cycle_id"], unique=False)

    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("service", sa.String(length=8), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("advice", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('specialist_advice', 'ehc_needs_assessment')", name=op.f("ck_referral_kind")
        ),
        sa.CheckConstraint(
            "service IN ('EP', 'SALT', 'OT', 'BSS', 'STS', 'CAMHS', 'LIFT', 'LA', 'OTHER')",
            name=op.f("ck_referral_service"),
        ),
        sa.CheckConstraint(
            "status IN ('requested', 'accepted', 'declined', 'advice_received', 'closed')",
            name=op.f("ck_referral_status"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_referral_cycle_id_cycle"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name=op.f("fk_referral_pupil_id_pupil"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "strategy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("for_whom", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_strategy_cycle_id_cycle"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategy")),
    )
    with op.batch_alter_table("strategy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_strategy_cycle_id"), ["cycle_id"], unique=False)

    op.create_table(
        "wizard_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("data_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "stage IN ('assess', 'plan', 'do', 'review', 'closed')",
            name=op.f("ck_wizard_draft_stage"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycle.id"],
            name=op.f("fk_wizard_draft_cycle_id_cycle"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
            name=op.f("fk_wizard_draft_pupil_id_pupil"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wizard_draft")),
        sa.UniqueConstraint("pupil_id", "stage", name="uq_wizard_draft_pupil_stage"),
    )
    op.create_table(
        "provision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("delivered_by", sa.String(length=120), nullable=True),
        sa.Column("group_size", sa.Integer(), nullable=False),
        sa.Column("sessions_per_week", sa.Float(), nullable=False),
        sa.Column("minutes_per_session", sa.Integer(), nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.Column("hourly_rate_pence", sa.Integer(), nullable=True),
        sa.Column("fixed_cost_pence", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("impact", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "fixed_cost_pence IS NULL OR fixed_cost_pence >= 0",
            name=op.f("ck_provision_fixed_cost"),
        ),
        sa.CheckConstraint("group_size >= 1", name=op.f("ck_provision_group_size")),
        sa.CheckConstraint(
            "hourly_rate_pence IS NULL OR hourly_rate_pence >= 0",
            name=op.f("ck_provision_hourly_rate"),
        ),
        sa.CheckConstraint(
            "minutes_per_session >= 0", name=op.f("ck_provision_minutes_per_session")
        ),
        sa.CheckConstraint("sessions_per_week >= 0", name=op.f("ck_provision_sessions_per_week")),
        sa.CheckConstraint("weeks >= 0", name=op.f("ck_provision_weeks")),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_provision_cycle_id_cycle"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome.id"],
            name=op.f("fk_provision_outcome_id_outcome"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_provision_staff_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provision")),
    )
    with op.batch_alter_table("provision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provision_cycle_id"), ["cycle_id"], unique=False)

    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("parent_views", sa.Text(), nullable=True),
        sa.Column("pupil_views", sa.Text(), nullable=True),
        sa.Column("attendees", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_review_cycle_id_cycle"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_review_meeting_id_meeting"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
        sa.UniqueConstraint("cycle_id", name=op.f("uq_review_cycle_id")),
    )
    op.create_table(
        "provision_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provision_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["provision_id"],
            ["provision.id"],
            name=op.f("fk_provision_session_provision_id_provision"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provision_session")),
    )
    with op.batch_alter_table("provision_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provision_session_provision_id"), ["provision_id"], unique=False
        )

    for trigger in AUDIT_TRIGGERS[op.get_bind().dialect.name]:
        op.execute(trigger)


def downgrade() -> None:
    for statement in DROP_AUDIT_TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)
    with op.batch_alter_table("provision_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provision_session_provision_id"))

    op.drop_table("provision_session")
    op.drop_table("review")
    with op.batch_alter_table("provision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provision_cycle_id"))

    op.drop_table("provision")
    op.drop_table("wizard_draft")
    with op.batch_alter_table("strategy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_strategy_cycle_id"))

    op.drop_table("strategy")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_pupil_id"))

    op.drop_table("referral")
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_cycle_id"))

    op.drop_table("outcome")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_start")
        batch_op.drop_index("ix_meeting_pupil_start")

    op.drop_table("meeting")
    with op.batch_alter_table("cycle_need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cycle_need_cycle_id"))

    op.drop_table("cycle_need")
    with op.batch_alter_table("assessment_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_evidence_cycle_id"))

    op.drop_table("assessment_evidence")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_pupil_id"))

    op.drop_table("note")
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cycle_pupil_id"))

    op.drop_table("cycle")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_pupil_id"))

    op.drop_table("contact")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_pupil_id"))

    op.drop_table("attachment")
    op.drop_table("term")
    op.drop_table("staff")
    op.drop_table("school_settings")
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.drop_index("ix_pupil_names")

    op.drop_table("pupil")
    op.drop_table("meta")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_pupil_uuid"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
    op.drop_table("app_setting")
