"""Floors for the whole-school figures: the rows `sendesk provision-map|impact|governors-report
FILE --json --date 2026-11-23` read, by hand.

    raw_analytics.py provision-map|impact|governors-report FILE

Raw sqlcipher3, keyed as in raw_cli.py (SQLCipher 4's key derivation done once here), then the
same narrowed queries the command runs (the school year 2026/27: provisions running in it, the
attended sessions counted by the database, the closed cycles of pupils on the register, the
register counted by the database), written here. Nothing is computed from the rows and only a
count is printed. No SENDesk code is imported.
"""

from __future__ import annotations

import sys

from raw_cli import connect, raw_key

START, END = "2026-09-01", "2027-08-31"

HELD = (
    "SELECT provision_id, count(*) FROM provision_session WHERE attended = 1"
    f" AND held_on >= '{START}' AND held_on <= '{END}' GROUP BY provision_id"
)
PROVISIONS = f"""
SELECT p.id, p.cycle_id, c.pupil_id, p.description, p.delivered_by, p.group_size,
       p.sessions_per_week, p.minutes_per_session, p.weeks, p.hourly_rate_pence,
       p.fixed_cost_pence, p.measure_id, p.outcome_id, p.starts_on, c.opened_on, c.closed_on,
       u.year_group, u.class_name, u.primary_need
FROM provision p JOIN cycle c ON c.id = p.cycle_id JOIN pupil u ON u.id = c.pupil_id
WHERE coalesce(p.starts_on, c.opened_on) <= '{END}'
  AND (c.closed_on IS NULL OR c.closed_on >= '{START}'
       OR coalesce(p.starts_on, c.opened_on) >= '{START}')
ORDER BY p.id
"""
BUDGET = "SELECT value_json FROM app_setting WHERE key = 'notional_sen_budget_pence'"
MAP = (HELD, PROVISIONS, BUDGET)
IMPACT = (
    HELD,
    PROVISIONS,
    "SELECT id, name, unit, higher_is_better FROM assessment_measure",
    "SELECT cycle_id, measure_id, recorded_on, value, point FROM measure_score"
    " WHERE cycle_id IS NOT NULL AND measure_id IS NOT NULL",
    "SELECT id, cycle_id, rating FROM outcome ORDER BY id",
    "SELECT c.id, c.pupil_id, c.number, c.next_step, u.legal_forename, u.legal_surname,"
    " u.preferred_forename, u.preferred_surname, u.year_group, u.class_name"
    " FROM cycle c JOIN pupil u ON u.id = c.pupil_id WHERE c.stage = 'closed'"
    " AND u.archived_on IS NULL AND u.sen_status IN ('E', 'K') ORDER BY c.pupil_id, c.number",
    "SELECT p.cycle_id, p.measure_id FROM provision p JOIN cycle c ON c.id = p.cycle_id"
    " WHERE c.stage = 'closed' AND p.measure_id IS NOT NULL ORDER BY p.id",
)
REGISTER = (
    "SELECT sen_status, primary_need, year_group, class_name, count(*) FROM pupil"
    " WHERE archived_on IS NULL GROUP BY sen_status, primary_need, year_group, class_name",
    "SELECT id, sen_status, sen_support_since, ehc_plan_since, archived_on, left_on FROM pupil"
    " WHERE sen_status IN ('E', 'K') OR ehc_plan_since IS NOT NULL OR id IN"
    " (SELECT pupil_id FROM cycle WHERE stage IN ('do', 'review', 'closed'))",
    "SELECT min(sen_support_since), min(ehc_plan_since) FROM pupil",
    "SELECT pupil_id, opened_on, closed_on FROM cycle WHERE stage IN ('do', 'review', 'closed')",
)
QUERIES = {
    "provision-map": MAP,
    "impact": IMPACT,
    "governors-report": (*REGISTER, *IMPACT, BUDGET),
}


def main() -> int:
    command, path = sys.argv[1], sys.argv[2]
    conn = connect(path, raw_key(path))
    rows = sum(len(conn.execute(sql).fetchall()) for sql in QUERIES[command])
    conn.close()
    print(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
