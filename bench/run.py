"""Benchmarks of the record file: prints measured numbers beside a raw-SQLCipher floor.

    ./dev bench [--pupils 2000] [--repeat 15]

Targets (issue 2): demo build under 10 s; listing and searching within 2x of the raw floor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlcipher3
from sqlalchemy import select
from sqlalchemy.dialects import sqlite

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sendesk import demo  # noqa: E402
from sendesk.models import Cycle, Pupil  # noqa: E402
from sendesk.services import pupils  # noqa: E402
from sendesk.vault import Vault  # noqa: E402

PASSPHRASE = "benchmark passphrase for a made up school"
SEARCH = "smith"


def once(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def compare(
    ours: Callable[[], object], floor: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Median milliseconds of each, run alternately so that machine noise hits both alike."""
    ours(), floor()  # warm caches
    pairs = [(once(ours), once(floor)) for _ in range(repeat)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def raw_sql(search: str | None) -> tuple[str, list[object]]:
    compiled = pupils.register_query(search).compile(
        dialect=sqlite.dialect(), compile_kwargs={"render_postcompile": True}
    )
    return str(compiled), [compiled.params[name] for name in compiled.positiontup or []]


def row(name: str, ours: float, floor: float | None = None, target: str = "") -> None:
    ratio = f"{ours / floor:5.2f}x" if floor else "      "
    floor_text = f"{floor:9.2f}" if floor is not None else " " * 9
    print(f"{name:34} {ours:9.2f} {floor_text}  {ratio}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=31)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sendesk"
        start = time.perf_counter()
        demo.build(path, PASSPHRASE, args.pupils, seed=1).close()
        build_s = time.perf_counter() - start
        size_mb = path.stat().st_size / 1e6

        def open_ours() -> None:
            with Vault.open(path, PASSPHRASE) as v:
                v.meta()

        def open_raw() -> None:
            conn = sqlcipher3.connect(str(path))
            conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.close()

        vault = Vault.open(path, PASSPHRASE)
        raw = sqlcipher3.connect(str(path))
        raw.execute(f"PRAGMA key = '{PASSPHRASE}'")
        list_sql, list_params = raw_sql(None)
        search_sql, search_params = raw_sql(SEARCH)
        with vault.sessions() as session:
            pupil_id = session.execute(
                select(Cycle.pupil_id).group_by(Cycle.pupil_id).order_by(Cycle.pupil_id).limit(1)
            ).scalar_one()

        def history_raw() -> None:
            one = (pupil_id,)
            for table in (
                "pupil WHERE id",
                "contact WHERE pupil_id",
                "note WHERE pupil_id",
                "meeting WHERE pupil_id",
                "referral WHERE pupil_id",
                "cycle WHERE pupil_id",
            ):
                raw.execute(f"SELECT * FROM {table} = ?", one).fetchall()
            cycles = [r[0] for r in raw.execute("SELECT id FROM cycle WHERE pupil_id = ?", one)]
            marks = ",".join("?" * len(cycles))
            for table in (
                "cycle_need",
                "assessment_evidence",
                "outcome",
                "strategy",
                "review",
                "provision",
            ):
                raw.execute(f"SELECT * FROM {table} WHERE cycle_id IN ({marks})", cycles).fetchall()
            raw.execute(
                "SELECT * FROM provision_session WHERE provision_id IN "
                f"(SELECT id FROM provision WHERE cycle_id IN ({marks}))",
                cycles,
            ).fetchall()

        print(
            f"SENDesk record-file benchmark: {args.pupils} demo pupils, "
            f"file {size_mb:.1f} MB, median of {args.repeat} runs"
        )
        print(f"{'':34} {'ours ms':>9} {'floor ms':>9}  ratio")
        row("demo build (s)", build_s, None, "target < 10 s")
        row("open incl. key derivation", *compare(open_ours, open_raw, 7))
        row(
            "list all pupils",
            *compare(
                lambda: pupils.list_register(vault.sessions),
                lambda: raw.execute(list_sql, list_params).fetchall(),
                args.repeat,
            ),
            "target < 2x",
        )
        row(
            f"search by name ({SEARCH!r})",
            *compare(
                lambda: pupils.list_register(vault.sessions, SEARCH),
                lambda: raw.execute(search_sql, search_params).fetchall(),
                args.repeat,
            ),
            "target < 2x",
        )
        row(
            "load one pupil's full history",
            *compare(lambda: pupils.history(vault.sessions, pupil_id), history_raw, args.repeat),
        )
        with vault.sessions() as session:
            found = session.query(Pupil).count()
        assert found == args.pupils
        raw.close()
        vault.close()


if __name__ == "__main__":
    main()
