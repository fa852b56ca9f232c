"""Benchmark of the analytics views on a large demo school, against a raw SQLCipher query floor.

    .venv/bin/python bench/analytics_bench.py [--pupils 20000] [--file DEMO.sendesk] [--repeat 3]

Target: every view in under 1 s on a 20,000-pupil demo file. Measured two ways:
- whole process: `sendesk provision-map FILE --json` (and `impact`, `governors-report`), from
  interpreter start to exit, key derivation and every import included; beside it the floor, a
  process that derives the same key, opens the file with sqlcipher3 and reads the same rows with
  plain SQL (nothing computed, nothing printed but a count);
- in process, on an open file: each service the app's views call (provision map, impact,
  register analytics, governors' report, one pupil's trace and progress), as the app pays it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSPHRASE = "benchmark passphrase for a made up school"
TODAY = "2026-11-23"
TARGET_MS = 1000.0
COMMANDS = ("provision-map", "impact", "governors-report")
FLOOR_SQL = (
    "SELECT provision_id, count(*) FROM provision_session WHERE attended GROUP BY provision_id",
    "SELECT p.*, c.pupil_id, c.opened_on, c.closed_on FROM provision p JOIN cycle c "
    "ON c.id = p.cycle_id",
    "SELECT id, legal_forename, legal_surname, preferred_forename, preferred_surname, "
    "year_group, class_name, sen_status, primary_need, archived_on FROM pupil",
    "SELECT id, cycle_id, rating FROM outcome",
    "SELECT cycle_id, measure_id, recorded_on, value FROM measure_score",
    "SELECT id, pupil_id, number, stage, next_step FROM cycle",
)


def floor(path: Path) -> int:
    """The floor's process body: derive the key, open, read the rows the views read."""
    from sendesk import cipher
    from sendesk.cipher import RawKey

    key = RawKey.derive(os.environ["SENDESK_PASSPHRASE"], cipher.read_salt(path))
    conn = cipher.connect(path, key)
    rows = sum(len(conn.execute(sql).fetchall()) for sql in FLOOR_SQL)
    conn.close()
    print(rows)
    return 0


def _process_ms(argv: list[str]) -> float:
    env = {**os.environ, "SENDESK_PASSPHRASE": PASSPHRASE}
    start = time.perf_counter()
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def _in_process(path: Path, repeat: int) -> list[tuple[str, float]]:
    import datetime as dt

    from sqlalchemy import func, select

    from sendesk.analytics import Period
    from sendesk.measure_models import MeasureScore
    from sendesk.services import governors, impact, provision_map, register_analytics, trace
    from sendesk.vault import Vault

    today = dt.date.fromisoformat(TODAY)
    year = Period(dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    found = []
    with Vault.open(path, PASSPHRASE) as vault:
        s = vault.sessions
        with s() as session:
            pupil = session.execute(
                select(MeasureScore.pupil_id)
                .group_by(MeasureScore.pupil_id)
                .order_by(func.count().desc())
                .limit(1)
            ).scalar_one()
        for name, view in (
            ("provision map", lambda: provision_map.build(s, year)),
            ("intervention impact", lambda: impact.build(s, year)),
            ("register analytics", lambda: register_analytics.build(s, today)),
            ("governors' report", lambda: governors.build(s, year, today)),
            (
                "one pupil's trace and progress",
                lambda: (trace.build(s, pupil), trace.progress(s, pupil)),
            ),
        ):
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                view()
                times.append((time.perf_counter() - start) * 1000)
            found.append((name, statistics.median(times)))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pupils", type=int, default=20_000)
    parser.add_argument("--file", type=Path, help="an existing demo file (its passphrase above)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # the floor's own process
    args = parser.parse_args()
    if args.floor:
        return floor(args.floor)
    with tempfile.TemporaryDirectory(prefix="sendesk-bench-") as folder:
        path = args.file
        if path is None:
            import datetime as dt

            from sendesk import demo

            path = Path(folder) / "demo.sendesk"
            start = time.perf_counter()
            demo.build(
                path, PASSPHRASE, args.pupils, seed=1, today=dt.date.fromisoformat(TODAY)
            ).close()
            print(f"demo file: {args.pupils} pupils built in {time.perf_counter() - start:.0f} s")
        print(f"file: {path.stat().st_size / 1e6:.1f} MB")
        sendesk = [str(Path(sys.executable).with_name("sendesk"))]
        floor_argv = [sys.executable, __file__, "--floor", str(path)]
        _process_ms(floor_argv)  # warm the page cache
        floor_ms = statistics.median(_process_ms(floor_argv) for _ in range(args.repeat))
        print(f"{'whole process':40} {'median ms':>10} {'floor ms':>9}  target")
        worst = 0.0
        for name in COMMANDS:
            argv = [*sendesk, name, str(path), "--json", "--date", TODAY]
            ms = statistics.median(_process_ms(argv) for _ in range(args.repeat))
            worst = max(worst, ms)
            print(
                f"sendesk {name + ' FILE --json':32} {ms:10.0f} {floor_ms:9.0f}  "
                f"{'ok' if ms < TARGET_MS else 'OVER'} (< {TARGET_MS:.0f})"
            )
        print(f"{'in process (the app views)':40} {'median ms':>10}")
        for name, ms in _in_process(path, args.repeat):
            worst_view = "ok" if ms < TARGET_MS else "OVER"
            print(f"{name:40} {ms:10.0f}  {worst_view}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
