"""Every benchmark, at 2,000, 20,000 and 100,000 pupils, then one table of the figures.

    ./dev bench [--sizes 2000 20000 100000] [--rounds 5]
                [--only cli gui demo plans server analytics]

Each figure is a whole process against a floor run in the same benchmark, interleaved (see
bench/harness.py); demo files are built once and cached in .bench-cache/. The table at the end,
in Markdown, is what README shows. The analytics run at 20,000 pupils only (their target is for
that size), with their in-process breakdown in a second table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import analytics_bench
import cli_bench
import demo_bench
import gui_bench
import plans_bench
from harness import CACHE, SIZES, Figure, save, stats


def table(figures: list[Figure]) -> str:
    lines = [
        "| what the user waits for | SENDesk: min / median / p90 (cold) | floor in the same run:"
        " min / median / p90 (cold) | ratio | target | peak memory, ours / floor |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for f in figures:
        o, b = stats(f.ours), stats(f.floor)
        met = "" if f.met is None else (" ✓" if f.met else " **missed**")
        if f.under_ms is not None:
            target = f"< {f.under_ms / 1000:g} s{met}"
        else:
            target = f"≤ {f.target:g}×{met}" if f.target else "—"
        which = " (p90)" if f.use_p90 else ""

        def ms(s: dict[str, float], cold: float | None) -> str:
            unit = lambda v: f"{v / 1000:.2f} s" if v >= 1000 else f"{v:.0f} ms"  # noqa: E731
            cold_text = f" ({unit(cold)})" if cold is not None else ""
            return f"{unit(s['min'])} / {unit(s['median'])} / {unit(s['p90'])}{cold_text}"

        lines.append(
            f"| {f.what} | {ms(o, f.ours_cold)} | {f.floor_name}: {ms(b, f.floor_cold)} | "
            f"{f.ratio:.2f}×{which} | {target} | {f.ours_mb:.0f} / {f.floor_mb:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--only", nargs="+", default=["cli", "gui", "demo", "plans", "server", "analytics"]
    )
    args = parser.parse_args()
    started = time.monotonic()
    print(f"SENDesk benchmarks on {platform.platform()}, Python {platform.python_version()}")
    if hasattr(os, "wait4"):  # a child's peak memory reads at least this (Linux counts it so)
        import resource

        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"(this benchmark process: {own:.0f} MB; no peak below it can be seen)")
    figures: list[Figure] = []
    if "cli" in args.only:
        print("\n== command line", flush=True)
        figures += cli_bench.startup(args.rounds)
        for n in args.sizes:
            figures += cli_bench.commands(n, args.rounds if n < 100_000 else 3)
    if "gui" in args.only:
        print("\n== the app", flush=True)
        figures += gui_bench.figures(args.sizes, args.rounds, keys=20)
    if "demo" in args.only:
        print("\n== demo build", flush=True)
        for n in args.sizes:
            figures.append(demo_bench.build(n, 3 if n <= 2_000 else (2 if n <= 20_000 else 1)))
    if "plans" in args.only:
        print("\n== printing many plans", flush=True)
        figures.append(plans_bench.batch(200, 2_000, 3, sample=5))
        plans_bench.libreoffice(3)
    if "server" in args.only:
        print("\n== the team server", flush=True)
        if os.environ.get("SENDESK_TEST_PG_URL"):
            import server_bench

            address, password = server_bench.private_server()
            sizes = [n for n in args.sizes if n <= 20_000]
            figures += [server_bench.register(address, password, n, args.rounds) for n in sizes]
            load = server_bench.load_test(address, password, clients=20, rounds=25)
            (CACHE / "server-load.txt").write_text(f"{load}\n", encoding="utf-8")
        else:
            print("  no PostgreSQL server (./dev bench starts one): left out", flush=True)
    views: list[dict[str, object]] = []
    if "analytics" in args.only:
        print("\n== whole-school analytics", flush=True)
        if 20_000 in args.sizes:
            figures += analytics_bench.commands(20_000, args.rounds)
            views = analytics_bench.in_process(20_000, repeat=3)
        else:
            print("  run at 20,000 pupils only (--sizes 20000): left out", flush=True)
    path = save(figures, "all")
    text = table(figures)
    if views:
        text += "\n\n" + analytics_bench.breakdown_table(views)  # type: ignore[arg-type]
    (CACHE / "results-all.md").write_text(text + "\n", encoding="utf-8")
    print(f"\n{text}\n")
    print(f"(all in {(time.monotonic() - started) / 60:.0f} min; JSON: {path})")
    missed = [f.what for f in figures if f.met is False]
    missed += [f"{v['what']} (in process)" for v in views if v["median_ms"] >= 1000]  # type: ignore[operator]
    print(json.dumps({"missed": missed}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
