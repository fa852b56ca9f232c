"""The whole-school figures of the demo school are the same on a record file and on the team
server it was copied to: the narrowed queries and the rules behind them read alike on SQLite and
PostgreSQL (dates, booleans, ordering, sums)."""

from __future__ import annotations

from pathlib import Path

from sendesk.analytics import Period
from sendesk.school_year import school_year_end, school_year_start
from sendesk.services import governors, impact, provision_map, register_analytics
from sendesk.vault import Vault
from tests.conftest import DEMO_TODAY, PASSPHRASE
from tests.server.templates import ServerTemplates

YEAR = Period(school_year_start(DEMO_TODAY), school_year_end(DEMO_TODAY))


def test_the_demo_school_has_the_same_figures_on_the_file_and_on_the_server(
    demo_file: Path, server_templates: ServerTemplates
) -> None:
    def figures(records: object) -> dict[str, object]:
        sessions = records.sessions  # type: ignore[attr-defined]
        return {
            "map": provision_map.build(sessions, YEAR),
            "impact": impact.build(sessions, YEAR),
            "register": register_analytics.build(sessions, DEMO_TODAY),
            "governors": governors.build(sessions, YEAR, DEMO_TODAY),
        }

    with Vault.open(demo_file, PASSPHRASE) as file:
        on_file = figures(file)
    with server_templates.clone("demo") as server:
        on_server = figures(server)
    assert on_file["map"].lines and on_file["impact"].kinds  # type: ignore[attr-defined]
    for view, found in on_file.items():
        assert on_server[view] == found, view
