"""The app's main queries use an index for every lookup, so none grows faster than the school.

SQLite's `EXPLAIN QUERY PLAN` says how each statement runs: one SCAN of the table a query is
about is linear, but a SCAN inside a correlated subquery or as the inner loop of a join is run
once per outer row, which is quadratic in the size of the school.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from sendesk.services import meetings, pupils
from sendesk.vault import Vault
from tests.conftest import DEMO_TODAY

Statement = tuple[str, Any]


def _captured(action: Callable[[], object]) -> list[Statement]:
    seen: list[Statement] = []

    def capture(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))

    event.listen(Engine, "before_cursor_execute", capture)
    try:
        action()
    finally:
        event.remove(Engine, "before_cursor_execute", capture)
    return seen


def _plan(vault: Vault, statement: Statement) -> list[tuple[int, int, str]]:
    sql, params = statement
    with vault.engine.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()
    return [(int(r[0]), int(r[1]), str(r[3])) for r in rows]


def repeated_scans(plan: list[tuple[int, int, str]]) -> list[str]:
    """The SCANs that run once per row of something else: nested, or not the outer loop."""
    loops_at: dict[int, int] = {}  # parent id -> tables already looped over at that level
    problems = []
    for _id, parent, detail in plan:
        if not detail.startswith(("SCAN ", "SEARCH ")):
            continue
        outer = loops_at.get(parent, 0)
        loops_at[parent] = outer + 1
        if detail.startswith("SCAN ") and (parent != 0 or outer):
            problems.append(detail)
    return problems


def test_the_rule_catches_a_scan_inside_a_correlated_subquery() -> None:
    plan = [
        (4, 0, "SCAN cycle"),
        (11, 0, "CORRELATED SCALAR SUBQUERY 1"),
        (16, 11, "SCAN meeting"),
        (29, 0, "SEARCH pupil USING INTEGER PRIMARY KEY (rowid=?)"),
    ]
    assert repeated_scans(plan) == ["SCAN meeting"]
    assert repeated_scans([(3, 0, "SEARCH pupil USING INDEX x (a=?)"), (5, 0, "SCAN note")]) == [
        "SCAN note"
    ]
    assert repeated_scans([(3, 0, "SCAN pupil"), (9, 0, "USE TEMP B-TREE FOR ORDER BY")]) == []


@pytest.fixture
def main_queries(demo_vault: Vault) -> Iterator[tuple[Vault, dict[str, list[Statement]]]]:
    sessions = demo_vault.sessions
    some_pupil = pupils.list_register(sessions, today=DEMO_TODAY)[0].id
    actions: dict[str, Callable[[], object]] = {
        "register": lambda: pupils.list_register(sessions, today=DEMO_TODAY),
        "register search": lambda: pupils.list_register(sessions, "smi", today=DEMO_TODAY),
        "a pupil's record": lambda: pupils.history(sessions, some_pupil),
        "reviews to schedule": lambda: meetings.reviews_to_schedule(sessions),
        "due summary": lambda: meetings.due_summary(sessions, DEMO_TODAY),
        "review tallies": lambda: meetings.review_tallies(sessions, DEMO_TODAY),
        "this week": lambda: meetings.between(
            sessions, DEMO_TODAY, DEMO_TODAY + dt.timedelta(days=6)
        ),
    }
    yield demo_vault, {name: _captured(action) for name, action in actions.items()}


def test_no_main_query_scans_a_table_once_per_row(
    main_queries: tuple[Vault, dict[str, list[Statement]]],
) -> None:
    vault, captured = main_queries
    problems = {}
    for name, statements in captured.items():
        assert statements, f"{name} ran no query: the capture is broken"
        for statement in statements:
            if found := repeated_scans(_plan(vault, statement)):
                problems[f"{name}: {statement[0][:80]}…"] = found
    assert problems == {}


def test_the_whole_school_views_count_held_sessions_from_an_index_alone(demo_vault: Vault) -> None:
    """The count of held sessions per provision in the period reads every session of the
    school: from the index that holds the three columns it asks, not one table lookup per
    session (migrations 0013 and 0014)."""
    from sendesk.analytics import Period
    from sendesk.services import impact

    period = Period(dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    statements = _captured(lambda: impact.read(demo_vault.sessions, period))
    [count] = [s for s in statements if "FROM provision_session" in s[0]]
    plan = [detail for _id, _parent, detail in _plan(demo_vault, count)]
    assert plan == ["SCAN provision_session USING COVERING INDEX ix_provision_session_held"]
