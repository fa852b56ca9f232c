"""Many people editing overlapping pupils on one server: the load test's harness.

Each client is a thread with its own connection pool, as each laptop has its own. In bounded
rounds it reads the register or a pupil, then edits that pupil the way the app does: it saves with
the version it read, and when told someone saved first, reads again and retries. Every save
appends a token of its own to the pupil's "strengths", so at the end a lost update is a token that
was reported saved but is not there. Used by bench/server_bench.py and, in a short form, by CI.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import threading
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy.exc import OperationalError

from sendesk.errors import StaleEdit
from sendesk.server.address import ServerAddress
from sendesk.server.database import ServerDatabase
from sendesk.services import pupils

RETRIES = 25  # a person told of a conflict tries again; a few times at most


@dataclass
class LoadResult:
    saves: int = 0
    conflicts: int = 0  # StaleEdit: reported to the user, who chose again
    gave_up: int = 0  # still conflicting after RETRIES
    deadlocks: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    reads: int = 0
    saved_tokens: dict[int, set[str]] = field(default_factory=dict)
    lost: int = 0
    phantom: int = 0


def _client(
    address: ServerAddress,
    password: str | None,
    number: int,
    rounds: int,
    pool: list[int],
    today: dt.date,
    result: LoadResult,
    lock: threading.Lock,
    start: threading.Barrier,
) -> None:
    try:
        _rounds(_Client(address, password, number, rounds, pool, today), result, lock, start)
    except BaseException as exc:  # a client that fails must not leave the others waiting
        start.abort()
        with lock:
            result.errors[f"{type(exc).__name__}: {str(exc)[:120]}"] += 1


@dataclass(frozen=True)
class _Client:
    address: ServerAddress
    password: str | None
    number: int
    rounds: int
    pool: list[int]
    today: dt.date


def _rounds(
    client: _Client, result: LoadResult, lock: threading.Lock, start: threading.Barrier
) -> None:
    number, rounds, pool, today = client.number, client.rounds, client.pool, client.today
    rng = random.Random(number)
    with ServerDatabase.connect(client.address, client.password) as db:
        start.wait()
        for round_ in range(rounds):
            pupil_id = rng.choice(pool)
            if round_ % 5 == 0:
                pupils.list_register(db.sessions, None, False, today)
                with lock:
                    result.reads += 1
            token = f"[c{number}r{round_}]"
            for _attempt in range(RETRIES):
                seen = pupils.details(db.sessions, pupil_id)
                mine = dataclasses.replace(seen, strengths=(seen.strengths or "") + token)
                try:
                    pupils.update(db.sessions, pupil_id, mine, today)
                except StaleEdit:
                    with lock:
                        result.conflicts += 1
                    continue
                except OperationalError as exc:
                    with lock:
                        if "deadlock" in str(exc.orig).lower():
                            result.deadlocks += 1
                        else:
                            result.errors[type(exc.orig).__name__] += 1
                    continue
                with lock:
                    result.saves += 1
                    result.saved_tokens.setdefault(pupil_id, set()).add(token)
                break
            else:
                with lock:
                    result.gave_up += 1


def run(
    address: ServerAddress,
    password: str | None,
    *,
    clients: int,
    rounds: int,
    pool_size: int,
    today: dt.date,
) -> LoadResult:
    with ServerDatabase.connect(address, password) as db:
        rows = pupils.list_register(db.sessions, None, False, today)
    pool = [r.id for r in rows[:pool_size]]
    result = LoadResult()
    lock = threading.Lock()
    start = threading.Barrier(clients)
    threads = [
        threading.Thread(
            target=_client,
            args=(address, password, n, rounds, pool, today, result, lock, start),
            name=f"client {n}",
        )
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with ServerDatabase.connect(address, password) as db:
        for pupil_id in pool:
            present = set(_tokens(pupils.details(db.sessions, pupil_id).strengths or ""))
            saved = result.saved_tokens.get(pupil_id, set())
            result.lost += len(saved - present)
            result.phantom += len(present - saved)
    return result


def _tokens(text: str) -> list[str]:
    return [f"[{t}" for t in text.split("[") if t.startswith("c")]
