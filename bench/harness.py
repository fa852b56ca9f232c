"""What every benchmark shares: whole processes timed from outside, against a floor, interleaved.

Each figure starts the app's real entry point (`sendesk ...` or `python main.py gui`) and a
hand-written floor as separate processes, one after the other (ours, floor, ours, floor, ...),
so a slower or faster moment of a shared machine falls on both alike. The first round of each is
reported as "cold" (the first start in this run: files and libraries not yet in the page
cache unless an earlier benchmark read them); the rest are "warm" and give min, median and p90.
The ratio is the median of the pair-by-pair ratios of the warm rounds (for a p90 figure, the
ratio of the p90s). Peak memory is the operating system's count for the finished process.

GUI figures come from bench/probe (on PYTHONPATH for those runs only), which marks when the
window or the register was painted; wall time runs from just before the process was started.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
CACHE = ROOT / ".bench-cache"  # demo files built once per version of the demo and the schema
PYTHON = sys.executable
BIN = Path(sys.executable).parent
SENDESK = str(BIN / ("sendesk.exe" if os.name == "nt" else "sendesk"))
PASSPHRASE = "benchmark passphrase for a made up school"
SIZES = (2_000, 20_000, 100_000)


@dataclass
class Sample:
    wall_ms: float  # start to exit
    peak_mb: float  # the process's peak resident memory
    marks: dict[str, Any] = field(default_factory=dict)  # probe marks, ms from the start
    code: int = 0


def _work_env() -> dict[str, str]:
    home = CACHE / "home"  # the app's settings (recent files) go here, never the user's own
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        SENDESK_PASSPHRASE=PASSPHRASE,
        PYTHONDONTWRITEBYTECODE="",
    )
    env.pop("PYTHONPATH", None)
    return env


def spawn(argv: Sequence[str], probe: dict[str, str] | None = None, timeout: float = 900) -> Sample:
    """Run one process to its end; with `probe`, with the probe and these settings."""
    env = _work_env()
    marks_file = None
    if probe is not None:
        marks_file = Path(tempfile.mkstemp(prefix="probe-", suffix=".json", dir=CACHE)[1])
        env.update(PYTHONPATH=str(BENCH / "probe"), SENDESK_PROBE_OUT=str(marks_file), **probe)
    start = time.monotonic()
    process = subprocess.Popen(
        list(argv), env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak_mb = 0.0
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
        err = process.stderr.read() if process.stderr else b""
    else:  # Windows: no peak memory from outside
        _, err = process.communicate(timeout=timeout)
        wall = time.monotonic() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({process.returncode}): {err[-800:]!r}")
    marks: dict[str, Any] = {}
    if marks_file is not None:
        raw = json.loads(marks_file.read_text(encoding="utf-8") or "{}")
        marks_file.unlink()
        for name, value in raw.items():
            if isinstance(value, float) and name != "keys":
                marks[name] = (value - start) * 1000
        marks["keys"] = [k * 1000 for k in raw.get("keys", [])]
        marks["keys_without_repaint"] = raw.get("keys_without_repaint", 0)
    return Sample(wall * 1000, peak_mb, marks, process.returncode)


def p90(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


@dataclass
class Figure:
    what: str
    ours: list[float]
    floor: list[float]
    ours_cold: float | None
    floor_cold: float | None
    ours_mb: float
    floor_mb: float
    target: float | None  # the ratio to meet, or None
    floor_name: str
    use_p90: bool = False
    pupils: int | None = None
    note: str = ""
    # An absolute target instead ("under 1 s"): met when the median warm round is under it.
    under_ms: float | None = None

    @property
    def ratio(self) -> float:
        if self.use_p90:
            return p90(self.ours) / p90(self.floor)
        pairs = [a / b for a, b in zip(self.ours, self.floor, strict=False) if b > 0]
        return statistics.median(pairs)

    @property
    def met(self) -> bool | None:
        if self.under_ms is not None:
            return statistics.median(self.ours) < self.under_ms
        return None if self.target is None else self.ratio <= self.target

    @property
    def target_text(self) -> str:
        if self.under_ms is not None:
            return f"< {self.under_ms / 1000:g} s"
        return f"<= {self.target:g}x" if self.target else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "pupils": self.pupils,
            "floor": self.floor_name,
            "ours": stats(self.ours),
            "floor_ms": stats(self.floor),
            "ours_cold": self.ours_cold,
            "floor_cold": self.floor_cold,
            "ratio": self.ratio,
            "target": self.target,
            "under_ms": self.under_ms,
            "met": self.met,
            "ours_mb": self.ours_mb,
            "floor_mb": self.floor_mb,
            "use_p90": self.use_p90,
            "note": self.note,
        }


def stats(values: Sequence[float]) -> dict[str, float]:
    return {"min": min(values), "median": statistics.median(values), "p90": p90(values)}


def compare(
    what: str,
    ours: Callable[[], Sample],
    floor: Callable[[], Sample],
    measure: Callable[[Sample], float | list[float]],
    *,
    rounds: int,
    target: float | None,
    floor_name: str,
    use_p90: bool = False,
    pupils: int | None = None,
    note: str = "",
    under_ms: float | None = None,
) -> Figure:
    """`rounds` of ours then floor, alternately; the first of each is the cold start."""
    mine: list[list[float]] = []
    bare: list[list[float]] = []
    peaks: tuple[list[float], list[float]] = ([], [])
    for n in range(rounds):
        for run, into, peak in ((ours, mine, peaks[0]), (floor, bare, peaks[1])):
            sample = run()
            value = measure(sample)
            into.append(value if isinstance(value, list) else [value])
            peak.append(sample.peak_mb)
        print(
            f"    round {n + 1}/{rounds}: ours {mine[-1][0]:.1f}, floor {bare[-1][0]:.1f}",
            flush=True,
        )
    warm_ours = [v for values in mine[1:] for v in values] or mine[0]
    warm_floor = [v for values in bare[1:] for v in values] or bare[0]
    figure = Figure(
        what,
        warm_ours,
        warm_floor,
        mine[0][0],
        bare[0][0],
        max(peaks[0]),
        max(peaks[1]),
        target,
        floor_name,
        use_p90,
        pupils,
        note,
        under_ms,
    )
    show(figure)
    return figure


def show(f: Figure) -> None:
    o, b = stats(f.ours), stats(f.floor)
    verdict = "" if f.met is None else ("ok" if f.met else "MISSED")
    target = f.target_text
    which = "p90" if f.use_p90 else "median"
    print(
        f"  {f.what}: ours min {o['min']:.1f} / median {o['median']:.1f} / p90 {o['p90']:.1f} ms"
        f" (cold {f.ours_cold:.1f}, peak {f.ours_mb:.0f} MB) | {f.floor_name}: min {b['min']:.1f}"
        f" / median {b['median']:.1f} / p90 {b['p90']:.1f} ms (cold {f.floor_cold:.1f}, peak "
        f"{f.floor_mb:.0f} MB) | ratio ({which}) {f.ratio:.2f}x {target} {verdict}",
        flush=True,
    )


# --- demo files --------------------------------------------------------------------------------


def _demo_version() -> str:
    """Changes whenever the demo, the models or the migrations change."""
    digest = hashlib.sha256()
    sources = [
        ROOT / "sendesk" / name
        for name in ("demo.py", "demo_names.py", "demo_text.py", "models.py")
    ]
    for path in sorted([*sources, *(ROOT / "migrations" / "versions").glob("*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def demo_file(pupils: int) -> Path:
    """The cached demo school of `pupils` pupils, built (by `sendesk demo`) the first time."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-{pupils}-{_demo_version()}.sendesk"
    if not path.exists():
        print(
            f"  (building the {pupils:,}-pupil demo file once; it is cached in {CACHE})", flush=True
        )
        partial = path.with_suffix(".partial.sendesk")
        partial.unlink(missing_ok=True)
        start = time.monotonic()
        spawn([SENDESK, "demo", str(partial), "--pupils", str(pupils), "--today", "2026-11-23"])
        partial.replace(path)
        print(f"  (built in {time.monotonic() - start:.1f} s)", flush=True)
    return path


def fresh_copy(source: Path, name: str) -> Path:
    """A copy for one run, so that what a run writes (audit events) never reaches the next."""
    target = CACHE / "runs" / f"{name}{source.suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def save(figures: list[Figure], name: str) -> Path:
    path = CACHE / f"results-{name}.json"
    path.write_text(json.dumps([f.as_json() for f in figures], indent=1), encoding="utf-8")
    return path
