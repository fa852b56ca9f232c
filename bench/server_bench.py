"""The team server, measured: the register over loopback against the record file, and a load test.

    .venv/bin/python bench/server_bench.py [--sizes 2000 20000] [--rounds 5] [--clients 20]

Needs a PostgreSQL server: `./dev bench` starts the same private one `./dev test` does and passes
its address in SENDESK_TEST_PG_URL and SENDESK_TEST_PG_PASSWORD.

- `sendesk pupils URL --json` against `sendesk pupils FILE --json` on the same school, whole
  processes interleaved (target: within 2x of the file).
- 20 clients, each with its own connections, in bounded rounds of reads and edits on a few
  overlapping pupils, saving with the version they read: lost updates, deadlocks and conflicts
  reported are counted (targets: 0 lost, 0 deadlocks, every conflict reported).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from harness import CACHE, PASSPHRASE, SENDESK, Figure, compare, demo_file, save, spawn
from psycopg import sql

from sendesk.server import access, admin
from sendesk.server.address import ServerAddress
from sendesk.vault import Vault
from tests.server import load


def _admin_psql(address: ServerAddress, password: str) -> psycopg.Connection:
    url = address.url
    return psycopg.connect(
        host=url.host,
        port=url.port,
        dbname="postgres",
        user=url.username,
        password=password,
        autocommit=True,
    )


def _server_copy(address: ServerAddress, password: str, source: Path) -> ServerAddress:
    name = f"bench_{secrets.token_hex(4)}"
    with _admin_psql(address, password) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    target = address.with_database(name)
    with Vault.open(source, PASSPHRASE) as vault:
        admin.import_file(vault, target, password)
    return target


def _drop(address: ServerAddress, password: str) -> None:
    with _admin_psql(address, password) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(address.database)
            )
        )
        for role in access.role_names(address.database).values():
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def register(address: ServerAddress, password: str, pupils: int, rounds: int) -> Figure:
    source = demo_file(pupils)
    server = _server_copy(address, password, source)
    os.environ["PGPASSWORD"] = password  # libpq's own way, as a user's script would
    try:
        return compare(
            f"sendesk pupils --json, {pupils:,} pupils, server over loopback",
            lambda: spawn([SENDESK, "pupils", str(server), "--json"]),
            lambda: spawn([SENDESK, "pupils", str(source), "--json"]),
            lambda s: s.wall_ms,
            rounds=rounds,
            target=2.0,
            floor_name="the same command on the record file",
            pupils=pupils,
        )
    finally:
        _drop(server, password)


def load_test(
    address: ServerAddress, password: str, clients: int, rounds: int
) -> dict[str, object]:
    server = _server_copy(address, password, demo_file(2_000))
    try:
        started = time.monotonic()
        result = load.run(
            server, password, clients=clients, rounds=rounds, pool_size=10, today=dt.date.today()
        )
        seconds = time.monotonic() - started
    finally:
        _drop(server, password)
    summary = {
        "clients": clients,
        "rounds": rounds,
        "saves": result.saves,
        "conflicts_reported": result.conflicts,
        "gave_up_after_conflicts": result.gave_up,
        "lost_updates": result.lost,
        "deadlocks": result.deadlocks,
        "other_errors": dict(result.errors),
        "seconds": round(seconds, 1),
        "saves_per_second": round(result.saves / seconds, 1),
    }
    print(f"  load test: {summary}", flush=True)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--load-rounds", type=int, default=25)
    args = parser.parse_args()
    url = os.environ.get("SENDESK_TEST_PG_URL")
    password = os.environ.get("SENDESK_TEST_PG_PASSWORD")
    if not url or not password:
        print("No PostgreSQL server: run ./dev bench, which starts one.", file=sys.stderr)
        return 2
    address = ServerAddress.parse(url)
    figures = [register(address, password, n, args.rounds) for n in args.sizes]
    summary = load_test(address, password, args.clients, args.load_rounds)
    save(figures, "server")
    (CACHE / "server-load.txt").write_text(f"{summary}\n", encoding="utf-8")
    return 0 if summary["lost_updates"] == 0 and summary["deadlocks"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
