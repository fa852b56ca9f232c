"""The load test's short form: 20 clients on overlapping pupils, bounded rounds."""

from __future__ import annotations

import pytest

from sendesk.server.address import ServerAddress
from tests.conftest import DEMO_TODAY
from tests.server import load


@pytest.mark.slow
def test_twenty_clients_lose_no_update_and_every_conflict_is_reported(
    demo_server: ServerAddress,
) -> None:
    result = load.run(demo_server, None, clients=20, rounds=4, pool_size=5, today=DEMO_TODAY)
    assert result.lost == 0 and result.phantom == 0
    assert result.deadlocks == 0 and not result.errors
    # Every edit was either saved or, after repeated conflicts, told and not saved: none vanished.
    assert result.saves + result.gave_up == 20 * 4 and result.saves > 0
    # With 20 people on 5 pupils, some saves were refused and reported, then retried.
    assert result.conflicts > 0
