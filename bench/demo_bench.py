"""The demo build, process against process, and its memory as the school grows.

    .venv/bin/python bench/demo_bench.py [--sizes 2000 20000 100000] [--rounds 3]

`sendesk demo FILE --pupils N` against bench/floors/raw_demo.py writing the same rows (dumped
once from the cached demo file of that size) with raw sqlcipher3. Target at 2,000 pupils: 2x.
Peak memory is printed for each size: it should stay flat as the school grows.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    BENCH,
    CACHE,
    PYTHON,
    SENDESK,
    Figure,
    Sample,
    compare,
    demo_file,
    save,
    spawn,
)

_serial = itertools.count()


def rows_of(pupils: int) -> Path:
    """The demo file's schema and rows, dumped once for the floor (made-up data only).

    Dumped by a child process: a child's peak memory is never read below its parent's, so the
    benchmark itself must stay small.
    """
    source = demo_file(pupils)
    dump = source.with_suffix(".rows.pickle")
    if not dump.exists():
        floor = str(BENCH / "floors" / "raw_demo.py")
        spawn([PYTHON, floor, "--dump", str(source), str(dump)])
    return dump


def build(pupils: int, rounds: int) -> Figure:
    dump = rows_of(pupils)
    out = CACHE / "runs"
    out.mkdir(parents=True, exist_ok=True)

    def ours() -> Sample:
        target = out / f"demo-{next(_serial)}.sendesk"
        sample = spawn([SENDESK, "demo", str(target), "--pupils", str(pupils)])
        target.unlink()
        return sample

    def floor() -> Sample:
        target = out / f"raw-{next(_serial)}.sendesk"
        sample = spawn([PYTHON, str(BENCH / "floors" / "raw_demo.py"), str(dump), str(target)])
        target.unlink()
        return sample

    return compare(
        f"sendesk demo, {pupils:,} pupils",
        ours,
        floor,
        lambda s: s.wall_ms,
        rounds=rounds,
        target=2.0 if pupils == 2_000 else None,
        floor_name="raw write of the same rows",
        pupils=pupils,
        note="the floor loads the rows from a pickle; ours makes them up as it goes",
    )


def figures(sizes: list[int], rounds: int) -> list[Figure]:
    return [build(n, rounds if n <= 2_000 else max(2, rounds - 1)) for n in sizes]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"results in {save(figures(args.sizes, args.rounds), 'demo')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
