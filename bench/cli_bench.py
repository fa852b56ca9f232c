"""The command line, process against process: start-up, and the commands that open a file.

    .venv/bin/python bench/cli_bench.py [--sizes 2000 20000 100000] [--rounds 5]

`sendesk --version` and `--help` against `python -c pass` (target: each within 1.5x);
`sendesk info --json`, `pupils --json`, `verify` and `backup` against the hand-written scripts
in bench/floors/raw_cli.py (target: within 2x). Every process derives the key once.
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
    SIZES,
    Figure,
    compare,
    demo_file,
    fresh_copy,
    save,
    spawn,
)

RAW = str(BENCH / "floors" / "raw_cli.py")
_serial = itertools.count()


def wall(sample: object) -> float:
    return sample.wall_ms  # type: ignore[attr-defined, no-any-return]


def startup(rounds: int) -> list[Figure]:
    bare = lambda: spawn([PYTHON, "-c", "pass"])  # noqa: E731
    return [
        compare(
            "sendesk --version",
            lambda: spawn([SENDESK, "--version"]),
            bare,
            wall,
            rounds=rounds * 2,
            target=1.5,
            floor_name="python -c pass",
        ),
        compare(
            "sendesk --help",
            lambda: spawn([SENDESK, "--help"]),
            bare,
            wall,
            rounds=rounds * 2,
            target=1.5,  # issue 14: --version and --help within 1.5x of python -c pass
            floor_name="python -c pass",
        ),
    ]


def commands(pupils: int, rounds: int) -> list[Figure]:
    source = demo_file(pupils)
    figures = []
    for what, ours, floor in (
        ("info --json", ["info", "--json"], ["info"]),
        ("pupils --json", ["pupils", "--json"], ["pupils"]),
        ("verify", ["verify"], ["verify"]),
    ):
        work = fresh_copy(source, f"cli-{pupils}")
        figures.append(
            compare(
                f"sendesk {what}, {pupils:,} pupils",
                lambda ours=ours, work=work: spawn([SENDESK, *ours, str(work)]),
                lambda floor=floor, work=work: spawn([PYTHON, RAW, *floor, str(work)]),
                wall,
                rounds=rounds,
                target=2.0,
                floor_name=f"raw script ({floor[0]})",
                pupils=pupils,
            )
        )
    work = fresh_copy(source, f"cli-{pupils}")
    out = CACHE / "runs"

    def ours_backup() -> object:
        return spawn(
            [SENDESK, "backup", str(work), "--out", str(out / f"b{next(_serial)}.sendesk")]
        )

    def raw_backup() -> object:
        return spawn([PYTHON, RAW, "backup", str(work), str(out / f"b{next(_serial)}.sendesk")])

    figures.append(
        compare(
            f"sendesk backup, {pupils:,} pupils",
            ours_backup,
            raw_backup,
            wall,
            rounds=rounds,
            target=2.0,
            floor_name="raw sqlcipher_export()",
            pupils=pupils,
            note="ours verifies the copy (integrity check and row counts); the floor does not",
        )
    )

    def raw_checked_backup() -> object:
        copy = str(out / f"b{next(_serial)}.sendesk")
        return spawn([PYTHON, RAW, "checked-backup", str(work), copy])

    # Like for like beside it: the same export with the copy checked as `verify` checks a file.
    figures.append(
        compare(
            f"sendesk backup, {pupils:,} pupils, against a checked export",
            ours_backup,
            raw_checked_backup,
            wall,
            rounds=rounds,
            target=None,
            floor_name="raw sqlcipher_export(), then the copy checked",
            pupils=pupils,
        )
    )
    for stale in out.glob("b*.sendesk"):
        stale.unlink()
    return figures


def figures(sizes: list[int], rounds: int) -> list[Figure]:
    found = startup(rounds)
    for pupils in sizes:
        found += commands(pupils, rounds)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"results in {save(figures(args.sizes, args.rounds), 'cli')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
