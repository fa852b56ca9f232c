"""Benchmark of a verified backup against a bare `sqlcipher_export()` of the same file.

    .venv/bin/python bench/backup_bench.py [--pupils 2000] [--repeat 5]

Target (issue 7): a backup of the 2,000-pupil demo file, verification included (integrity
checks of the copy and the row count of every table), within 3x of a bare `sqlcipher_export()`
of the same file in the same run. Both write to a new file under a fresh key; the floor does
nothing else (no verification, no fsync, no rename).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sendesk import backup, cipher, demo  # noqa: E402
from sendesk.cipher import RawKey  # noqa: E402

PASSPHRASE = "benchmark passphrase for a made up school"
OTHER = "another benchmark passphrase for the copy"
TARGET = 3.0


def bare_export(source: Path, key: RawKey, dest: Path, dest_key: RawKey) -> None:
    """The floor: attach a new encrypted file and `sqlcipher_export()` into it in one
    transaction (the fastest way), nothing else."""
    conn = cipher.connect(source, key)
    try:
        literal = str(dest).replace("'", "''")
        conn.execute(f"ATTACH DATABASE '{literal}' AS copy KEY {dest_key.sql_literal()}")
        conn.execute("BEGIN")  # one transaction: without it every table commits on its own
        conn.execute("SELECT sqlcipher_export('copy')")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE copy")
    finally:
        conn.close()


def timed(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pupils", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sendesk-bench-") as folder:
        base = Path(folder)
        source = base / "demo.sendesk"
        start = time.perf_counter()
        demo.build(source, PASSPHRASE, args.pupils, seed=1).close()
        built = time.perf_counter() - start
        key = RawKey.derive(PASSPHRASE, cipher.read_salt(source))
        dest_key = RawKey.fresh(OTHER)  # derived once: both sides pay no key derivation
        size = source.stat().st_size
        print(f"demo file: {args.pupils} pupils, {size / 1e6:.1f} MB, built in {built:.1f} s")
        counter = iter(range(10**6))

        def ours() -> None:
            backup.make_backup(source, key, base / f"backup-{next(counter)}.sendesk", dest_key)

        def floor() -> None:
            bare_export(source, key, base / f"bare-{next(counter)}.sendesk", dest_key)

        ours(), floor()  # warm the page cache for both
        pairs = [(timed(ours), timed(floor)) for _ in range(args.repeat)]
        mine = statistics.median(p[0] for p in pairs)
        bare = statistics.median(p[1] for p in pairs)
    ratio = mine / bare
    print(f"{'':34} {'median ms':>10} {'floor ms':>10}  ratio  target")
    print(f"{'verified backup vs bare export':34} {mine:10.1f} {bare:10.1f}  {ratio:4.2f}x  <= 3x")
    for n, (a, b) in enumerate(pairs, 1):
        print(f"  run {n}: backup {a:8.1f} ms, bare export {b:8.1f} ms")
    met = ratio <= TARGET
    print("target met" if met else "TARGET MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
