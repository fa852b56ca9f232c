"""The app, process against process: start window, unlock to register, a search keystroke.

    .venv/bin/python bench/gui_bench.py [--sizes 2000 20000 100000] [--rounds 5] [--keys 20]

- `python main.py gui` until its start window is painted, against bench/floors/bare_window.py
  (a bare PySide6 window with a 2,000-row table) until its window is painted. Target 1.3x.
- `python main.py gui FILE`, the passphrase typed into the unlock box, from the moment the key
  is derived until the register is painted with its rows, against bench/floors/raw_register.py
  (raw sqlcipher3 and a bare Qt table) over the same span. Target 1.5x at 2,000 and 20,000,
  and linear growth to 100,000.
- Then keystrokes in the search box ("m", "a", backspace, backspace, ...), each from the key
  event to the table's repaint, against the bare table's QSortFilterProxyModel filter.
  Target: p90 within 1.3x.
The probe (bench/probe) marks the paints; the process's own time to exit is not counted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    BENCH,
    PASSPHRASE,
    PYTHON,
    ROOT,
    SIZES,
    Figure,
    Sample,
    compare,
    demo_file,
    fresh_copy,
    save,
    spawn,
)

MAIN = str(ROOT / "main.py")

# In process, as the main window pays them: its first screenful before the first paint, and the
# whole register read right after it (the window does not answer meanwhile). Medians of 3, ms.
READS = """
import json, statistics, sys, time
from pathlib import Path
from sendesk.services import pupils
from sendesk.vault import Vault
with Vault.open(Path(sys.argv[1]), sys.argv[2], read_only=True) as vault:
    found = []
    for first in (100, None):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            pupils.list_register(vault.sessions, include_archived=first is None, first=first)
            times.append((time.perf_counter() - start) * 1000)
        found.append(statistics.median(times))
print(json.dumps(found))
"""


def register_reads_ms(path: Path) -> list[float]:
    done = subprocess.run(
        [PYTHON, "-c", READS, str(path), PASSPHRASE],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    reads: list[float] = json.loads(done.stdout)
    return reads


FLOORS = BENCH / "floors"


def start_window(rounds: int) -> Figure:
    probe = {"SENDESK_PROBE": "start"}
    return compare(
        "start window painted",
        lambda: spawn([PYTHON, MAIN, "gui"], probe),
        lambda: spawn([PYTHON, str(FLOORS / "bare_window.py")], probe),
        lambda s: s.marks["window"],
        rounds=rounds,
        target=1.3,
        floor_name="bare PySide6 window, 2,000-row table",
    )


def register(pupils: int, rounds: int, keys: int) -> list[Figure]:
    source = demo_file(pupils)
    probe = {
        "SENDESK_PROBE": "register",
        "SENDESK_PROBE_PASSPHRASE": PASSPHRASE,
        "SENDESK_PROBE_KEYS": str(keys),
    }
    samples: dict[str, list[Sample]] = {"ours": [], "floor": []}

    def ours() -> Sample:
        work = fresh_copy(source, f"gui-{pupils}")
        samples["ours"].append(spawn([PYTHON, MAIN, "gui", str(work)], probe))
        return samples["ours"][-1]

    def floor() -> Sample:
        samples["floor"].append(
            spawn([PYTHON, str(FLOORS / "raw_register.py"), str(source), PASSPHRASE], probe)
        )
        return samples["floor"][-1]

    painted = compare(
        f"key derived -> register painted, {pupils:,} pupils",
        ours,
        floor,
        lambda s: s.marks["register"] - s.marks["key"],
        rounds=rounds,
        target=1.5 if pupils <= 20_000 else None,
        floor_name="raw sqlcipher3 + bare Qt table",
        pupils=pupils,
    )
    import statistics

    whole = [s.marks["register"] - s.marks["unlock"] for s in samples["ours"][1:]]
    if whole:
        painted.note = (
            f"ours from Unlock pressed to register painted, key derivation included: median "
            f"{statistics.median(whole):.0f} ms"
        )
        print(f"  ({painted.note})")
    # A person takes a moment to type the passphrase, in which the app loads the main window's
    # code (ui.warm_up); the figure above types it at once. The same span, typed after 1.5 s:
    typed = {**probe, "SENDESK_PROBE_KEYS": "0", "SENDESK_PROBE_UNLOCK_AFTER_MS": "1500"}
    later = [
        spawn([PYTHON, MAIN, "gui", str(fresh_copy(source, f"gui-{pupils}"))], typed)
        for _ in range(max(2, rounds - 1))
    ]
    spans = [s.marks["register"] - s.marks["key"] for s in later]
    first_ms, whole_ms = register_reads_ms(source)
    painted.note += (
        f"; with the passphrase typed 1.5 s after the box appears: median "
        f"{statistics.median(spans):.0f} ms, min {min(spans):.0f} ms; in process, the first "
        f"screenful read in {first_ms:.0f} ms, the whole register after the paint in "
        f"{whole_ms:.0f} ms"
    )
    print(f"  ({painted.note})")
    # The keystrokes were typed in the same processes; every warm one counts (p90).
    from harness import Figure as F  # noqa: N817
    from harness import p90

    def keys_of(which: str) -> tuple[list[float], float]:
        runs = samples[which]
        warm = [k for s in runs[1:] for k in s.marks["keys"]] or runs[0].marks["keys"]
        return warm, (p90(runs[0].marks["keys"]) if runs[0].marks["keys"] else 0.0)

    (mine, mine_cold), (bare, bare_cold) = keys_of("ours"), keys_of("floor")
    lost = sum(s.marks.get("keys_without_repaint", 0) for s in samples["ours"] + samples["floor"])
    keystroke = F(
        f"search keystroke -> repaint, {pupils:,} pupils",
        mine,
        bare,
        mine_cold,
        bare_cold,
        painted.ours_mb,
        painted.floor_mb,
        1.3 if pupils <= 20_000 else None,
        "bare Qt QSortFilterProxyModel filter",
        use_p90=True,
        pupils=pupils,
        note=f"{len(mine)} + {len(bare)} keystrokes; {lost} without a repaint (not counted)",
    )
    from harness import show

    show(keystroke)
    return [painted, keystroke]


def figures(sizes: list[int], rounds: int, keys: int) -> list[Figure]:
    found = [start_window(rounds + 2)]
    for pupils in sizes:
        found += register(pupils, rounds if pupils < 100_000 else max(2, rounds - 2), keys)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keys", type=int, default=20)
    args = parser.parse_args()
    print(f"results in {save(figures(args.sizes, args.rounds, args.keys), 'gui')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
