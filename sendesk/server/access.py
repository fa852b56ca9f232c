"""Who may see and change what on a team server, enforced by PostgreSQL itself.

Each SENDesk database has four group roles, named after it (`<db>_senco`, `<db>_teacher`,
`<db>_assistant`, `<db>_leader`); a member of staff is a login in one of them. Table grants say
what a role may do at all; row-level security policies say to which pupils' rows:

- SENCo: everything.
- Teacher: reads the profile, plan, strategies and attendance of the pupils in their classes, adds
  notes.
- Teaching assistant: records the sessions and attendance of the provisions they deliver, and reads
  those pupils' names, plans and strategies.
- Leader: no pupil rows at all; anonymised counts through `sendesk_register_summary()`, with small
  numbers suppressed.

The audit log is append-only for everyone: INSERT only, with the login written by a trigger.
`apply` is idempotent, so `sendesk server upgrade` runs it again after new revisions.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from sendesk import codes
from sendesk.errors import BadInput

# Every table, by how its rows belong to a pupil. A new table must be placed here: a test fails
# until it is, so no table is ever left readable by a role by accident.
PUPIL_TABLE = "pupil"
BY_PUPIL = (
    "contact",
    "note",
    "cycle",
    "meeting",
    "referral",
    "attachment",
    "wizard_draft",
    "import_change",
    "measure_score",
    "term_attendance",
)
BY_CYCLE = ("cycle_need", "assessment_evidence", "outcome", "provision", "strategy", "review")
BY_PROVISION = ("provision_session",)
# School-wide tables; only those in GRANTS below are readable by a role other than the SENCo.
SCHOOL_WIDE = (
    "meta",
    "school_settings",
    "term",
    "app_setting",
    "alembic_version",
    "import_batch",
    "assessment_measure",
    "measure_expectation",
)
STAFF_TABLE = "staff"
DRAFT_TABLE = "wizard_draft"
AUDIT_TABLE = "audit_event"


def every_table() -> tuple[str, ...]:
    return (
        PUPIL_TABLE,
        STAFF_TABLE,
        AUDIT_TABLE,
        *BY_PUPIL,
        *BY_CYCLE,
        *BY_PROVISION,
        *SCHOOL_WIDE,
    )


# What each role may do to each table (table grants); rows are then narrowed by the policies.
# The SELECT on `id` alone lets an INSERT ... RETURNING id work without reading the row.
GRANTS: dict[str, dict[str, str]] = {
    "teacher": {
        "pupil": "SELECT",
        "cycle": "SELECT",
        "cycle_need": "SELECT",
        "outcome": "SELECT",
        "provision": "SELECT",
        "strategy": "SELECT",
        "review": "SELECT",
        "meeting": "SELECT",
        "term_attendance": "SELECT",  # a teacher reads their class's attendance per term
        "note": "INSERT, SELECT (id)",
        "audit_event": "INSERT, SELECT (id)",
        "staff": "SELECT",
        "meta": "SELECT",
        "school_settings": "SELECT",
        "term": "SELECT",
        "app_setting": "SELECT",
        "alembic_version": "SELECT",
    },
    "assistant": {
        "pupil": "SELECT",
        "cycle": "SELECT",
        "meeting": "SELECT",  # the register shows each pupil's next review
        "outcome": "SELECT",
        "provision": "SELECT",
        "strategy": "SELECT",
        "provision_session": "SELECT, INSERT, UPDATE",
        "audit_event": "INSERT, SELECT (id)",
        "staff": "SELECT",
        "meta": "SELECT",
        "school_settings": "SELECT",
        "term": "SELECT",
        "app_setting": "SELECT",
        "alembic_version": "SELECT",
    },
    "leader": {
        "audit_event": "INSERT, SELECT (id)",
        "meta": "SELECT",
        "school_settings": "SELECT",
        "term": "SELECT",
        "alembic_version": "SELECT",
    },
}

# Helper functions the policies call. SECURITY DEFINER so that they read `staff`, `pupil` and
# `cycle` as the owner, without the caller needing to see those rows; search_path is pinned so
# nobody can slip a table of their own in front of ours.
FUNCTIONS = (
    """
    CREATE OR REPLACE FUNCTION sendesk_my_staff_id() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT id FROM staff WHERE login = session_user AND active
    $$""",
    """
    CREATE OR REPLACE FUNCTION sendesk_teaches_pupil(pupil integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT EXISTS (
            SELECT 1 FROM pupil p JOIN staff s ON s.login = session_user AND s.active
            WHERE p.id = pupil AND p.class_name IS NOT NULL
              AND p.class_name = ANY (string_to_array(coalesce(s.classes, ''), ','))
        )
    $$""",
    """
    CREATE OR REPLACE FUNCTION sendesk_supports_pupil(pupil integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT EXISTS (
            SELECT 1 FROM provision v JOIN cycle c ON c.id = v.cycle_id
            WHERE c.pupil_id = pupil AND v.staff_id = sendesk_my_staff_id()
        )
    $$""",
    """
    CREATE OR REPLACE FUNCTION sendesk_cycle_pupil(cycle_id integer) RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT pupil_id FROM cycle WHERE id = cycle_id
    $$""",
    """
    CREATE OR REPLACE FUNCTION sendesk_delivers(provision_id integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT EXISTS (
            SELECT 1 FROM provision WHERE id = provision_id AND staff_id = sendesk_my_staff_id()
        )
    $$""",
    # Anonymised counts for leaders: no names, and fewer than SUPPRESS_BELOW pupils shown as NULL.
    """
    CREATE OR REPLACE FUNCTION sendesk_register_summary()
    RETURNS TABLE (sen_status text, primary_need text, year_group integer, pupils bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT p.sen_status::text, p.primary_need::text, p.year_group,
               CASE WHEN count(*) < 5 THEN NULL ELSE count(*) END
        FROM pupil p WHERE p.archived_on IS NULL
        GROUP BY p.sen_status, p.primary_need, p.year_group
        ORDER BY 1, 2, 3
    $$""",
)
FUNCTION_NAMES = (
    "sendesk_my_staff_id()",
    "sendesk_teaches_pupil(integer)",
    "sendesk_supports_pupil(integer)",
    "sendesk_cycle_pupil(integer)",
    "sendesk_delivers(integer)",
    "sendesk_register_summary()",
)


def _policies(roles: dict[str, str]) -> list[tuple[str, str]]:
    """(table, CREATE POLICY ...) for every row rule."""
    senco, teacher, assistant = roles["senco"], roles["teacher"], roles["assistant"]
    rules: list[tuple[str, str]] = []
    for table in (PUPIL_TABLE, *BY_PUPIL, *BY_CYCLE, *BY_PROVISION, STAFF_TABLE):
        if table != DRAFT_TABLE:
            rules.append((table, f"CREATE POLICY senco_all ON {table} TO {senco} USING (true)"))
    # A draft is one login's unsaved typing: even another SENCo neither sees nor resumes it.
    rules.append(
        (
            DRAFT_TABLE,
            f"CREATE POLICY own_drafts ON {DRAFT_TABLE} TO {senco} "
            "USING (owner = session_user) WITH CHECK (owner = session_user)",
        )
    )
    rules += [
        (
            PUPIL_TABLE,
            f"CREATE POLICY teacher_read ON pupil FOR SELECT TO {teacher} "
            "USING (sendesk_teaches_pupil(id))",
        ),
        (
            PUPIL_TABLE,
            f"CREATE POLICY assistant_read ON pupil FOR SELECT TO {assistant} "
            "USING (sendesk_supports_pupil(id))",
        ),
        (
            "note",
            f"CREATE POLICY teacher_add ON note FOR INSERT TO {teacher} "
            "WITH CHECK (sendesk_teaches_pupil(pupil_id))",
        ),
        # Needed for INSERT ... RETURNING; the column grant limits it to the id.
        (
            "note",
            f"CREATE POLICY teacher_returning ON note FOR SELECT TO {teacher} "
            "USING (sendesk_teaches_pupil(pupil_id))",
        ),
        (
            "provision",
            f"CREATE POLICY assistant_read ON provision FOR SELECT TO {assistant} "
            "USING (staff_id = sendesk_my_staff_id())",
        ),
        (
            "provision_session",
            f"CREATE POLICY assistant_own ON provision_session TO {assistant} "
            "USING (sendesk_delivers(provision_id)) "
            "WITH CHECK (sendesk_delivers(provision_id))",
        ),
        (
            STAFF_TABLE,
            f"CREATE POLICY self_read ON staff FOR SELECT TO {teacher}, {assistant} "
            "USING (login = session_user)",
        ),
    ]
    for table in ("cycle", "meeting", "term_attendance"):
        rules.append(
            (
                table,
                f"CREATE POLICY teacher_read ON {table} FOR SELECT TO {teacher} "
                "USING (sendesk_teaches_pupil(pupil_id))",
            )
        )
    for table in ("cycle", "meeting"):
        rules.append(
            (
                table,
                f"CREATE POLICY assistant_read ON {table} FOR SELECT TO {assistant} "
                "USING (sendesk_supports_pupil(pupil_id))",
            )
        )
    for table in BY_CYCLE:
        rules.append(
            (
                table,
                f"CREATE POLICY teacher_read ON {table} FOR SELECT TO {teacher} "
                "USING (sendesk_teaches_pupil(sendesk_cycle_pupil(cycle_id)))",
            )
        )
    for table in ("outcome", "strategy"):
        rules.append(
            (
                table,
                f"CREATE POLICY assistant_read ON {table} FOR SELECT TO {assistant} "
                "USING (sendesk_supports_pupil(sendesk_cycle_pupil(cycle_id)))",
            )
        )
    return rules


def may_read(role: str, table: str) -> bool:
    """Whether a role may read a table's rows (which rows is then up to the policies).

    The app asks this to leave out what a login could only be refused; the grants decide.
    """
    if role == "senco":
        return True
    grant = GRANTS.get(role, {}).get(table, "")
    return any(part.strip() == "SELECT" for part in grant.split(","))


def may_add(role: str, table: str) -> bool:
    """Whether a role may add rows to a table (a teacher adds notes it may not read back)."""
    if role == "senco":
        return True
    grant = GRANTS.get(role, {}).get(table, "")
    return any(part.strip() == "INSERT" for part in grant.split(","))


_SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


def role_names(database: str) -> dict[str, str]:
    """The four group roles of one database; PostgreSQL roles are shared by the whole server."""
    base = re.sub(r"[^a-z0-9_]", "_", database.lower())
    if not _SAFE_NAME.match(base):
        raise BadInput(f"SENDesk cannot name roles after the database {database!r}.")
    return {role: f"{base}_{role}" for role in codes.ACCESS_ROLES}


def apply(conn: Connection) -> None:
    """Create the group roles if needed, then set every grant and policy afresh."""
    database = str(conn.execute(text("SELECT current_database()")).scalar_one())
    roles = role_names(database)
    for name in roles.values():
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
        if exists.first() is None:
            conn.execute(text(f"CREATE ROLE {name} NOLOGIN"))
    everyone = ", ".join(roles.values())
    conn.execute(text(f'REVOKE ALL ON DATABASE "{database}" FROM PUBLIC'))
    conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {everyone}'))
    conn.execute(text("REVOKE ALL ON SCHEMA public FROM PUBLIC"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {everyone}"))
    conn.execute(text("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC"))
    conn.execute(text("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC"))
    conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {everyone}"))
    conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {everyone}"))
    for statement in FUNCTIONS:
        conn.execute(text(statement))
    for function in FUNCTION_NAMES:
        conn.execute(text(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC"))
        conn.execute(text(f"GRANT EXECUTE ON FUNCTION {function} TO {everyone}"))

    # The SENCo: everything but rewriting history.
    senco = roles["senco"]
    conn.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {senco}")
    )
    conn.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON {AUDIT_TABLE} FROM {senco}"))
    conn.execute(text(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {senco}"))
    conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {senco}"))
    for role, tables in GRANTS.items():
        for table, privileges in tables.items():
            conn.execute(text(f"GRANT {privileges} ON {table} TO {roles[role]}"))
    # Only the id sequences of the tables a role adds to (nextval elsewhere would count pupils).
    for role, tables in GRANTS.items():
        for table, privileges in tables.items():
            if "INSERT" in privileges:
                sequence = conn.execute(
                    text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}
                ).scalar_one()
                conn.execute(text(f"GRANT USAGE ON SEQUENCE {sequence} TO {roles[role]}"))

    protected = (PUPIL_TABLE, *BY_PUPIL, *BY_CYCLE, *BY_PROVISION, STAFF_TABLE, AUDIT_TABLE)
    for table in protected:
        for (name,) in conn.execute(
            text("SELECT policyname FROM pg_policies WHERE tablename = :t"), {"t": table}
        ):
            conn.execute(text(f'DROP POLICY "{name}" ON {table}'))
        conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
    for _table, statement in _policies(roles):
        conn.execute(text(statement))
    # The audit log: everyone adds, only the SENCo reads; the login is written by a trigger.
    conn.execute(
        text(
            f"CREATE POLICY anyone_adds ON {AUDIT_TABLE} FOR INSERT TO {everyone} WITH CHECK (true)"
        )
    )
    conn.execute(
        text(f"CREATE POLICY senco_reads ON {AUDIT_TABLE} FOR SELECT TO {senco} USING (true)")
    )
    conn.execute(
        text(
            f"CREATE POLICY own_returning ON {AUDIT_TABLE} FOR SELECT TO "
            f"{roles['teacher']}, {roles['assistant']}, {roles['leader']} "
            "USING (actor = session_user)"
        )
    )
